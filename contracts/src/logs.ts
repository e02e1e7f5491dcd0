// Log event shapes: the ingest body (API.md 8.4), the stored LogEvent (7.4), the feed
// summary (9.3), the list/search/pivot queries and the bulk result (14).
import { z } from 'zod';
import {
  IdSchema,
  SeveritySchema,
  SourceTypeSchema,
  lenientInt,
  optionalFilter,
  paginationQuery,
} from './common.ts';

const optionalText = z.string().nullable().optional();
const optionalPort = lenientInt({ min: 0, max: 65535, source: 'body' }).nullable().optional();

/** POST /v1/logs/ingest body. Unknown keys are kept (they land in `raw`). */
export const IngestEventSchema = z.looseObject({
  source_type: SourceTypeSchema,
  event_type: optionalText,
  source_ip: optionalText,
  dest_ip: optionalText,
  source_port: optionalPort,
  dest_port: optionalPort,
  hostname: optionalText,
  username: optionalText,
  mitre_tactic: optionalText,
  mitre_technique: optionalText,
  message: optionalText,
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  timestamp: z.union([z.string(), z.number()]).nullable().optional(),
});
export type IngestEvent = z.infer<typeof IngestEventSchema>;

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
});
export type LogFeedItem = z.infer<typeof LogFeedItemSchema>;

/** An instant given in a query: ISO 8601 (a designator-less value is UTC). */
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
});
export type BulkResult = z.infer<typeof BulkResultSchema>;
