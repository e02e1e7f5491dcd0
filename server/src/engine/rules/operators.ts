// Event filters -> predicates (equality and the operators). Each filter entry
// is compiled once into a closure over a field getter and a pre-digested operand (lowered
// text, a Set, a parsed network); no regular expression is ever built from rule text.
import { FILTER_OPERATORS, isFilterOperator, type FilterOperator } from '@siem/contracts';
import type { EngineEvent } from '../correlation/event.ts';
import { parseCidr } from '../normalize/ip.ts';
import { cidrTest } from './cidr.ts';
import { RuleCompileError } from './errors.ts';
import { foldedEndsWith, foldedEquals, foldedIncludes, foldedStartsWith, mayFold } from './fold.ts';
import { fieldGetter, isPresent, numberOf, textOf, type FieldGetter } from './fields.ts';

export type Matcher = (e: EngineEvent) => boolean;
type Path = readonly (string | number)[];

export const MATCH_ALL: Matcher = () => true;

function operandString(operand: unknown, path: Path, nonEmpty: boolean): string {
  if (typeof operand !== 'string') throw new RuleCompileError(path, 'Input should be a valid string', 'string_type');
  if (nonEmpty && operand.length === 0) throw new RuleCompileError(path, 'String should have at least 1 character', 'string_too_short');
  return operand;
}

function operandNumber(operand: unknown, path: Path): number {
  if (typeof operand !== 'number' || !Number.isFinite(operand)) {
    throw new RuleCompileError(path, 'Input should be a valid number', 'float_type');
  }
  return operand;
}

/** A string operator: the field's text (see textOf) tested against the lowered operand. */
function textTest(get: FieldGetter, lower: string, test: (text: string, lower: string) => boolean): Matcher {
  return (e) => {
    const text = textOf(get(e));
    return text !== null && test(text, lower);
  };
}

type OperatorBuilder = (get: FieldGetter, operand: unknown, path: Path) => Matcher;

// Registry by operator name (STYLE rule 6); an unknown name is an error listing these.
const OPERATORS: Readonly<Record<FilterOperator, OperatorBuilder>> = {
  in: (get, operand, path) => {
    if (!Array.isArray(operand)) throw new RuleCompileError(path, 'Input should be a valid list', 'list_type');
    if (operand.length === 0) throw new RuleCompileError(path, 'List should have at least 1 item', 'too_short');
    const wanted = new Set(operand.map((item, i) => operandString(item, [...path, i], false).toLowerCase()));
    // A number's text is its decimal form, which has no case: compare numbers as numbers
    // rather than building their text per event.
    const numbers = new Set([...wanted].filter((w) => String(Number(w)) === w).map(Number));
    return (e) => {
      const v = get(e);
      if (typeof v === 'number') return numbers.has(v);
      const text = textOf(v);
      if (text === null) return false;
      // Most texts are already lower case: only a text that can fold pays for a copy.
      return wanted.has(text) || (mayFold(text) && wanted.has(text.toLowerCase()));
    };
  },
  not: (get, operand, path) => {
    const unwanted = operandString(operand, path, false).toLowerCase();
    return (e) => {
      const text = textOf(get(e));
      return text === null || !foldedEquals(text, unwanted);
    };
  },
  exists: (get, operand, path) => {
    if (typeof operand !== 'boolean') throw new RuleCompileError(path, 'Input should be a valid boolean', 'bool_type');
    return operand ? (e) => isPresent(get(e)) : (e) => !isPresent(get(e));
  },
  contains: (get, operand, path) => textTest(get, operandString(operand, path, true).toLowerCase(), foldedIncludes),
  startswith: (get, operand, path) => textTest(get, operandString(operand, path, true).toLowerCase(), foldedStartsWith),
  endswith: (get, operand, path) => textTest(get, operandString(operand, path, true).toLowerCase(), foldedEndsWith),
  // NaN (no number) fails every comparison, so a non-numeric field never matches.
  gt: (get, operand, path) => {
    const bound = operandNumber(operand, path);
    return (e) => numberOf(get(e)) > bound;
  },
  gte: (get, operand, path) => {
    const bound = operandNumber(operand, path);
    return (e) => numberOf(get(e)) >= bound;
  },
  lt: (get, operand, path) => {
    const bound = operandNumber(operand, path);
    return (e) => numberOf(get(e)) < bound;
  },
  lte: (get, operand, path) => {
    const bound = operandNumber(operand, path);
    return (e) => numberOf(get(e)) <= bound;
  },
  cidr: (get, operand, path) => {
    const text = operandString(operand, path, true);
    // Parsed once here; the contracts check is textual, this parser is the authority.
    const block = parseCidr(text);
    if (!block) throw new RuleCompileError(path, `'${text}' is not an IPv4 or IPv6 network`);
    const inside = cidrTest(block);
    return (e) => {
      const v = get(e);
      return typeof v === 'string' && inside(v);
    };
  },
};

/**
 * Exact, case-sensitive equality. A number compares by its decimal text ("22" matches port
 * 22) and a boolean by "true"/"false"; the expected text is converted once, here, so the
 * per-event test is a strict comparison.
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

// Cheap tests first so a failing event leaves early; the order changes no result.
const COST: Readonly<Record<FilterOperator, number>> = {
  in: 1, not: 1, exists: 1, gt: 1, gte: 1, lt: 1, lte: 1, contains: 2, startswith: 2, endswith: 2, cidr: 3,
};

interface CompiledEntry {
  match: Matcher;
  cost: number;
}

function compileEntry(field: string, value: unknown, path: Path): CompiledEntry {
  const get = fieldGetter(field);
  if (!get) throw new RuleCompileError(path, `Unknown field '${field}'`);
  if (typeof value === 'string') return { match: equals(get, value), cost: 0 };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RuleCompileError(path, 'Input should be a string or an object with one operator', 'string_type');
  }
  const ops = Object.keys(value);
  if (ops.length !== 1) throw new RuleCompileError(path, `An operator filter takes exactly one operator; got ${ops.length}`);
  const op = ops[0]!;
  if (!isFilterOperator(op)) {
    throw new RuleCompileError(path, `Unknown operator '${op}'; valid operators: ${FILTER_OPERATORS.join(', ')}`);
  }
  return { match: OPERATORS[op](get, (value as Record<string, unknown>)[op], [...path, op]), cost: COST[op] };
}

/** Every entry must match (AND); `{}` matches every event. `path` locates the filter. */
export function compileFilter(filter: Readonly<Record<string, unknown>>, path: Path): Matcher {
  const parts = Object.entries(filter)
    .map(([field, value]) => compileEntry(field, value, [...path, field]))
    .sort((a, b) => a.cost - b.cost)
    .map((entry) => entry.match);
  // Unrolled for the common sizes: a loop over a closure array costs more than two calls.
  switch (parts.length) {
    case 0:
      return MATCH_ALL;
    case 1:
      return parts[0]!;
    case 2: {
      const [a, b] = parts as [Matcher, Matcher];
      return (e) => a(e) && b(e);
    }
    case 3: {
      const [a, b, c] = parts as [Matcher, Matcher, Matcher];
      return (e) => a(e) && b(e) && c(e);
    }
    default:
      return (e) => {
        for (let i = 0; i < parts.length; i++) if (!parts[i]!(e)) return false;
        return true;
      };
  }
}
