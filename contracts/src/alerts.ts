// Alert contracts and the additive status history.
// Alerts are created only by the correlation engine; clients list, read and triage them.
import { z } from 'zod';
import { AlertStatusSchema, IdSchema, SeveritySchema, optionalFilter, paginationQuery } from './common.ts';
import { LogEventSchema, queryInstant } from './logs.ts';

export const AlertSchema = z.object({
  id: IdSchema,
  rule_id: IdSchema,
  rule_name: z.string(),
  severity: SeveritySchema,
  title: z.string(),
  /** Bounded to the newest ids the engine keeps (chronological); matched_event_count is the whole window. */
  matched_event_ids: z.array(IdSchema),
  matched_event_count: z.number().int(),
  group_value: z.string().nullable(),
  status: AlertStatusSchema,
  mitre_tactic: z.string().nullable(),
  mitre_technique: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
  notes: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Addition: username of the analyst the alert is assigned to (PUT /v1/alerts/{id}/assignee). */
  assignee: z.string().nullable().optional(),
  /** Addition: the cases the alert is linked to. */
  case_ids: z.array(IdSchema).optional(),
  /** Additive (suppression): firings counted on this alert, 1 for one that was never repeated. */
  occurrences: z.number().int(),
  /** Additive: event time of the newest firing counted on this alert (its fired time at first). */
  last_seen_at: z.string(),
  /** Additive: the suppression key, the key fields with the triggering event's values as JSON text (`{"source_ip":"10.0.0.1"}`, a `sha256:` digest when long); null without suppression. */
  suppression_key: z.string().nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;

/**
 * One change; the engine's creation is the first entry (`from: null`, `by: null`).
 * Addition: `kind` says what changed. `status` entries are what v1 clients know; an
 * `assignee` entry keeps the status in from/to (unchanged) and the usernames in
 * `from_value` / `to_value` (null: unassigned).
 */
export const AlertHistoryEntrySchema = z.object({
  from: AlertStatusSchema.nullable(),
  to: AlertStatusSchema,
  by: z.string().nullable(),
  at: z.string(),
  notes: z.string().nullable(),
  kind: z.enum(['status', 'assignee']).optional(),
  from_value: z.string().nullable().optional(),
  to_value: z.string().nullable().optional(),
});
export type AlertHistoryEntry = z.infer<typeof AlertHistoryEntrySchema>;

/**
 * A matched event as an alert shows it. One that retention removed comes from the snapshot
 * the alert kept (additions): `expired: true`, `raw`, `metadata` and `fields` empty,
 * `normalized` possibly cut (`normalized_truncated`), and its `message`.
 */
export const MatchedEventSchema = LogEventSchema.extend({
  expired: z.boolean().optional(),
  message: z.string().nullable().optional(),
  normalized_truncated: z.boolean().optional(),
});
export type MatchedEvent = z.infer<typeof MatchedEventSchema>;

/** A case as an alert shows it (the whole case: GET /v1/cases/{id}). */
export const AlertCaseRefSchema = z.object({
  id: IdSchema,
  title: z.string(),
  status: z.enum(['open', 'in_progress', 'closed']),
  severity: SeveritySchema,
});
export type AlertCaseRef = z.infer<typeof AlertCaseRefSchema>;

/** GET /v1/alerts/{id}: matched events newest first; history oldest first. */
export const AlertDetailSchema = z.object({
  alert: AlertSchema,
  matched_events: z.array(MatchedEventSchema),
  history: z.array(AlertHistoryEntrySchema),
  /** Addition: the cases the alert belongs to, newest first. */
  cases: z.array(AlertCaseRefSchema).optional(),
});
export type AlertDetail = z.infer<typeof AlertDetailSchema>;

export const ALERT_NOTES_MAX = 10_000;

/** PATCH /v1/alerts/{id}/status. Every transition is accepted. */
export const AlertStatusUpdateSchema = z.object({
  status: AlertStatusSchema,
  notes: z.string().max(ALERT_NOTES_MAX).nullable().optional(),
});
export type AlertStatusUpdate = z.infer<typeof AlertStatusUpdateSchema>;

/**
 * GET /v1/alerts query. status / severity / rule_id are exact and unchecked (an unknown
 * value matches nothing); since / until bound `created_at`, as epoch ms. `technique` (an
 * addition) matches the alert's MITRE technique or its sub-techniques (T1110 -> T1110.001).
 */
export function alertListQuery(pagination: { perPage: number; maxPerPage: number }) {
  return z.object({
    ...paginationQuery(pagination),
    status: optionalFilter,
    severity: optionalFilter,
    rule_id: optionalFilter,
    technique: optionalFilter,
    /** Addition: a username, or `me` for the caller. */
    assignee: optionalFilter,
    since: queryInstant,
    until: queryInstant,
  });
}
export type AlertListQuery = z.output<ReturnType<typeof alertListQuery>>;

/** SSE `alert` payload. */
export const AlertFeedItemSchema = z.object({
  id: IdSchema,
  rule_name: z.string(),
  severity: SeveritySchema,
  title: z.string(),
  group_value: z.string().nullable(),
  matched_event_count: z.number().int(),
  status: AlertStatusSchema,
});
export type AlertFeedItem = z.infer<typeof AlertFeedItemSchema>;
