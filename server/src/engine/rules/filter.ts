// Filters -> matchers. A filter is an object whose entries all hold: a field with its value
// test, or a combinator (`all` / `any` over sub-filters, `not` over one). Compiled once per
// rule; per event only closures run. Also derives what the engine's index needs: the values
// a filter pins a field to.
import { FILTER_LIMITS } from '@siem/contracts';
import { RuleCompileError } from './errors.ts';
import { fieldGetter, textOf, type FieldGetter } from './fields.ts';
import { allOf, anyOf, compileOperatorObject, type Costed, type Matcher, type OperatorContext } from './operators.ts';
import { NO_LISTS } from './lists.ts';

type Path = readonly (string | number)[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Exact, case-sensitive equality (a bare string, as in v1). A number compares by its
 * decimal text ("22" matches port 22) and a boolean by "true"/"false"; the expected text is
 * converted once, here, so the per-event test is a strict comparison.
 */
function equals(get: FieldGetter, expected: string): Matcher {
  const asNumber = Number(expected);
  if (expected.length > 0 && String(asNumber) === expected) {
    return (e) => {
      const v = get(e);
      return v === expected || v === asNumber;
    };
  }
  if (expected === 'true' || expected === 'false') {
    const asBool = expected === 'true';
    return (e) => {
      const v = get(e);
      return v === expected || v === asBool;
    };
  }
  return (e) => get(e) === expected;
}

function valueTest(get: FieldGetter, value: unknown, path: Path, ctx: OperatorContext): Costed {
  if (typeof value === 'string') return { match: equals(get, value), cost: 0 };
  if (isObject(value)) return compileOperatorObject(get, value, path, ctx);
  if (!Array.isArray(value)) {
    throw new RuleCompileError(path, 'Input should be a string (equality), a list (any of) or an object of operators', 'string_type');
  }
  if (value.length === 0) throw new RuleCompileError(path, 'List should have at least 1 item', 'too_short');
  // A list of plain texts is one Set lookup (exact, case-sensitive, numbers by their text).
  if (value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    const wanted = new Set(value.map((v) => String(v)));
    return {
      match: (e) => {
        const text = textOf(get(e));
        return text !== null && wanted.has(text);
      },
      cost: 1,
    };
  }
  const items = value.map((item, i): Costed => {
    const at = [...path, i];
    if (isObject(item)) return compileOperatorObject(get, item, at, ctx);
    if (typeof item === 'string') return { match: equals(get, item), cost: 0 };
    if ((typeof item === 'number' && Number.isFinite(item)) || typeof item === 'boolean') return { match: equals(get, String(item)), cost: 0 };
    throw new RuleCompileError(at, 'A list item should be a string, a number, a boolean or an operator object', 'string_type');
  });
  return { match: anyOf(items), cost: items.reduce((sum, c) => sum + c.cost, 0) };
}

function compileNode(filter: unknown, path: Path, ctx: OperatorContext, depth: number): Costed {
  if (!isObject(filter)) throw new RuleCompileError(path, 'Input should be a valid dictionary', 'dict_type');
  if (depth > FILTER_LIMITS.maxDepth) throw new RuleCompileError(path, `Filters nest at most ${FILTER_LIMITS.maxDepth} levels deep`);
  const parts = Object.entries(filter).map(([key, value]): Costed => {
    const at = [...path, key];
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(value) || value.length === 0) throw new RuleCompileError(at, 'Input should be a non-empty list of filters', 'list_type');
      const subs = value.map((sub, i) => compileNode(sub, [...at, i], ctx, depth + 1));
      const cost = 1 + subs.reduce((max, s) => Math.max(max, s.cost), 0);
      return { match: key === 'all' ? allOf(subs) : anyOf(subs), cost };
    }
    if (key === 'not') {
      const inner = compileNode(value, at, ctx, depth + 1);
      return { match: (e) => !inner.match(e), cost: inner.cost + 1 };
    }
    const get = fieldGetter(key);
    if (!get) throw new RuleCompileError(at, `Unknown field '${key}'`);
    return valueTest(get, value, at, ctx);
  });
  return { match: allOf(parts), cost: parts.reduce((sum, p) => sum + p.cost, 0) };
}

/** Every entry must match (AND); `{}` matches every event. `path` locates the filter. */
export function compileFilter(filter: Readonly<Record<string, unknown>>, path: Path, ctx: OperatorContext = { lists: NO_LISTS }): Matcher {
  return compileNode(filter, path, ctx, 0).match;
}

/** Lower-cased texts of a value test that pins its field by equality, else null. */
function pinsOfValue(value: unknown): string[] | null {
  if (typeof value === 'string') return [value.toLowerCase()];
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'string') ? (value as string[]).map((v) => v.toLowerCase()) : null;
  }
  if (!isObject(value)) return null;
  // Only an object of nothing but one positive equality pins (`cased` only narrows it).
  const ops = Object.keys(value).filter((k) => k !== 'cased');
  if (ops.length !== 1) return null;
  const operand = value[ops[0]!];
  if (ops[0] !== 'in' && ops[0] !== 'equals') return null;
  const items = Array.isArray(operand) ? operand : [operand];
  return items.map((v) => String(v).toLowerCase());
}

/**
 * The lower-cased values `field` must equal (case-insensitively) for the filter to hold, or
 * null when the filter does not pin it. Used to index rules: a rule pinned to some event
 * types is only offered events of those types. An over-approximation is safe (the matcher
 * still decides); missing a possible value is not, so `not` and partial `any` pin nothing.
 */
export function pinnedValues(filter: unknown, field: string): string[] | null {
  if (!isObject(filter)) return null;
  for (const [key, value] of Object.entries(filter)) {
    if (key === field) {
      const pins = pinsOfValue(value);
      if (pins !== null) return pins;
    } else if (key === 'all' && Array.isArray(value)) {
      for (const sub of value) {
        const pins = pinnedValues(sub, field);
        if (pins !== null) return pins;
      }
    } else if (key === 'any' && Array.isArray(value) && value.length > 0) {
      const branches = value.map((sub) => pinnedValues(sub, field));
      if (branches.every((b) => b !== null)) return [...new Set(branches.flat() as string[])];
    }
  }
  return null;
}
