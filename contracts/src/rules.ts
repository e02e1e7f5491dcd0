// Correlation rule contracts: event filters with the operator
// extension, conditions per rule_type (validated on their own so detail paths are relative
// to `conditions`), the rule bodies and the rule-test shapes.
import { z } from 'zod';
import { IdSchema, SeveritySchema, lenientBool, lenientInt } from './common.ts';
import { EventFilterSchema, ExceptionsSchema, GroupBySchema, RuleFieldSchema } from './rule-filter.ts';

export const RULE_TYPES = ['threshold', 'sequence', 'aggregation', 'single'] as const;
export const RuleTypeSchema = z.enum(RULE_TYPES);
export type RuleType = z.infer<typeof RuleTypeSchema>;


/**
 * Bounds of the numeric rule fields. The engine keeps a group's events for the whole
 * window: a 30-year window (or a threshold no window can reach) grows its memory without
 * limit, so a week and 100,000 events are the ceiling; a cooldown beyond 30 days is the
 * same as disabling the rule.
 */
export const RULE_LIMITS = { maxWindowSeconds: 7 * 86_400, maxThreshold: 100_000, maxStepCount: 100_000, maxCooldownSeconds: 30 * 86_400 } as const;
const windowSeconds = () => lenientInt({ min: 1, max: RULE_LIMITS.maxWindowSeconds, source: 'body' });
const threshold = () => lenientInt({ min: 1, max: RULE_LIMITS.maxThreshold, source: 'body' });
/** Steps are tracked as bits of one number in the engine; 32 is far beyond real use. */
export const MAX_SEQUENCE_STEPS = 32;

/** Keys every rule type shares: how events are grouped and what the rule never alerts on. */
const common = {
  group_by: GroupBySchema,
  exceptions: ExceptionsSchema.optional(),
};
export const ThresholdConditionsSchema = z.looseObject({
  event_filter: EventFilterSchema,
  threshold: threshold(),
  window_seconds: windowSeconds(),
  ...common,
});
export const SequenceStepSchema = z.looseObject({
  event_filter: EventFilterSchema,
  count: lenientInt({ min: 1, max: RULE_LIMITS.maxStepCount, source: 'body' }).optional(),
});
export const SequenceConditionsSchema = z.looseObject({
  steps: z.array(SequenceStepSchema).min(2).max(MAX_SEQUENCE_STEPS),
  window_seconds: windowSeconds(),
  /** false: every step within the window, in any order (default true: in order). */
  ordered: z.boolean().optional(),
  ...common,
});
export const AggregationConditionsSchema = z.looseObject({
  event_filter: EventFilterSchema,
  aggregation: z.literal('count_distinct'),
  aggregation_field: RuleFieldSchema,
  threshold: threshold(),
  window_seconds: windowSeconds(),
  ...common,
});
/** single: fires on one matching event; group_by (optional) only scopes the cooldown. */
export const SingleConditionsSchema = z.looseObject({
  event_filter: EventFilterSchema,
  group_by: GroupBySchema.optional(),
  exceptions: ExceptionsSchema.optional(),
});
export type ThresholdConditions = z.infer<typeof ThresholdConditionsSchema>;
export type SequenceStep = z.infer<typeof SequenceStepSchema>;
export type SequenceConditions = z.infer<typeof SequenceConditionsSchema>;
export type AggregationConditions = z.infer<typeof AggregationConditionsSchema>;
export type SingleConditions = z.infer<typeof SingleConditionsSchema>;

export interface ConditionsByType {
  threshold: ThresholdConditions;
  sequence: SequenceConditions;
  aggregation: AggregationConditions;
  single: SingleConditions;
}
/** rule_type with its parsed conditions, discriminated for exhaustive switches. */
export type TypedConditions = { [K in RuleType]: { rule_type: K; conditions: ConditionsByType[K] } }[RuleType];

/** The registry of condition schemas by rule_type (the discriminated part of a rule). */
export const CONDITIONS_SCHEMAS: { [K in RuleType]: z.ZodType<ConditionsByType[K]> } = {
  threshold: ThresholdConditionsSchema,
  sequence: SequenceConditionsSchema,
  aggregation: AggregationConditionsSchema,
  single: SingleConditionsSchema,
};

export type ConditionsResult<K extends RuleType> = { ok: true; value: ConditionsByType[K] } | { ok: false; error: z.ZodError };

/**
 * Validates `conditions` against the shape of `ruleType`. Issue paths are relative to the
 * conditions object (`threshold`, `steps.1.event_filter.src.cidr`), like every validation detail;
 * feed the error to the server's zodDetails with the conditions as input.
 */
export function validateConditions<K extends RuleType>(ruleType: K, conditions: unknown): ConditionsResult<K> {
  const parsed = CONDITIONS_SCHEMAS[ruleType].safeParse(conditions);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error };
}

export const MitreTacticSchema = z.string().regex(/^(?:TA\d{4})?$/, 'Expected a MITRE ATT&CK tactic id such as TA0006');
export const MitreTechniqueSchema = z
  .string()
  .regex(/^(?:T\d{4}(?:\.\d{3})?)?$/, 'Expected a MITRE ATT&CK technique id such as T1110 or T1110.001');

/**
 * Suppression bounds: a key of up to 5 fields (like group_by), a duration from a minute
 * (shorter is what cooldown is for) to a week (an open alert that counts repeats for longer
 * hides that the activity never stopped).
 */
export const SUPPRESSION_LIMITS = { maxFields: 5, minDurationSeconds: 60, maxDurationSeconds: 7 * 86_400 } as const;

/**
 * A rule's suppression: a repeat (same rule, same values of `fields` in the triggering
 * event) while the rule's alert for that key is open and was last seen less than
 * `duration_seconds` ago is counted on that alert instead of raising a new one.
 */
export const SuppressionSchema = z.object({
  fields: z
    .array(RuleFieldSchema)
    .min(1, 'List should have at least 1 field')
    .max(SUPPRESSION_LIMITS.maxFields, `List should have at most ${SUPPRESSION_LIMITS.maxFields} fields`)
    .superRefine((fields, ctx) => {
      fields.forEach((name, i) => {
        if (fields.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `Field '${name}' is named twice`, params: { type: 'value_error' } });
      });
    }),
  duration_seconds: lenientInt({ min: SUPPRESSION_LIMITS.minDurationSeconds, max: SUPPRESSION_LIMITS.maxDurationSeconds, source: 'body' }),
});
export type Suppression = z.infer<typeof SuppressionSchema>;

/** Rule tags: free labels (`threat-intel`, `pci`, `attack.t1110`) used to group rules and route notifications. */
export const RULE_TAG_LIMITS = { maxTags: 20, maxLength: 64 } as const;
export const RULE_TAG_PATTERN = /^[a-z0-9._:-]{1,64}$/;
export const RuleTagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(RULE_TAG_PATTERN, 'A tag is 1 to 64 characters of a-z, 0-9, ".", "_", ":" and "-"');
/** Tags as submitted: lower-cased, each checked (details at `tags.N`), duplicates dropped. */
export const RuleTagsSchema = z
  .array(RuleTagSchema)
  .max(RULE_TAG_LIMITS.maxTags, `A rule has at most ${RULE_TAG_LIMITS.maxTags} tags`)
  .transform((tags) => [...new Set(tags)]);

/**
 * Tags taken from outside text (Sigma `tags`): lower-cased and trimmed, those that do not fit
 * the pattern dropped, duplicates dropped, at most RULE_TAG_LIMITS.maxTags kept.
 */
export function ruleTagsFrom(values: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const tag = v.trim().toLowerCase();
    if (!RULE_TAG_PATTERN.test(tag) || out.includes(tag)) continue;
    out.push(tag);
    if (out.length >= RULE_TAG_LIMITS.maxTags) break;
  }
  return out;
}

const NAME_MAX = 200;
const DESCRIPTION_MAX = 10_000;
const ConditionsObjectSchema = z.record(z.string(), z.unknown());
const cooldownSeconds = () => lenientInt({ min: 0, max: RULE_LIMITS.maxCooldownSeconds, source: 'body' });

/**
 * POST /v1/rules. `conditions` is only checked to be an object here; the service then runs
 * validateConditions(rule_type, conditions) so its details are relative, and
 * stores the submitted object unchanged. MITRE ids may be "" (PATCH can only clear that way).
 */
export const RuleCreateSchema = z.object({
  name: z.string().min(1).max(NAME_MAX),
  description: z
    .string()
    .max(DESCRIPTION_MAX)
    .nullable()
    .optional()
    .transform((v) => v ?? ''),
  rule_type: RuleTypeSchema,
  conditions: ConditionsObjectSchema,
  severity: SeveritySchema,
  enabled: lenientBool()
    .nullable()
    .optional()
    .transform((v) => v ?? true),
  mitre_tactic: MitreTacticSchema.nullable()
    .optional()
    .transform((v) => v ?? null),
  mitre_technique: MitreTechniqueSchema.nullable()
    .optional()
    .transform((v) => v ?? null),
  /** Per-rule cooldown override; null uses CORRELATION_COOLDOWN_SECONDS. */
  cooldown_seconds: cooldownSeconds()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  /** Absent or null: every firing raises its own alert. */
  suppression: SuppressionSchema.nullable()
    .optional()
    .transform((v) => v ?? null),
  /** Absent or null: no tags. */
  tags: RuleTagsSchema.nullable()
    .optional()
    .transform((v) => v ?? []),
});
export type RuleCreate = z.infer<typeof RuleCreateSchema>;

/** Absent or null both mean "unchanged" (PATCH); the output carries undefined. */
const unchangedWhenNull = <T extends z.ZodType>(schema: T) =>
  schema
    .nullable()
    .optional()
    .transform((v): z.output<T> | undefined => (v === null ? undefined : v));

/** PATCH /v1/rules/{id}. `rule_type` is not accepted (stripped if sent). */
export const RuleUpdateSchema = z.object({
  name: unchangedWhenNull(z.string().min(1).max(NAME_MAX)),
  description: unchangedWhenNull(z.string().max(DESCRIPTION_MAX)),
  conditions: unchangedWhenNull(ConditionsObjectSchema),
  severity: unchangedWhenNull(SeveritySchema),
  enabled: unchangedWhenNull(lenientBool()),
  mitre_tactic: unchangedWhenNull(MitreTacticSchema),
  mitre_technique: unchangedWhenNull(MitreTechniqueSchema),
  cooldown_seconds: unchangedWhenNull(cooldownSeconds()),
  /** An object sets it; `false` turns suppression off (null, as everywhere in PATCH, leaves it unchanged). */
  suppression: unchangedWhenNull(z.union([z.literal(false), SuppressionSchema])),
  /** Replaces the whole list; `[]` removes every tag. */
  tags: unchangedWhenNull(RuleTagsSchema),
});
export type RuleUpdate = z.infer<typeof RuleUpdateSchema>;

/** A stored rule plus the additive `cooldown_seconds`. */
export const RuleSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  rule_type: RuleTypeSchema,
  conditions: ConditionsObjectSchema,
  severity: SeveritySchema,
  enabled: z.boolean(),
  mitre_tactic: z.string().nullable(),
  mitre_technique: z.string().nullable(),
  cooldown_seconds: z.number().int().nullable(),
  /** Additive: null when the rule raises an alert per firing. */
  suppression: z.object({ fields: z.array(z.string()), duration_seconds: z.number().int() }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Where the rule came from: null when written here; `{kind: "sigma", id, ...}` when imported (additive). */
  origin: z.record(z.string(), z.unknown()).nullable(),
  /** Every ATT&CK technique of the rule; `mitre_technique` is the first (additive). */
  mitre_techniques: z.array(z.string()),
  /** Lower-case labels of the rule, deduplicated (additive; `[]` when none, always answered; read as `[]` when missing). */
  tags: z.array(z.string()).default([]),
  /**
   * In create and update answers only (additive): what is accepted but probably wrong, such
   * as a field no stored event carries, located like validation details.
   */
  warnings: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type Rule = z.infer<typeof RuleSchema>;
export type RuleWarning = NonNullable<Rule['warnings']>[number];

/** POST /v1/rules/{id}/test body; the bounds come from config (RULE_TEST_MAX_HOURS). */
export function ruleTestRequest(maxHours: number, defaultHours = 24) {
  return z.object({
    hours: lenientInt({ min: 1, max: maxHours, source: 'body' }).optional().default(Math.min(defaultHours, maxHours)),
  });
}
export type RuleTestRequest = z.output<ReturnType<typeof ruleTestRequest>>;

export const RuleTestAlertSchema = z.object({
  group_value: z.string(),
  matched_event_count: z.number().int(),
  matched_event_ids: z.array(IdSchema),
  /** Event time of the event that made the rule fire (additive). */
  fired_at: z.string(),
});
export const RuleTestResultSchema = z.object({
  rule_id: IdSchema,
  rule_name: z.string(),
  events_evaluated: z.number().int(),
  alerts_would_fire: z.number().int(),
  alerts: z.array(RuleTestAlertSchema),
});
export type RuleTestAlert = z.infer<typeof RuleTestAlertSchema>;
export type RuleTestResult = z.infer<typeof RuleTestResultSchema>;

export const RULE_AUDIT_ACTIONS = ['created', 'updated', 'enabled', 'disabled', 'deleted', 'restored'] as const;

/** GET /v1/rules/{id}/history: one change of a rule, oldest first (additive). */
export const RuleHistoryEntrySchema = z.object({
  action: z.enum(RULE_AUDIT_ACTIONS),
  /** Username at the time of the change; null for the server itself (shipped rules). */
  by: z.string().nullable(),
  user_id: z.string().nullable(),
  at: z.string(),
  /** The rule's name after the change (before it, for a deletion). */
  rule_name: z.string(),
  /** field -> {from, to}: only the fields that changed; every field on a creation or deletion. */
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
});
export type RuleHistoryEntry = z.infer<typeof RuleHistoryEntrySchema>;
