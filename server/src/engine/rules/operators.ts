// The predicates on one field: an operator object (every operator holds) compiled once into
// closures over a field getter and pre-digested operands (lowered text, Sets, parsed
// networks, RE2 programs). String operators are case-insensitive unless `cased`; a list
// operand means any of its items, or all of them with `of: "all"`; `not_<op>` holds exactly
// when `<op>` does not (so a missing field satisfies it).
import { isFilterOperator, FILTER_OPERATORS, type FilterOperator } from '@siem/contracts';
import type { EngineEvent } from '../correlation/event.ts';
import { parseCidr } from '../normalize/ip.ts';
import { cidrTest } from './cidr.ts';
import { RuleCompileError } from './errors.ts';
import { isPresent, numberOf, textOf, type FieldGetter } from './fields.ts';
import { foldedEndsWith, foldedEquals, foldedIncludes, foldedStartsWith, mayFold } from './fold.ts';
import { listTest, type ListResolver } from './lists.ts';
import { regexTest, wildcardShape, type TextTest } from './patterns.ts';

export type Matcher = (e: EngineEvent) => boolean;
type Path = readonly (string | number)[];

/** A compiled predicate and its rough cost, so cheap tests run first (order changes no result). */
export interface Costed {
  match: Matcher;
  cost: number;
}

export interface OperatorContext {
  lists: ListResolver;
}

interface Operand {
  get: FieldGetter;
  value: unknown;
  cased: boolean;
  all: boolean;
  path: Path;
  ctx: OperatorContext;
}

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

/** A string or a non-empty list of strings, each with its path. */
function operandStrings(operand: unknown, path: Path, nonEmpty: boolean): Array<[string, Path]> {
  if (!Array.isArray(operand)) return [[operandString(operand, path, nonEmpty), path]];
  if (operand.length === 0) throw new RuleCompileError(path, 'List should have at least 1 item', 'too_short');
  return operand.map((item, i) => [operandString(item, [...path, i], nonEmpty), [...path, i]]);
}

/** Any (or all) of the text tests on the field's text; an absent or non-scalar field fails. */
function onText(get: FieldGetter, tests: readonly TextTest[], all: boolean): Matcher {
  if (tests.length === 1) {
    const test = tests[0]!;
    return (e) => {
      const text = textOf(get(e));
      return text !== null && test(text);
    };
  }
  if (all) {
    return (e) => {
      const text = textOf(get(e));
      return text !== null && tests.every((t) => t(text));
    };
  }
  return (e) => {
    const text = textOf(get(e));
    if (text === null) return false;
    for (let i = 0; i < tests.length; i++) if (tests[i]!(text)) return true;
    return false;
  };
}

type Position = 'equals' | 'contains' | 'startswith' | 'endswith';

function literalTest(position: Position, operand: string, cased: boolean): TextTest {
  if (cased) {
    switch (position) {
      case 'equals':
        return (t) => t === operand;
      case 'contains':
        return (t) => t.includes(operand);
      case 'startswith':
        return (t) => t.startsWith(operand);
      case 'endswith':
        return (t) => t.endsWith(operand);
    }
  }
  const lower = operand.toLowerCase();
  switch (position) {
    case 'equals':
      return (t) => foldedEquals(t, lower);
    case 'contains':
      return (t) => foldedIncludes(t, lower);
    case 'startswith':
      return (t) => foldedStartsWith(t, lower);
    case 'endswith':
      return (t) => foldedEndsWith(t, lower);
  }
}

/** Equality with any of a set of texts: one Set lookup instead of a loop. */
function equalsAny(get: FieldGetter, texts: readonly string[], cased: boolean): Matcher {
  const wanted = new Set(cased ? texts : texts.map((t) => t.toLowerCase()));
  return (e) => {
    const text = textOf(get(e));
    if (text === null) return false;
    // Most texts are already lower case: only a text that can fold pays for a copy.
    return wanted.has(text) || (!cased && mayFold(text) && wanted.has(text.toLowerCase()));
  };
}

function positional(position: Position, nonEmpty: boolean) {
  return (o: Operand): Matcher => {
    const items = operandStrings(o.value, o.path, nonEmpty);
    if (position === 'equals' && !o.all) return equalsAny(o.get, items.map(([s]) => s), o.cased);
    return onText(o.get, items.map(([s]) => literalTest(position, s, o.cased)), o.all);
  };
}

function wildcard(o: Operand): Matcher {
  const tests = operandStrings(o.value, o.path, true).map(([pattern, at]): TextTest => {
    const shape = wildcardShape(pattern);
    if (shape.kind === 'any') return () => true;
    if (shape.kind === 'pattern') return regexTest(shape.regex, o.cased, at, true);
    return literalTest(shape.kind, shape.literal, o.cased);
  });
  return onText(o.get, tests, o.all);
}

function regex(o: Operand): Matcher {
  return onText(o.get, operandStrings(o.value, o.path, true).map(([pattern, at]) => regexTest(pattern, o.cased, at)), o.all);
}

function cidr(o: Operand): Matcher {
  const tests = operandStrings(o.value, o.path, true).map(([text, at]) => {
    // Parsed once here; the contracts check is textual, this parser is the authority.
    const block = parseCidr(text);
    if (!block) throw new RuleCompileError(at, `'${text}' is not an IPv4 or IPv6 network`);
    return cidrTest(block);
  });
  return (e) => {
    const v = o.get(e);
    if (typeof v !== 'string') return false;
    return o.all ? tests.every((t) => t(v)) : tests.some((t) => t(v));
  };
}

function equalsOperand(o: Operand): Matcher {
  const scalars = Array.isArray(o.value) ? o.value : [o.value];
  if (scalars.length === 0) throw new RuleCompileError(o.path, 'List should have at least 1 item', 'too_short');
  const texts = scalars.map((v, i) => {
    const at = Array.isArray(o.value) ? [...o.path, i] : o.path;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return operandString(v, at, false);
  });
  return positional('equals', false)({ ...o, value: texts });
}

function inList(o: Operand): Matcher {
  const tests = operandStrings(o.value, o.path, true).map(([name, at]) => {
    const list = o.ctx.lists(name);
    if (list === null) throw new RuleCompileError(at, `Unknown list '${name}'; create it first (shared lists)`);
    return listTest(list);
  });
  return (e) => {
    const text = textOf(o.get(e));
    if (text === null) return false;
    return o.all ? tests.every((t) => t(text)) : tests.some((t) => t(text));
  };
}

type Builder = (o: Operand) => Matcher;

/** The positive operators; every `not_<op>` is derived from its `<op>`. */
const POSITIVE: Readonly<Record<string, Builder>> = {
  in: (o) => {
    if (!Array.isArray(o.value)) throw new RuleCompileError(o.path, 'Input should be a valid list', 'list_type');
    const items = operandStrings(o.value, o.path, false).map(([s]) => s);
    // A number's text is its decimal form, which has no case: compare numbers as numbers.
    const numbers = new Set(items.filter((w) => String(Number(w)) === w).map(Number));
    const texts = equalsAny(o.get, items, o.cased);
    return (e) => {
      const v = o.get(e);
      return typeof v === 'number' ? numbers.has(v) : texts(e);
    };
  },
  not: (o) => {
    const unwanted = operandString(o.value, o.path, false);
    const test = literalTest('equals', unwanted, o.cased);
    return (e) => {
      const text = textOf(o.get(e));
      return text === null || !test(text);
    };
  },
  exists: (o) => {
    if (typeof o.value !== 'boolean') throw new RuleCompileError(o.path, 'Input should be a valid boolean', 'bool_type');
    return o.value ? (e) => isPresent(o.get(e)) : (e) => !isPresent(o.get(e));
  },
  // NaN (no number) fails every comparison, so a non-numeric field never matches.
  gt: (o) => {
    const bound = operandNumber(o.value, o.path);
    return (e) => numberOf(o.get(e)) > bound;
  },
  gte: (o) => {
    const bound = operandNumber(o.value, o.path);
    return (e) => numberOf(o.get(e)) >= bound;
  },
  lt: (o) => {
    const bound = operandNumber(o.value, o.path);
    return (e) => numberOf(o.get(e)) < bound;
  },
  lte: (o) => {
    const bound = operandNumber(o.value, o.path);
    return (e) => numberOf(o.get(e)) <= bound;
  },
  equals: equalsOperand,
  contains: positional('contains', true),
  startswith: positional('startswith', true),
  endswith: positional('endswith', true),
  wildcard,
  regex,
  cidr,
  in_list: inList,
};

const COST: Readonly<Record<string, number>> = {
  equals: 1, in: 1, not: 1, exists: 1, gt: 1, gte: 1, lt: 1, lte: 1, in_list: 1,
  contains: 2, startswith: 2, endswith: 2, cidr: 3, wildcard: 4, regex: 6,
};

function compileOperator(op: FilterOperator, o: Operand): Costed {
  const negated = op.startsWith('not_');
  const base = negated ? op.slice(4) : op;
  const positive = POSITIVE[base]!(o);
  return { match: negated ? (e) => !positive(e) : positive, cost: COST[base]! };
}

const MODIFIERS = new Set(['cased', 'of']);

/** An operator object: every operator holds. `path` locates the object. */
export function compileOperatorObject(get: FieldGetter, value: Readonly<Record<string, unknown>>, path: Path, ctx: OperatorContext): Costed {
  const cased = value.cased === true;
  const all = value.of === 'all';
  const ops = Object.keys(value).filter((k) => !MODIFIERS.has(k));
  if (ops.length === 0) throw new RuleCompileError(path, `An operator object needs at least one operator (${FILTER_OPERATORS.join(', ')})`);
  const parts = ops.map((op) => {
    if (!isFilterOperator(op)) throw new RuleCompileError(path, `Unknown operator '${op}'; valid operators: ${FILTER_OPERATORS.join(', ')}`);
    return compileOperator(op, { get, value: value[op], cased, all, path: [...path, op], ctx });
  });
  return parts.length === 1 ? parts[0]! : { match: allOf(parts), cost: parts.reduce((sum, p) => sum + p.cost, 0) };
}

/** Every matcher holds, cheapest first; unrolled for the common sizes. */
export function allOf(parts: readonly Costed[]): Matcher {
  const ms = [...parts].sort((a, b) => a.cost - b.cost).map((p) => p.match);
  switch (ms.length) {
    case 0:
      return MATCH_ALL;
    case 1:
      return ms[0]!;
    case 2: {
      const [a, b] = ms as [Matcher, Matcher];
      return (e) => a(e) && b(e);
    }
    case 3: {
      const [a, b, c] = ms as [Matcher, Matcher, Matcher];
      return (e) => a(e) && b(e) && c(e);
    }
    default:
      return (e) => {
        for (let i = 0; i < ms.length; i++) if (!ms[i]!(e)) return false;
        return true;
      };
  }
}

/** At least one matcher holds, cheapest first. */
export function anyOf(parts: readonly Costed[]): Matcher {
  const ms = [...parts].sort((a, b) => a.cost - b.cost).map((p) => p.match);
  switch (ms.length) {
    case 0:
      return () => false;
    case 1:
      return ms[0]!;
    case 2: {
      const [a, b] = ms as [Matcher, Matcher];
      return (e) => a(e) || b(e);
    }
    default:
      return (e) => {
        for (let i = 0; i < ms.length; i++) if (ms[i]!(e)) return true;
        return false;
      };
  }
}

export const MATCH_ALL: Matcher = () => true;
