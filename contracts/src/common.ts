// Shared building blocks for request and response schemas: enums, lenient number and
// boolean fields, pagination and the error body.
import { z } from 'zod';

export const SOURCE_TYPES = ['firewall', 'ids', 'auth', 'endpoint', 'dns', 'proxy', 'generic'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const ALERT_STATUSES = ['new', 'acknowledged', 'investigating', 'resolved', 'false_positive'] as const;
export const ROLES = ['analyst', 'engineer', 'admin'] as const;
/** Roles that may change detections (rules). */
export const RULE_EDITOR_ROLES = ['engineer', 'admin'] as const;

export const SourceTypeSchema = z.enum(SOURCE_TYPES);
export const SeveritySchema = z.enum(SEVERITIES);
export const AlertStatusSchema = z.enum(ALERT_STATUSES);
export const RoleSchema = z.enum(ROLES);
export type SourceType = z.infer<typeof SourceTypeSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type AlertStatus = z.infer<typeof AlertStatusSchema>;
export type Role = z.infer<typeof RoleSchema>;

export const IdSchema = z.string().regex(/^[0-9a-f]{24}$/);
export const IdParamsSchema = (name: string) => z.object({ [name]: z.string() });

/** Marks an issue with the `type` code the error mapper reports. */
function fail(ctx: z.RefinementCtx, type: string, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message, params: { type } });
  return z.NEVER;
}

// Decimal text only: Number() would also read "0x10", "0b1", "0o7" and "" (as 0).
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Both bounds are required: every number a client sends has an explicit range. */
type IntOpts = { min: number; max: number; source: 'query' | 'body' };

/**
 * An integer read leniently: JSON numbers, and numeric strings ("2", " 2 ", "2.0").
 * A fractional number is `int_from_float`, anything else `int_parsing` / `int_type`.
 */
export function lenientInt(opts: IntOpts) {
  return z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      let n: number;
      if (typeof value === 'string') {
        const text = value.trim();
        n = DECIMAL.test(text) ? Number(text) : Number.NaN;
        if (!Number.isFinite(n) || !Number.isInteger(n)) {
          return fail(ctx, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer');
        }
      } else {
        n = value;
        if (!Number.isFinite(n)) return fail(ctx, 'int_type', 'Input should be a valid integer');
        if (!Number.isInteger(n)) {
          return fail(ctx, 'int_from_float', 'Input should be a valid integer, got a number with a fractional part');
        }
      }
      if (n < opts.min) return fail(ctx, 'greater_than_equal', `Input should be greater than or equal to ${opts.min}`);
      if (n > opts.max) return fail(ctx, 'less_than_equal', `Input should be less than or equal to ${opts.max}`);
      return n;
    });
}

/** A number read leniently (JSON number or numeric string), bounded. */
export function lenientNumber(opts: { min: number; max: number }) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const n = typeof value === 'string' ? (DECIMAL.test(value.trim()) ? Number(value.trim()) : Number.NaN) : value;
    if (!Number.isFinite(n)) return fail(ctx, 'float_parsing', 'Input should be a valid number');
    if (n < opts.min) return fail(ctx, 'greater_than_equal', `Input should be greater than or equal to ${opts.min}`);
    if (n > opts.max) return fail(ctx, 'less_than_equal', `Input should be less than or equal to ${opts.max}`);
    return n;
  });
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/** A boolean that also takes the words v1 servers took ("yes", "off", "1"...). */
export function lenientBool() {
  return z.union([z.boolean(), z.string(), z.number()]).transform((value, ctx) => {
    if (typeof value === 'boolean') return value;
    const word = String(value).trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return fail(ctx, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input');
  });
}

/** Longest query filter value; longer than any stored value it could match. */
export const FILTER_MAX = 1024;

/** An optional query filter: absent, null or "" all mean "no filter". */
export const optionalFilter = z
  .string()
  .max(FILTER_MAX)
  .optional()
  .nullable()
  .transform((v) => (v === undefined || v === null || v === '' ? undefined : v));

/**
 * Highest page number: with the largest page size the offset stays a plain integer for
 * the store (a bigint OFFSET overflowed), and no real listing is browsed that far.
 */
export const MAX_PAGE = 1_000_000;

export function paginationQuery(defaults: { perPage: number; maxPerPage: number }) {
  return {
    page: lenientInt({ min: 1, max: MAX_PAGE, source: 'query' }).optional().default(1),
    per_page: lenientInt({ min: 1, max: defaults.maxPerPage, source: 'query' }).optional().default(defaults.perPage),
  };
}

export const PageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    per_page: z.number().int(),
    pages: z.number().int(),
  });

export type Page<T> = { items: T[]; total: number; page: number; per_page: number; pages: number };

export const ErrorDetailSchema = z.object({
  field: z.string(),
  message: z.string(),
  type: z.string(),
  /** Located errors in a text input (the search query language): 0-based offset, length, and a closest valid name. */
  position: z.number().int().optional(),
  length: z.number().int().optional(),
  suggestion: z.string().optional(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.array(ErrorDetailSchema).optional(),
  retry_after: z.number().int().nullable().optional(),
  code: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const DeletedSchema = z.object({ deleted: z.literal(true) });
