// Log event shapes: the ingest body, the stored LogEvent, the feed
// summary (9.3), the list/search/pivot queries and the bulk result (14).
import { z } from 'zod';
import {
  IdSchema,
  PageSchema,
  SeveritySchema,
  SourceTypeSchema,
  lenientInt,
  optionalFilter,
  paginationQuery,
} from './common.ts';
import { queryText } from './query.ts';

const optionalText = z.string().nullable().optional();
/**
 * Longest value of a text column the store indexes (event_type, hostname, username...): a
 * btree entry holds at most ~2.7 kB, and 512 characters stay below it even at 4 bytes each.
 */
export const INDEXED_TEXT_MAX = 512;
const indexedText = z.string().max(INDEXED_TEXT_MAX).nullable().optional();
/** Longest client-given event id (dedup key): `idempotency_key`, Elasticsearch `_id`, ECS `event.id`. */
export const EVENT_ID_MAX = 200;
/** A client-given event id: 1 to EVENT_ID_MAX characters, no control characters. */
// eslint-disable-next-line no-control-regex
export const EventIdSchema = z.string().min(1).max(EVENT_ID_MAX).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
const optionalPort = lenientInt({ min: 0, max: 65535, source: 'body' }).nullable().optional();

/** POST /v1/logs/ingest body. Unknown keys are kept (they land in `raw`). */
export const IngestEventSchema = z.looseObject({
  source_type: SourceTypeSchema,
  event_type: indexedText,
  source_ip: indexedText,
  dest_ip: indexedText,
  source_port: optionalPort,
  dest_port: optionalPort,
  hostname: indexedText,
  username: indexedText,
  mitre_tactic: indexedText,
  mitre_technique: indexedText,
  message: optionalText,
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  timestamp: z.union([z.string(), z.number()]).nullable().optional(),
  /** Client-given id: a second delivery with the same id is acknowledged and not stored again. */
  idempotency_key: EventIdSchema.nullable().optional(),
});
export type IngestEvent = z.infer<typeof IngestEventSchema>;

/** POST /v1/logs/raw query: hints for lines whose format the parsers cannot tell alone. */
export const RawIngestQuerySchema = z.object({
  source: z
    .string()
    .max(64)
    .optional()
    .describe('A source_type (auth, firewall...) or a parser name (sshd, sudo, nginx...) for lines without a syslog header'),
  host: z.string().max(INDEXED_TEXT_MAX).optional().describe('Host the lines come from, when they do not name it'),
});
export type RawIngestQuery = z.infer<typeof RawIngestQuerySchema>;

export const LogEventSchema = z.object({
  id: IdSchema,
  timestamp: z.string(),
  source_type: SourceTypeSchema,
  source_ip: z.string().nullable(),
  dest_ip: z.string().nullable(),
  source_port: z.number().int().nullable(),
  dest_port: z.number().int().nullable(),
  severity: SeveritySchema,
  event_type: z.string().nullable(),
  hostname: z.string().nullable(),
  username: z.string().nullable(),
  mitre_tactic: z.string().nullable(),
  mitre_technique: z.string().nullable(),
  raw: z.record(z.string(), z.unknown()),
  normalized: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
  /** Every field a parser extracted, under ECS-style dotted names; `{}` when none. */
  fields: z.record(z.string(), z.unknown()),
  scenario_run_id: IdSchema.nullable(),
  matched_alert_ids: z.array(IdSchema),
  created_at: z.string(),
  updated_at: z.string(),
});
export type LogEvent = z.infer<typeof LogEventSchema>;

/** SSE `log` payload: the feed summary. `scenario_run_id` only for scenario events. */
export const LogFeedItemSchema = z.object({
  id: IdSchema,
  timestamp: z.string(),
  source_type: SourceTypeSchema,
  severity: SeveritySchema,
  event_type: z.string().nullable(),
  source_ip: z.string().nullable(),
  dest_ip: z.string().nullable(),
  hostname: z.string().nullable(),
  username: z.string().nullable(),
  scenario_run_id: IdSchema.optional(),
  /** The address enrichment of the event (`source.ip_scope`, `source.geo.country_iso_code`...), when it has any. */
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type LogFeedItem = z.infer<typeof LogFeedItemSchema>;

// JavaScript dates reach the year 275760 and print beyond 9999 as "+275760-..." (year 0
// as "0000"), which the store's timestamp type cannot read: instants stay in 1..9999.
const MIN_INSTANT_MS = Date.parse('0001-01-01T00:00:00Z');
const MAX_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An instant given in a query: ISO 8601 (a designator-less value is UTC), years 1 to 9999. */
export const queryInstant = z
  .string()
  .optional()
  .nullable()
  .transform((value, ctx) => {
    if (value === undefined || value === null || value.trim() === '') return undefined;
    const text = value.trim();
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'Input should be an ISO 8601 date-time', params: { type: 'value_error' } });
      return z.NEVER;
    }
    if (ms < MIN_INSTANT_MS || ms > MAX_INSTANT_MS) {
      ctx.addIssue({ code: 'custom', message: 'Input should be a date-time between the years 1 and 9999', params: { type: 'value_error' } });
      return z.NEVER;
    }
    return ms;
  });

export function logFilterQuery(pagination: { perPage: number; maxPerPage: number }) {
  return z.object({
    ...paginationQuery(pagination),
    source_type: optionalFilter,
    severity: optionalFilter,
    source_ip: optionalFilter,
    dest_ip: optionalFilter,
    event_type: optionalFilter,
    username: optionalFilter,
    hostname: optionalFilter,
    scenario_run_id: optionalFilter,
    since: queryInstant,
    until: queryInstant,
    /** The search query language (docs/search.md), ANDed with the other filters. */
    query: queryText,
  });
}

export function logSearchQuery(pagination: { perPage: number; maxPerPage: number }) {
  return z.object({
    ...paginationQuery(pagination),
    q: z.string().min(1).max(256),
    since: queryInstant,
    until: queryInstant,
  });
}

/**
 * A search page: a Page plus `total_exact`, false when `total` is a lower bound (the
 * count stopped at its cap, or the time budget ran out before it finished).
 */
export const SearchPageSchema = PageSchema(LogEventSchema).extend({ total_exact: z.boolean() });
export type SearchPage = z.infer<typeof SearchPageSchema>;

export function pivotQuery(maxLimit: number) {
  return z.object({
    ip: optionalFilter,
    username: optionalFilter,
    hostname: optionalFilter,
    limit: lenientInt({ min: 1, max: maxLimit, source: 'query' }).optional(),
  });
}

export const BulkErrorSchema = z.object({
  index: z.number().int(),
  message: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string(), type: z.string() })),
});
export const BulkResultSchema = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(BulkErrorSchema),
  /** Of the accepted items, those already stored by an earlier delivery (acknowledged, not stored again). */
  duplicates: z.number().int().optional(),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;
