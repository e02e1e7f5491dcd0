// Zod issues -> validation details. Types follow the codes v1 clients know (missing,
// string_type, enum, ...); a schema can force one with `params: { type }`.
import type { ErrorDetail } from '@siem/contracts';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: PropertyKey[]): { found: boolean; value: unknown } {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key as string)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

const quote = (v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v));

function typeFor(issue: Issue, input: unknown, atRoot: boolean): { type: string; message?: string } {
  const forced = (issue as { params?: { type?: unknown } }).params?.type;
  if (typeof forced === 'string') return { type: forced };
  if (!atRoot && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code)) {
    const at = valueAt(input, issue.path);
    if (!at.found || at.value === undefined) return { type: 'missing', message: 'Field required' };
  }
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected;
      if (expected === 'string') return { type: 'string_type', message: 'Input should be a valid string' };
      if (expected === 'number') return { type: 'float_type', message: 'Input should be a valid number' };
      if (expected === 'int') return { type: 'int_type', message: 'Input should be a valid integer' };
      if (expected === 'boolean') return { type: 'bool_type', message: 'Input should be a valid boolean' };
      if (expected === 'array') return { type: 'list_type', message: 'Input should be a valid list' };
      if (expected === 'object' || expected === 'record') {
        return atRoot
          ? { type: 'model_type', message: 'Input should be a JSON object' }
          : { type: 'dict_type', message: 'Input should be a valid dictionary' };
      }
      return { type: 'value_error' };
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return { type: 'string_too_short', message: `String should have at least ${issue.minimum} character${Number(issue.minimum) === 1 ? '' : 's'}` };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { type: 'too_short', message: `List should have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}` };
      }
      return { type: 'greater_than_equal', message: `Input should be greater than or equal to ${issue.minimum}` };
    case 'too_big':
      if (issue.origin === 'string') return { type: 'string_too_long', message: `String should have at most ${issue.maximum} characters` };
      if (issue.origin === 'array' || issue.origin === 'set') return { type: 'too_long', message: `List should have at most ${issue.maximum} items` };
      return { type: 'less_than_equal', message: `Input should be less than or equal to ${issue.maximum}` };
    case 'invalid_value':
      if (issue.values.length === 1) return { type: 'literal_error', message: `Input should be ${quote(issue.values[0])}` };
      return {
        type: 'enum',
        message: `Input should be ${issue.values.slice(0, -1).map(quote).join(', ')} or ${quote(issue.values.at(-1))}`,
      };
    case 'invalid_format':
      return { type: issue.format === 'regex' ? 'string_pattern_mismatch' : 'value_error' };
    default:
      return { type: 'value_error' };
  }
}

/** Maps a ZodError for `input` to details; `prefix` is prepended to every field path. */
export function zodDetails(error: z.ZodError, input: unknown, prefix: (string | number)[] = []): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const { type, message } = typeFor(issue, input, issue.path.length === 0);
    return { field: path.join('.'), message: message ?? issue.message, type };
  });
}
