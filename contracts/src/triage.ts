// Triage at a glance (GET /v1/alerts/{id}/context): what an analyst reads before acting on
// an alert, without leaving its page: the rule's guidance, every address of the matched
// events with its enrichment, the alerts around it, and the log views to pivot to.
import { z } from 'zod';
import { AlertStatusSchema, IdSchema, SeveritySchema, lenientInt } from './common.ts';
import { AddressEnrichmentSchema } from './enrichment.ts';

/** Every bound of the context, explicit. */
export const TRIAGE_LIMITS = {
  defaultHours: 6,
  maxHours: 72,
  /** Distinct addresses listed (the most frequent first). */
  maxAddresses: 50,
  /** Related alerts listed (newest first). */
  maxRelated: 50,
  /** Distinct values offered per pivot field (the most frequent first). */
  maxPivotValues: 5,
  /** Hosts of the matched events a related alert may share. */
  maxHosts: 20,
  /** Matched events read for addresses, hosts and the time window. */
  maxEvents: 1000,
  /** Margin around the matched events for the pivots' time window. */
  pivotMarginMs: 15 * 60_000,
} as const;

export const alertContextQuery = z.object({
  hours: lenientInt({ min: 1, max: TRIAGE_LIMITS.maxHours, source: 'query' }).optional().default(TRIAGE_LIMITS.defaultHours),
});
export type AlertContextQuery = z.output<typeof alertContextQuery>;

/**
 * The rule that raised the alert, as stored now (null when it was deleted since). The
 * shipped rules write their guidance into the description after "Check first:";
 * `summary` is the text before it and `check_first` the guidance, null when absent.
 */
export const TriageRuleSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  summary: z.string(),
  check_first: z.string().nullable(),
  severity: SeveritySchema,
  mitre_tactic: z.string().nullable(),
  mitre_technique: z.string().nullable(),
  builtin_key: z.string().nullable(),
  enabled: z.boolean(),
});
export type TriageRule = z.infer<typeof TriageRuleSchema>;

export const ADDRESS_ROLES = ['source', 'destination'] as const;
export const AddressRoleSchema = z.enum(ADDRESS_ROLES);
export type AddressRole = z.infer<typeof AddressRoleSchema>;

/** One distinct address of the matched events: the sides it stood on and how many events carried it. */
export const TriageAddressSchema = z.object({
  ip: z.string(),
  roles: z.array(AddressRoleSchema),
  event_count: z.number().int(),
  enrichment: AddressEnrichmentSchema,
});
export type TriageAddress = z.infer<typeof TriageAddressSchema>;

/** Why another alert is listed: the same group value, or a host of this alert's matched events. */
export const RELATED_REASONS = ['group_value', 'host'] as const;
export const RelatedAlertSchema = z.object({
  id: IdSchema,
  rule_id: IdSchema,
  rule_name: z.string(),
  title: z.string(),
  severity: SeveritySchema,
  status: AlertStatusSchema,
  group_value: z.string().nullable(),
  fired_at: z.string(),
  created_at: z.string(),
  reasons: z.array(z.enum(RELATED_REASONS)),
  /** The hosts shared with this alert (empty when related by group value only). */
  hosts: z.array(z.string()),
});
export type RelatedAlert = z.infer<typeof RelatedAlertSchema>;

export const PIVOT_FIELDS = ['hostname', 'username', 'source_ip'] as const;
export const PivotFieldSchema = z.enum(PIVOT_FIELDS);
export type PivotField = z.infer<typeof PivotFieldSchema>;

/** A ready-made log filter: the logs page's URL parameter `field` set to `value`. */
export const PivotFilterSchema = z.object({ field: PivotFieldSchema, value: z.string(), event_count: z.number().int() });
export type PivotFilter = z.infer<typeof PivotFilterSchema>;

/** GET /v1/alerts/{id}/context. Times are event time (ISO). */
export const AlertContextSchema = z.object({
  alert_id: IdSchema,
  rule: TriageRuleSchema.nullable(),
  addresses: z.array(TriageAddressSchema),
  /** True when more distinct addresses exist than are listed. */
  addresses_truncated: z.boolean(),
  related: z.object({
    hours: z.number().int(),
    since: z.string(),
    until: z.string(),
    hosts: z.array(z.string()),
    items: z.array(RelatedAlertSchema),
    truncated: z.boolean(),
  }),
  pivot: z.object({
    /** First matched event minus the margin, last plus the margin (the alert's firing time when no event is known). */
    since: z.string(),
    until: z.string(),
    filters: z.array(PivotFilterSchema),
  }),
});
export type AlertContext = z.infer<typeof AlertContextSchema>;

const CHECK_FIRST = /\bcheck first\s*:\s*/i;

/** Splits a rule description at its "Check first:" guidance (the shipped rules' convention). */
export function splitGuidance(description: string): { summary: string; check_first: string | null } {
  const m = CHECK_FIRST.exec(description);
  if (!m) return { summary: description.trim(), check_first: null };
  const guidance = description.slice(m.index + m[0].length).trim();
  return { summary: description.slice(0, m.index).trim(), check_first: guidance === '' ? null : guidance };
}
