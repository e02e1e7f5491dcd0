// The value tests the builder offers, with the operand each takes. The rule language
// (docs/rules.md) is the authority; an operator stored in a rule but missing here is
// still kept and shown as is (the server decides whether it is valid).
export type OperandKind = 'strings' | 'number' | 'boolean' | 'lists';

export interface OperatorInfo {
  op: string;
  label: string;
  operand: OperandKind;
  /** Negated form (`not_contains`), grouped after the positive ones in the picker. */
  negated?: boolean;
  hint?: string;
}

const positive: OperatorInfo[] = [
  { op: 'equals', label: 'equals', operand: 'strings' },
  { op: 'contains', label: 'contains', operand: 'strings' },
  { op: 'startswith', label: 'starts with', operand: 'strings' },
  { op: 'endswith', label: 'ends with', operand: 'strings' },
  { op: 'wildcard', label: 'wildcard', operand: 'strings', hint: '* any run, ? one character' },
  { op: 'regex', label: 'regex', operand: 'strings', hint: 'RE2 syntax, anchor with ^...$' },
  { op: 'cidr', label: 'in network', operand: 'strings', hint: '10.0.0.0/8' },
  { op: 'in_list', label: 'in list', operand: 'lists', hint: 'list name' },
  { op: 'in', label: 'is one of', operand: 'strings', hint: 'one value per line' },
  { op: 'gt', label: '>', operand: 'number' },
  { op: 'gte', label: '≥', operand: 'number' },
  { op: 'lt', label: '<', operand: 'number' },
  { op: 'lte', label: '≤', operand: 'number' },
  { op: 'exists', label: 'exists', operand: 'boolean' },
];

const NEGATABLE = ['equals', 'contains', 'startswith', 'endswith', 'wildcard', 'regex', 'cidr', 'in_list'];

export const OPERATORS: readonly OperatorInfo[] = [
  ...positive,
  ...positive
    .filter((o) => NEGATABLE.includes(o.op))
    .map((o): OperatorInfo => ({ ...o, op: `not_${o.op}`, label: `not ${o.label}`, negated: true })),
  // The legacy "is absent or differs" operator, kept for rules written with it.
  { op: 'not', label: 'is not', operand: 'strings', negated: true },
];

const BY_OP = new Map(OPERATORS.map((o) => [o.op, o]));
export const operatorInfo = (op: string): OperatorInfo | undefined => BY_OP.get(op);
export const isKnownOperator = (op: string): boolean => BY_OP.has(op);

/** Keys of an operator object that are modifiers, not tests. */
export const MODIFIERS = ['cased', 'of'] as const;
export const isModifier = (key: string): boolean => (MODIFIERS as readonly string[]).includes(key);

/** Filter keys that combine filters instead of naming a field. */
export const COMBINATORS = ['all', 'any', 'not'] as const;
export type Combinator = (typeof COMBINATORS)[number];

/** Operators whose operand is a list by definition. */
export const LIST_ONLY = new Set(['in']);

/** The builder's bounds, the same as the rule language's. */
export const TREE_LIMITS = { maxDepth: 16, maxGroupItems: 64, maxListItems: 1000, maxExceptions: 100, maxGroupBy: 5 } as const;
