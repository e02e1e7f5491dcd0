// Field errors for forms, from either side: the server's 422 `details` or a
// local check with the same contract schemas, so both land on the same field keys.
import type { z } from 'zod';
import type { ErrorDetail } from '@siem/contracts';
import { ApiError, errorMessage } from './api-client.ts';

export type FieldErrors = Record<string, string>;

/** First message per field path; `""` (the whole body) goes to the form-level key `_form`. */
export function detailsToFieldErrors(details: readonly ErrorDetail[], mapField: (field: string) => string = (f) => f): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details) {
    const key = d.field === '' ? '_form' : mapField(d.field);
    out[key] ??= d.message;
  }
  return out;
}

export function zodToDetails(error: z.ZodError): ErrorDetail[] {
  // zod's wording for an absent key is technical; the server says "Field required".
  return error.issues.map((i) => ({
    field: i.path.map(String).join('.'),
    message: /received undefined$/.test(i.message) ? 'Field required' : i.message,
    type: i.code,
  }));
}

/**
 * Errors of a failed submit: 422 details at their fields, and the statuses a form knows
 * (`byStatus`, e.g. 409 -> `username`) at theirs; anything else is form-level.
 */
export function submitErrors(
  e: unknown,
  opts: { mapField?: (field: string) => string; byStatus?: Record<number, string | ((message: string) => string)> } = {},
): FieldErrors {
  if (e instanceof ApiError) {
    if (e.details.length > 0) {
      const fields = detailsToFieldErrors(e.details, opts.mapField);
      return Object.keys(fields).length > 0 ? fields : { _form: e.message };
    }
    const target = opts.byStatus?.[e.status];
    if (target) {
      const key = typeof target === 'function' ? target(e.message) : target;
      return { [key]: e.message };
    }
  }
  return { _form: errorMessage(e) };
}
