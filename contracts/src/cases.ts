// Case management contracts: alert assignment, cases grouping alerts and log events,
// comments with @mentions, observables and the timeline of every change.
import { z } from 'zod';
import { AlertCaseRefSchema, AlertSchema } from './alerts.ts';
import { IdSchema, SeveritySchema, optionalFilter, paginationQuery } from './common.ts';
import { LogEventSchema } from './logs.ts';

export const CASE_STATUSES = ['open', 'in_progress', 'closed'] as const;
export const CASE_RESOLUTIONS = ['true_positive', 'false_positive', 'benign', 'duplicate', 'other'] as const;
export const OBSERVABLE_TYPES = ['ip', 'domain', 'url', 'hash', 'user', 'host', 'other'] as const;
export const CaseStatusSchema = z.enum(CASE_STATUSES);
export const CaseResolutionSchema = z.enum(CASE_RESOLUTIONS);
export const ObservableTypeSchema = z.enum(OBSERVABLE_TYPES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;
export type CaseResolution = z.infer<typeof CaseResolutionSchema>;
export type ObservableType = z.infer<typeof ObservableTypeSchema>;

/** Every bound a case has; the server refuses past them (422). */
export const CASE_LIMITS = {
  titleMax: 200,
  descriptionMax: 10_000,
  resolutionNoteMax: 2_000,
  commentMax: 10_000,
  commentsPerCase: 2_000,
  mentionsPerComment: 20,
  observableValueMax: 512,
  observableNoteMax: 1_000,
  observablesPerCase: 500,
  alertsPerCase: 1_000,
  eventsPerCase: 1_000,
  /** Ids in one create / link request. */
  idsPerRequest: 100,
  /** Matched events read when observables are taken from an alert. */
  eventsScannedPerAlert: 200,
} as const;

/** An account as an assignee picker shows it. */
export const AssigneeSchema = z.object({ id: IdSchema, username: z.string() });
export type Assignee = z.infer<typeof AssigneeSchema>;

export const CaseSchema = z.object({
  id: IdSchema,
  title: z.string(),
  description: z.string(),
  severity: SeveritySchema,
  status: CaseStatusSchema,
  /** Set exactly when the status is `closed`. */
  resolution: CaseResolutionSchema.nullable(),
  resolution_note: z.string().nullable(),
  /** Username of the assignee, null when unassigned. */
  assignee: z.string().nullable(),
  created_by: z.string(),
  alert_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable(),
});
export type Case = z.infer<typeof CaseSchema>;

/** What an alert shows of the cases it belongs to. */
export const CaseRefSchema = AlertCaseRefSchema;
export type CaseRef = z.infer<typeof CaseRefSchema>;

export const CaseCommentSchema = z.object({
  id: IdSchema,
  author: z.string(),
  body: z.string(),
  /** Usernames of the existing accounts the body mentions (`@name`). */
  mentions: z.array(z.string()),
  created_at: z.string(),
});
export type CaseComment = z.infer<typeof CaseCommentSchema>;

export const CaseObservableSchema = z.object({
  id: IdSchema,
  type: ObservableTypeSchema,
  value: z.string(),
  note: z.string().nullable(),
  source_alert_id: IdSchema.nullable(),
  added_by: z.string(),
  added_at: z.string(),
});
export type CaseObservable = z.infer<typeof CaseObservableSchema>;

export const CASE_TIMELINE_KINDS = [
  'created', 'field_changed', 'comment_added', 'alert_linked', 'alert_unlinked',
  'event_linked', 'event_unlinked', 'observable_added', 'observable_removed',
] as const;
export const CaseTimelineEntrySchema = z.object({
  id: z.number().int(),
  kind: z.enum(CASE_TIMELINE_KINDS),
  /** For field_changed: title, description, severity, status, resolution, assignee. */
  field: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** The comment, alert, event or observable the entry names. */
  ref_id: z.string().nullable(),
  by: z.string(),
  at: z.string(),
});
export type CaseTimelineEntry = z.infer<typeof CaseTimelineEntrySchema>;

/** GET /v1/cases/{id}: linked alerts newest first, events newest first (bounded), comments and observables oldest first. */
export const CaseDetailSchema = z.object({
  case: CaseSchema,
  alerts: z.array(AlertSchema),
  /** Linked events still stored; `event_ids` lists every link, including events retention removed. */
  events: z.array(LogEventSchema),
  event_ids: z.array(z.string()),
  comments: z.array(CaseCommentSchema),
  observables: z.array(CaseObservableSchema),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

const idList = z.array(IdSchema).max(CASE_LIMITS.idsPerRequest);
/** An assignee is named by username; null clears it. */
const assigneeField = z.string().min(1).max(64).nullable();

export const CaseCreateSchema = z.object({
  title: z.string().trim().min(1).max(CASE_LIMITS.titleMax),
  description: z.string().max(CASE_LIMITS.descriptionMax).optional(),
  /** Defaults to the highest severity of the alerts, `medium` without alerts. */
  severity: SeveritySchema.optional(),
  assignee: assigneeField.optional(),
  alert_ids: idList.optional(),
});
export type CaseCreate = z.infer<typeof CaseCreateSchema>;

export const CaseUpdateSchema = z.object({
  title: z.string().trim().min(1).max(CASE_LIMITS.titleMax).optional(),
  description: z.string().max(CASE_LIMITS.descriptionMax).optional(),
  severity: SeveritySchema.optional(),
  /** `closed` needs a resolution (given here or already set); reopening clears it. */
  status: CaseStatusSchema.optional(),
  resolution: CaseResolutionSchema.optional(),
  resolution_note: z.string().max(CASE_LIMITS.resolutionNoteMax).nullable().optional(),
  assignee: assigneeField.optional(),
});
export type CaseUpdate = z.infer<typeof CaseUpdateSchema>;

export const CaseCommentCreateSchema = z.object({ body: z.string().trim().min(1).max(CASE_LIMITS.commentMax) });
export type CaseCommentCreate = z.infer<typeof CaseCommentCreateSchema>;

export const CaseAlertsLinkSchema = z.object({ alert_ids: idList.min(1) });
export const CaseEventsLinkSchema = z.object({ event_ids: idList.min(1) });
export const CaseLinkResultSchema = z.object({ linked: z.array(z.string()) });
export type CaseLinkResult = z.infer<typeof CaseLinkResultSchema>;

export const CaseObservableCreateSchema = z.object({
  type: ObservableTypeSchema,
  value: z.string().trim().min(1).max(CASE_LIMITS.observableValueMax),
  note: z.string().max(CASE_LIMITS.observableNoteMax).nullable().optional(),
});
export type CaseObservableCreate = z.infer<typeof CaseObservableCreateSchema>;

export const CaseObservablesFromAlertSchema = z.object({ alert_id: IdSchema });
export const CaseObservablesAddedSchema = z.object({ added: z.array(CaseObservableSchema) });

/** PUT /v1/alerts/{id}/assignee: a username, or null to clear. */
export const AlertAssigneeUpdateSchema = z.object({ assignee: assigneeField });
export type AlertAssigneeUpdate = z.infer<typeof AlertAssigneeUpdateSchema>;

/**
 * GET /v1/cases. status: one status or `active` (open + in_progress); assignee: a
 * username, `me` or `none`; mentioned: `me` or a username; q: words in the title or
 * description (case-insensitive substring); alert_id: cases linking that alert.
 */
export function caseListQuery(pagination: { perPage: number; maxPerPage: number }) {
  return z.object({
    ...paginationQuery(pagination),
    status: optionalFilter,
    severity: optionalFilter,
    assignee: optionalFilter,
    mentioned: optionalFilter,
    q: z.string().max(200).optional().nullable().transform((v) => (v == null || v.trim() === '' ? undefined : v.trim())),
    alert_id: optionalFilter,
  });
}
export type CaseListQuery = z.output<ReturnType<typeof caseListQuery>>;

export const AssigneeQuerySchema = z.object({
  q: z.string().max(64).optional().nullable().transform((v) => (v == null ? '' : v.trim())),
});

/** `@name` mentions in a comment: names of 3-32 characters of letters, digits, `.`, `_`, `-`. */
export const MENTION_PATTERN = /(^|[^\w@.-])@([A-Za-z0-9][A-Za-z0-9._-]{1,31})/g;

/**
 * The distinct names a body mentions, in order of first appearance, at most `max`. A
 * trailing dot is sentence punctuation, not part of the name ("thanks @bob.").
 */
export function parseMentions(body: string, max: number = CASE_LIMITS.mentionsPerComment): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of body.matchAll(MENTION_PATTERN)) {
    const name = m[2]!.replace(/[.-]+$/, '');
    if (name.length < 3 || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
    if (out.length >= max) break;
  }
  return out;
}
