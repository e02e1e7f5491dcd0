// Shared lists (addresses, users, hosts, process names, domains, free text) that rules
// reference with in_list / not_in_list, their bounds and the per-kind item rules (here so
// the web client checks items exactly like the server), and rule exceptions made from an alert.
import { z } from 'zod';
import type { ErrorDetail } from './common.ts';
import { IdSchema } from './common.ts';
import { LIST_NAME, MAX_EXCEPTIONS, isCidrText } from './rule-filter.ts';
import { RuleSchema } from './rules.ts';

export const LIST_KINDS = ['ip', 'user', 'host', 'process', 'domain', 'text'] as const;
export const ListKindSchema = z.enum(LIST_KINDS);
export type ListKind = z.infer<typeof ListKindSchema>;

/**
 * Bounds. A list is loaded whole into every engine, so 100,000 items of at most 512
 * characters is the ceiling per list and 1,000 lists in all; a rule keeps 100 exceptions.
 * `maxItemDetails` caps the 422 details for a pasted list full of bad lines.
 */
export const LIST_LIMITS = {
  maxLists: 1_000,
  maxItems: 100_000,
  maxItemLength: 512,
  maxDescription: 2_000,
  maxExceptions: MAX_EXCEPTIONS,
  maxExceptionFields: 5,
  maxItemDetails: 20,
} as const;

export const LIST_NAME_PATTERN = LIST_NAME;
export const ListNameSchema = z
  .string()
  .regex(LIST_NAME_PATTERN, 'A list name is 1 to 64 characters: lowercase letters, digits, "_", "." and "-", starting with a letter or digit');

const ItemsSchema = z.array(z.string().max(LIST_LIMITS.maxItemLength)).max(LIST_LIMITS.maxItems);

/** POST /v1/lists. Items are checked against the kind by normalizeListItems (in the service). */
export const ListCreateSchema = z.object({
  name: ListNameSchema,
  kind: ListKindSchema,
  description: z
    .string()
    .max(LIST_LIMITS.maxDescription)
    .nullable()
    .optional()
    .transform((v) => v ?? ''),
  items: ItemsSchema.nullable()
    .optional()
    .transform((v) => v ?? []),
});
export type ListCreate = z.infer<typeof ListCreateSchema>;

/** PATCH /v1/lists/{id}: `items` replaces the whole list; absent or null = unchanged. Name and kind are fixed (rules name the list). */
export const ListUpdateSchema = z.object({
  description: z
    .string()
    .max(LIST_LIMITS.maxDescription)
    .nullable()
    .optional()
    .transform((v) => v ?? undefined),
  items: ItemsSchema.nullable()
    .optional()
    .transform((v) => v ?? undefined),
});
export type ListUpdate = z.infer<typeof ListUpdateSchema>;

/** POST (append) and DELETE (remove) /v1/lists/{id}/items. */
export const ListItemsChangeSchema = z.object({ items: ItemsSchema.min(1) });
export type ListItemsChange = z.infer<typeof ListItemsChangeSchema>;

export const ListUsageSchema = z.object({ rule_id: z.string(), rule_name: z.string() });
export type ListUsage = z.infer<typeof ListUsageSchema>;

/** GET /v1/lists answers these (no items: a list may hold 100,000). */
export const ListSummarySchema = z.object({
  id: IdSchema,
  name: z.string(),
  kind: ListKindSchema,
  description: z.string(),
  item_count: z.number().int(),
  created_by: z.string().nullable(),
  updated_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  used_by: z.array(ListUsageSchema),
});
export type ListSummary = z.infer<typeof ListSummarySchema>;

export const ListSchema = ListSummarySchema.extend({ items: z.array(z.string()) });
export type List = z.infer<typeof ListSchema>;

// C0 and C1 control characters (tab, newline, NUL ...): an item is one line of text.
const CONTROL = /\p{Cc}/u;

/** The canonical text of one item of `kind`, or the reason it is refused. */
export function normalizeListItem(kind: ListKind, raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw.trim();
  if (value === '') return { ok: false, message: 'An item cannot be empty' };
  if (value.length > LIST_LIMITS.maxItemLength) return { ok: false, message: `An item holds at most ${LIST_LIMITS.maxItemLength} characters` };
  if (CONTROL.test(value)) return { ok: false, message: 'An item cannot contain control characters (tab, newline ...)' };
  if (kind === 'ip') {
    // IPv6 hex digits are case-insensitive: one spelling, so duplicates collapse.
    const lowered = value.toLowerCase();
    if (!isCidrText(lowered)) return { ok: false, message: `'${value}' is not an IPv4/IPv6 address or network (e.g. 10.0.0.0/8, 2001:db8::/32)` };
    return { ok: true, value: lowered };
  }
  if (kind === 'domain') return { ok: true, value: value.toLowerCase() };
  return { ok: true, value };
}

/** Key under which two items are the same: exact for addresses, case-insensitive otherwise. */
export function listItemKey(kind: ListKind, value: string): string {
  return kind === 'ip' ? value : value.toLowerCase();
}

export interface NormalizedItems {
  items: string[];
  /** One per refused item (`items.<index>`), at most LIST_LIMITS.maxItemDetails. */
  problems: ErrorDetail[];
  /** Refused items in all (may exceed problems.length). */
  refused: number;
}

/** Trims, checks and de-duplicates (first spelling kept) items of `kind`, in their order. */
export function normalizeListItems(kind: ListKind, raw: readonly string[], field = 'items'): NormalizedItems {
  const items: string[] = [];
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  let refused = 0;
  raw.forEach((text, i) => {
    const result = normalizeListItem(kind, text);
    if (!result.ok) {
      refused++;
      if (problems.length < LIST_LIMITS.maxItemDetails) problems.push({ field: `${field}.${i}`, message: result.message, type: 'value_error' });
      return;
    }
    const key = listItemKey(kind, result.value);
    if (seen.has(key)) return;
    seen.add(key);
    items.push(result.value);
  });
  return { items, problems, refused };
}

// ---- rule exceptions made from an alert ----------------------------------------------

const ExceptionFieldSchema = z.string().min(1).max(256);
const ExceptionValueSchema = z.string().min(1).max(4096);

/**
 * POST /v1/rules/{rule_id}/exceptions. Without `list`: `values` becomes one exception
 * filter (exact equality on each field). With `list`: the single value is added to that
 * shared list, and the rule gets the exception `{field: {in_list: list}}` if it lacks it.
 */
export const RuleExceptionCreateSchema = z.object({
  values: z
    .record(ExceptionFieldSchema, ExceptionValueSchema)
    .refine((v) => Object.keys(v).length >= 1, { message: 'Give at least one field and its value', params: { type: 'too_short' } })
    .refine((v) => Object.keys(v).length <= LIST_LIMITS.maxExceptionFields, {
      message: `At most ${LIST_LIMITS.maxExceptionFields} fields`,
      params: { type: 'too_long' },
    }),
  list: ListNameSchema.nullable()
    .optional()
    .transform((v) => v ?? undefined),
});
export type RuleExceptionCreate = z.infer<typeof RuleExceptionCreateSchema>;
/** What a client sends (`list` may be left out). */
export type RuleExceptionRequest = z.input<typeof RuleExceptionCreateSchema>;

export const RuleExceptionParamsSchema = z.object({ rule_id: z.string(), index: z.string() });

/** The answer: the rule as it now stands, and the list when one was used. */
export const RuleExceptionResultSchema = z.object({ rule: RuleSchema, list: ListSummarySchema.nullable() });
export type RuleExceptionResult = z.infer<typeof RuleExceptionResultSchema>;
