// One Sigma field entry (`Field|mod|mod: value or list`) -> a condition node on our field.
// Values of a list are alternatives (`all`: every one must hold); each value goes through the
// transforms, then becomes the cheapest operator that means the same. Sigma compares strings
// case-insensitively (our default); `re` is case-sensitive unless `|i`.
import { parseModifiers, MAX_VARIANTS, type ParsedModifiers, type Value } from './modifiers.ts';
import { checkRegex } from './regex.ts';
import { matchOf, parseSigmaString, type Match, type MatchMode } from './strings.ts';
import { and, or, SigmaRefusal, type Node, type OperatorObject } from './types.ts';

/** Our operand bounds (rule language): strings up to 4,096 characters, lists up to 1,000 items. */
export const MAX_OPERAND_CHARS = 4096;
export const MAX_LIST_ITEMS = 1000;
/** Values of one Sigma field entry (hash lists run to thousands; they become several lists of MAX_LIST_ITEMS). */
export const MAX_SIGMA_VALUES = 10_000;
const STRING_OPS: ReadonlySet<string> = new Set(['equals', 'contains', 'startswith', 'endswith', 'wildcard', 'regex']);

type Scalar = string | number | boolean | null;

function scalarList(value: unknown, field: string): Scalar[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new SigmaRefusal('empty value list (matches nothing)', { field });
  if (items.length > MAX_SIGMA_VALUES) throw new SigmaRefusal(`more than ${MAX_SIGMA_VALUES} values`, { field });
  return items.map((item) => {
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return item;
    if (typeof item === 'number' && Number.isFinite(item)) return item;
    if (item instanceof Date) return item.toISOString();
    throw new SigmaRefusal(`a value must be a string, number, boolean or null (got ${Array.isArray(item) ? 'a list' : typeof item})`, { field });
  });
}

function numeric(item: Scalar, field: string, op: string): number {
  const n = typeof item === 'number' ? item : typeof item === 'string' && item.trim() !== '' ? Number(item) : Number.NaN;
  if (!Number.isFinite(n)) throw new SigmaRefusal(`'${String(item)}' is not a number`, { field, modifier: op });
  return n;
}

/** The alternatives one value stands for (several after base64offset or windash). */
function alternatives(item: Scalar, mods: ParsedModifiers, field: string): Match[] {
  const op = mods.match?.op;
  if (op === 'exists') {
    if (typeof item !== 'boolean') throw new SigmaRefusal('exists takes true or false', { field, modifier: 'exists' });
    return [{ op: 'exists', operand: item }];
  }
  if (item === null) {
    if (mods.transforms.length > 0 || (op && op !== 'contains' && op !== 'startswith' && op !== 'endswith')) {
      throw new SigmaRefusal('null with a value modifier', { field, modifier: op ?? mods.transforms[0]?.name });
    }
    return [{ op: 'exists', operand: false }];
  }
  if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') return [{ op, operand: numeric(item, field, op) }];
  if (op === 'cidr') return [{ op: 'cidr', operand: String(item) }];
  if (op === 're') {
    const pattern = String(item);
    checkRegex(pattern, field);
    const flags = [...new Set(mods.reFlags.replace('i', ''))].join('');
    return [{ op: 'regex', operand: flags === '' ? pattern : `(?${flags})${pattern}` }];
  }
  if (typeof item !== 'string' && mods.transforms.length === 0) {
    // Numbers and booleans compare by their text; a modifier (contains...) works on that text.
    if (!op) return [{ op: 'equals', operand: item }];
    return [matchOf([String(item)], op)];
  }
  // An empty string: the field is empty or absent (our exists:false), like Sigma backends that drop empty fields.
  if (item === '' && !op && mods.transforms.length === 0) return [{ op: 'exists', operand: false }];
  let values: Value[] = [{ parts: parseSigmaString(String(item)) }];
  for (const t of mods.transforms) {
    values = values.flatMap((v) => t.apply(v, field));
    if (values.length > MAX_VARIANTS) throw new SigmaRefusal(`more than ${MAX_VARIANTS} variants of one value`, { field, modifier: t.name });
  }
  const mode: MatchMode = op ?? 'equals';
  return values.map((v) => {
    if ('bytes' in v) {
      throw new SigmaRefusal(`${mods.transforms.at(-1)!.name} without base64: UTF-16 bytes cannot be matched as text`, { field, modifier: mods.transforms.at(-1)!.name });
    }
    // base64 output is literal text: no wildcard characters to interpret.
    return matchOf(v.parts, mode);
  });
}

function checkOperand(match: Match, field: string): void {
  if (typeof match.operand === 'string' && match.operand.length > MAX_OPERAND_CHARS) {
    throw new SigmaRefusal(`a value longer than ${MAX_OPERAND_CHARS} characters`, { field });
  }
}

function withFlags(object: OperatorObject, op: string, mods: ParsedModifiers): OperatorObject {
  if (!STRING_OPS.has(op)) return object;
  if (op === 'regex') return mods.reFlags.includes('i') ? object : { ...object, cased: true };
  return mods.cased ? { ...object, cased: true } : object;
}

/** Alternatives with the same operator share one operator object with a list operand. */
function grouped(field: string, matches: Match[], mods: ParsedModifiers): Node {
  const byOp = new Map<string, (string | number | boolean)[]>();
  for (const m of matches) {
    checkOperand(m, field);
    const list = byOp.get(m.op) ?? [];
    if (!list.includes(m.operand)) list.push(m.operand);
    byOp.set(m.op, list);
  }
  const nodes: Node[] = [];
  for (const [op, operands] of byOp) {
    // exists:true and exists:false together: always holds; one operand each is what the language takes.
    if (op === 'exists' || op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') {
      for (const operand of operands) nodes.push({ kind: 'test', field, test: { [op]: operand } });
      continue;
    }
    for (let i = 0; i < operands.length; i += MAX_LIST_ITEMS) {
      const chunk = operands.slice(i, i + MAX_LIST_ITEMS);
      nodes.push({ kind: 'test', field, test: withFlags({ [op]: chunk.length === 1 ? chunk[0] : chunk }, op, mods) });
    }
  }
  return or(nodes);
}

/**
 * `field` is already our field name; `sigmaField` names the entry in refusals.
 * Returns the node for "the field holds one of (every one of, with `all`) the values".
 */
export function fieldNode(field: string, sigmaField: string, modifierNames: readonly string[], value: unknown): Node {
  const mods = parseModifiers(modifierNames, sigmaField);
  const items = scalarList(value, sigmaField);
  const perItem = items.map((item) => alternatives(item, mods, sigmaField));
  if (!mods.all || items.length === 1) {
    if (mods.all && perItem[0]!.length > 1) return and(perItem[0]!.map((m) => grouped(field, [m], mods)));
    return grouped(field, perItem.flat(), mods);
  }
  // all: one operator object with `of: all` when every value is one alternative of the same operator.
  const ops = new Set(perItem.flat().map((m) => m.op));
  const single = perItem.every((alts) => alts.length === 1);
  if (single && ops.size === 1 && !ops.has('exists') && !ops.has('gt') && !ops.has('gte') && !ops.has('lt') && !ops.has('lte')) {
    const op = [...ops][0]!;
    const operands = perItem.map((alts) => alts[0]!.operand);
    perItem.flat().forEach((m) => checkOperand(m, sigmaField));
    if (operands.length <= MAX_LIST_ITEMS) {
      return { kind: 'test', field, test: withFlags({ [op]: operands, of: 'all' }, op, mods) };
    }
  }
  return and(perItem.map((alts) => grouped(field, alts, mods)));
}
