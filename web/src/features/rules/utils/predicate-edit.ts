// Edits of one predicate row, as pure functions: the values shown as chips, an operator
// change (the operand converted to what the new operator takes), and the modifiers. A
// plain-string or list predicate is exact, cased equality; changing its operator makes it
// an operator object with the language's defaults (case-insensitive).
import type { Predicate, Test } from './filter-tree.ts';
import { LIST_ONLY, operatorInfo } from './operators.ts';

/** The operand as editable text items. */
export function valuesOf(test: Test): string[] {
  const v = test.value;
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (v === '' || v === undefined || v === null) return [];
  return [String(v)];
}

const toNumber = (text: string | undefined): number | string => {
  const t = (text ?? '').trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
};

/** The operand for `op` from text items; `wasList` keeps a one-item list a list. */
export function operandFor(op: string, values: string[], wasList: boolean): unknown {
  const kind = operatorInfo(op)?.operand ?? 'strings';
  if (kind === 'number') return toNumber(values[0]);
  if (kind === 'boolean') return values[0] !== 'false';
  if (LIST_ONLY.has(op) || wasList || values.length > 1) return values;
  return values[0] ?? '';
}

function withTest(p: Predicate, index: number, test: Test): Predicate {
  return { ...p, tests: p.tests.map((t, i) => (i === index ? test : t)) };
}

export function setValues(p: Predicate, index: number, values: string[]): Predicate {
  const test = p.tests[index]!;
  const next = withTest(p, index, { op: test.op, value: operandFor(test.op, values, Array.isArray(test.value)) });
  if (p.shape === 'string' && values.length > 1) next.shape = 'list';
  return next;
}

export function setOp(p: Predicate, index: number, op: string): Predicate {
  const test = p.tests[index]!;
  const next = withTest(p, index, { op, value: operandFor(op, valuesOf(test), Array.isArray(test.value)) });
  if (p.shape === 'string' || p.shape === 'list') {
    next.shape = 'object';
    // The exactness was the plain string's; an operator object starts case-insensitive.
    delete next.cased;
  }
  return next;
}

export function addTest(p: Predicate): Predicate {
  return { ...p, shape: p.shape === 'raw' ? 'raw' : 'object', tests: [...p.tests, { op: 'contains', value: '' }] };
}

export function removeTest(p: Predicate, index: number): Predicate {
  return { ...p, shape: 'object', tests: p.tests.filter((_, i) => i !== index) };
}

export function setCased(p: Predicate, cased: boolean): Predicate {
  const next: Predicate = { ...p };
  if (cased) return { ...next, cased: true };
  // Unchecking "cased" on a plain string needs an operator object to say so.
  if (p.shape === 'string' || p.shape === 'list') next.shape = 'object';
  delete next.cased;
  return next;
}

export function setOfAll(p: Predicate, all: boolean): Predicate {
  const next: Predicate = { ...p, shape: p.shape === 'string' || p.shape === 'list' ? 'object' : p.shape };
  if (all) next.of = 'all';
  else delete next.of;
  return next;
}

/** Whether `of: all` means anything here: some test has a list operand. */
export const hasListOperand = (p: Predicate): boolean => p.tests.some((t) => Array.isArray(t.value) && t.value.length > 1) || p.of !== undefined;

/** A raw value edited as JSON text; a parse error is returned for the row to show. */
export function setRawText(p: Predicate, text: string): { pred: Predicate; error: string | null } {
  try {
    return { pred: { ...p, raw: JSON.parse(text) as unknown }, error: null };
  } catch (e) {
    return { pred: p, error: `Not valid JSON: ${(e as Error).message}` };
  }
}
