// Anchors: what an event must carry for a rule to have any chance of matching, read from
// the rule's filters so the engine can index rules beyond their event types. An anchor is a
// set of alternatives, each "this field, seen through this derivation, is one of these
// keys"; a rule can only match an event for which one alternative of each of its anchors
// holds. Only positive, certain constraints become anchors (equality, `in`, a path's last
// segment from `endswith "\\name.exe"`); anything uncertain yields no anchor, which is
// always safe: the rule is then simply offered every event of its types.
import { wildcardShape } from './patterns.ts';
import { requiredLiteral } from './regex-literal.ts';

/**
 * How an event's value is looked up: its lower-cased text is one of the keys ('lower'), its
 * lower-cased last path segment is ('basename'), or its lower-cased text contains one of
 * them ('contains': found for all keys at once by a substring automaton).
 */
export type Derivation = 'lower' | 'basename' | 'contains';

export interface AnchorAlt {
  field: string;
  derive: Derivation;
  keys: readonly string[];
}
/** Alternatives: at least one must hold for the rule to match. */
export type Anchor = readonly AnchorAlt[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_KEYS = 1000;
const SEPARATORS = /[\\/]/;

/** The last segment of a path, lower-cased ("" when the text ends with a separator). */
export function basenameOf(text: string): string {
  const cut = Math.max(text.lastIndexOf('\\'), text.lastIndexOf('/'));
  return (cut < 0 ? text : text.slice(cut + 1)).toLowerCase();
}

/** `endswith "<...>\\name"`: any matching text's last segment is `name` (when name is not empty). */
function basenameOfSuffix(suffix: string): string | null {
  if (!SEPARATORS.test(suffix)) return null;
  const name = basenameOf(suffix);
  return name.length > 0 ? name : null;
}

function strings(operand: unknown): string[] | null {
  if (typeof operand === 'string') return [operand];
  if (Array.isArray(operand) && operand.length > 0 && operand.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    return operand.map((v) => String(v));
  }
  return null;
}

/** One alternative from one operator, or null when the operator does not pin the field. */
function altOfOperator(field: string, op: string, operand: unknown, all: boolean): AnchorAlt | null {
  let items = strings(operand);
  if (items === null || items.some((s) => s.length === 0)) return null;
  // "all of" these: any one of them is necessary; the longest is the rarest.
  if (all && items.length > 1) {
    if (op !== 'contains' && op !== 'startswith' && op !== 'endswith') return null;
    items = [items.reduce((a, b) => (b.length > a.length ? b : a))];
  }
  switch (op) {
    case 'equals':
    case 'in':
      return { field, derive: 'lower', keys: items.map((s) => s.toLowerCase()) };
    case 'endswith': {
      const names = items.map(basenameOfSuffix);
      if (names.every((n) => n !== null)) return { field, derive: 'basename', keys: names as string[] };
      return { field, derive: 'contains', keys: items.map((s) => s.toLowerCase()) };
    }
    case 'contains':
    case 'startswith':
      // A prefix or an infix is a substring: the text must contain it.
      return { field, derive: 'contains', keys: items.map((s) => s.toLowerCase()) };
    case 'regex': {
      // A regex is run only on texts holding the literal each of its matches must contain.
      const literals = items.map(requiredLiteral);
      return literals.every((l) => l !== null) ? { field, derive: 'contains', keys: literals as string[] } : null;
    }
    case 'wildcard': {
      const keys: string[] = [];
      let derive: Derivation | null = null;
      for (const pattern of items) {
        const shape = wildcardShape(pattern);
        let key: string | null = null;
        let d: Derivation | null = null;
        if (shape.kind === 'equals') [key, d] = [shape.literal.toLowerCase(), 'lower'];
        else if (shape.kind === 'endswith' && basenameOfSuffix(shape.literal) !== null) [key, d] = [basenameOfSuffix(shape.literal), 'basename'];
        else if (shape.kind === 'endswith' || shape.kind === 'contains' || shape.kind === 'startswith') [key, d] = [shape.literal.toLowerCase(), 'contains'];
        else if (shape.kind === 'pattern') {
          // "C:\\Windows\\*\\cmd.exe": a last segment without wildcards is fixed; else its longest literal.
          const tail = pattern.slice(Math.max(pattern.lastIndexOf('\\'), pattern.lastIndexOf('/')) + 1);
          if (tail.length > 0 && !/[*?\\]/.test(tail) && SEPARATORS.test(pattern)) [key, d] = [tail.toLowerCase(), 'basename'];
          else [key, d] = [requiredLiteral(shape.regex.slice('^(?:'.length, -')$'.length)), 'contains'];
        }
        if (key === null || d === null || (derive !== null && derive !== d)) return null;
        derive = d;
        keys.push(key);
      }
      return derive === null ? null : { field, derive, keys };
    }
    default:
      return null;
  }
}

/** Alternatives on the same field and derivation as one (their keys joined). */
function merged(alts: readonly AnchorAlt[]): AnchorAlt[] {
  const byProbe = new Map<string, AnchorAlt>();
  for (const alt of alts) {
    const name = `${alt.derive}:${alt.field}`;
    const seen = byProbe.get(name);
    byProbe.set(name, seen === undefined ? alt : { ...seen, keys: [...new Set([...seen.keys, ...alt.keys])] });
  }
  return [...byProbe.values()];
}

/** The anchor of a field's value test, or null. */
function anchorOfValue(field: string, value: unknown): Anchor | null {
  if (typeof value === 'string') return [{ field, derive: 'lower', keys: [value.toLowerCase()] }];
  if (Array.isArray(value)) {
    // Any of the items: every item must pin (on any derivation) for the list to.
    const alts: AnchorAlt[] = [];
    for (const item of value) {
      const anchor = typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean'
        ? [{ field, derive: 'lower' as const, keys: [String(item).toLowerCase()] }]
        : anchorOfValue(field, item);
      if (anchor === null) return null;
      alts.push(...anchor);
    }
    return merged(alts);
  }
  if (!isObject(value)) return null;
  // Every operator holds: any one that pins is an anchor (an exact one rather than a substring).
  const all = value.of === 'all';
  let fallback: AnchorAlt | null = null;
  for (const [op, operand] of Object.entries(value)) {
    const alt = altOfOperator(field, op, operand, all);
    if (alt !== null && alt.derive !== 'contains') return [alt];
    fallback ??= alt;
  }
  return fallback === null ? null : [fallback];
}

/** Every anchor of a filter (each is a necessary condition); [] when it has none. */
export function anchorsOf(filter: unknown, depth = 0): Anchor[] {
  if (!isObject(filter) || depth > 16) return [];
  const out: Anchor[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'not') continue;
    if (key === 'all' && Array.isArray(value)) {
      for (const sub of value) out.push(...anchorsOf(sub, depth + 1));
    } else if (key === 'any' && Array.isArray(value)) {
      const union = unionOf(value.map((sub) => anchorsOf(sub, depth + 1)));
      if (union !== null) out.push(union);
    } else if (key !== 'any' && key !== 'all') {
      const anchor = anchorOfValue(key, value);
      if (anchor !== null) out.push(anchor);
    }
  }
  return out.filter((a) => a.reduce((n, alt) => n + alt.keys.length, 0) <= MAX_KEYS);
}

/**
 * One anchor holding when any of several filters (branches, sequence steps) holds: one
 * anchor of each, joined; null when a branch has none. The first anchor of each branch is
 * taken (the engine's choice among a rule's anchors happens later, over whole anchors).
 */
export function unionOf(branches: readonly Anchor[][]): Anchor | null {
  if (branches.length === 0 || branches.some((b) => b.length === 0)) return null;
  return merged(branches.flatMap((b) => b[0]!));
}
