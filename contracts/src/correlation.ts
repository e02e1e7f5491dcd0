// What correlation does with each rule (GET /v1/correlation/rules), as the correlating
// process counts it: events matched, alerts, errors, groups held, the last error. An
// addition to the v1 contract.
import { z } from 'zod';

export const CorrelationRuleStatsSchema = z.object({
  rule_id: z.string(),
  rule_name: z.string(),
  /** Events that matched the rule's filter (or one of its steps). */
  events_matched: z.number().int(),
  /** Alerts the rule raised. */
  alerts: z.number().int(),
  /** Evaluations that threw (each skipped the event for this rule only). */
  errors: z.number().int(),
  /** Groups (values of group_by) the rule holds in memory now. */
  groups: z.number().int(),
  /** The last error, or why the rule cannot run at all (it failed to compile); null when none. */
  last_error: z.string().nullable(),
  last_error_at: z.string().nullable(),
});
export type CorrelationRuleStats = z.infer<typeof CorrelationRuleStatsSchema>;

export const CorrelationRulesViewSchema = z.object({
  /** When the correlating process took these figures; null before any process published some. */
  updated_at: z.string().nullable(),
  /** When counting started (the correlating process took correlation over). */
  since: z.string().nullable(),
  /** Every enabled rule (those that cannot run carry their problem in last_error), by name. */
  rules: z.array(CorrelationRuleStatsSchema),
});
export type CorrelationRulesView = z.infer<typeof CorrelationRulesViewSchema>;
