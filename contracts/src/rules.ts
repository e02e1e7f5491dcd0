// Correlation rule contracts: event filters with the operator
// extension, conditions per rule_type (validated on their own so detail paths are relative
// to `conditions`), the rule bodies and the rule-test shapes.
import { z } from 'zod';
import { IdSchema, SeveritySchema, lenientBool, lenientInt } from './common.ts';

export const RULE_TYPES = ['threshold', 'sequence', 'aggregation'] as const;
export const RuleTypeSchema = z.enum(RULE_TYPES);
export type RuleType = z.infer<typeof RuleTypeSchema>;

/** Top-level event fields a rule may name; `normalized.<key>` besides. */
export const RULE_EVENT_FIELDS = [
  'id',
  'timestamp',
  'source_type',
  'severity',
  'event_type',
  'source_ip',
  'dest_ip',
  'source_port',
  'dest_port',
  'hostname',
  'username',
  'mitre_tactic',
  'mitre_technique',
  'scenario_run_id',
] as const;
export type RuleEventField = (typeof RULE_EVENT_FIELDS)[number];
export const NORMALIZED_PREFIX = 'normalized.';
/** Parsed fields under their dotted names: `fields.dns.question.name`, `fields.group.name`. */
export const FIELDS_PREFIX = 'fields.';

const TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set(RULE_EVENT_FIELDS);
const FIELD_HINT = `use one of ${RULE_EVENT_FIELDS.join(', ')}, normalized.<key>, or fields.<parsed.field.name>`;

/**
 * Unknown names are rejected rather than accepted: a typo ("usrname") would otherwise be a
 * rule that silently never matches. Normalized keys are not checked against the projection
 * table (that table belongs to the server and may grow).
 */
export function isRuleField(name: string): boolean {
  return (
    TOP_LEVEL_FIELDS.has(name) ||
    (name.startsWith(NORMALIZED_PREFIX) && name.length > NORMALIZED_PREFIX.length) ||
    (name.startsWith(FIELDS_PREFIX) && name.length > FIELDS_PREFIX.length)
  );
}

export const FILTER_OPERATORS = ['in', 'not', 'exists', 'contains', 'startswith', 'endswith', 'gt', 'gte', 'lt', 'lte', 'cidr'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
interface OperandTypes {
  in: string[];
  not: string;
  exists: boolean;
  contains: string;
  startswith: string;
  endswith: string;
  gt: number;
  gte: number;
  lt: number;
  lte: number;
  cidr: string;
}
/** `{ "<op>": operand }` with exactly one operator. */
export type FilterOperatorObject = { [K in FilterOperator]: { [P in K]: OperandTypes[K] } }[FilterOperator];
/** A string means exact, case-sensitive equality. */
export type FilterValue = string | FilterOperatorObject;
export type EventFilter = Record<string, FilterValue>;

const OPERATOR_SET: ReadonlySet<string> = new Set(FILTER_OPERATORS);
export const isFilterOperator = (name: string): name is FilterOperator => OPERATOR_SET.has(name);
const OPERATOR_HINT = FILTER_OPERATORS.join(', ');

type Path = (string | number)[];
function report(ctx: z.RefinementCtx, path: Path, type: string, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { type } });
}

const V4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const V4 = new RegExp(`^${V4_OCTET}(?:\\.${V4_OCTET}){3}$`);
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function isV6Text(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let body = s;
  let tailGroups = 0;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return false;
  if (s.includes('.', lastColon)) {
    // A dotted-quad tail fills the last 32 bits (two groups).
    if (!V4.test(s.slice(lastColon + 1))) return false;
    body = `${s.slice(0, lastColon + 1)}0`;
    tailGroups = 1;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  let count = tailGroups;
  for (const half of halves) {
    if (half === '') continue;
    for (const group of half.split(':')) {
      if (!V6_GROUP.test(group)) return false;
      count++;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

/**
 * Textual check of "address" or "address/prefix" (v4 or v6) so a bad network is a 422 at
 * the filter key. Contracts cannot import the server's parser; the engine's compile step
 * re-parses with it and stays the authority (it also rejects what this lets through).
 */
export function isCidrText(s: string): boolean {
  const slash = s.indexOf('/');
  const address = slash < 0 ? s : s.slice(0, slash);
  const v4 = V4.test(address);
  if (!v4 && !isV6Text(address)) return false;
  if (slash < 0) return true;
  const prefix = s.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function checkOperand(op: FilterOperator, operand: unknown, ctx: z.RefinementCtx, key: string): void {
  const at: Path = [key, op];
  switch (op) {
    case 'in':
      if (!Array.isArray(operand)) return report(ctx, at, 'list_type', 'Input should be a valid list of strings');
      if (operand.length === 0) return report(ctx, at, 'too_short', 'List should have at least 1 item');
      operand.forEach((item, i) => {
        if (typeof item !== 'string') report(ctx, [key, op, i], 'string_type', 'Input should be a valid string');
      });
      return;
    case 'not':
      if (typeof operand !== 'string') report(ctx, at, 'string_type', 'Input should be a valid string');
      return;
    case 'exists':
      if (typeof operand !== 'boolean') report(ctx, at, 'bool_type', 'Input should be a valid boolean');
      return;
    case 'contains':
    case 'startswith':
    case 'endswith':
      if (typeof operand !== 'string') return report(ctx, at, 'string_type', 'Input should be a valid string');
      if (!isNonEmptyString(operand)) report(ctx, at, 'string_too_short', 'String should have at least 1 character');
      return;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof operand !== 'number' || !Number.isFinite(operand)) report(ctx, at, 'float_type', 'Input should be a valid number');
      return;
    case 'cidr':
      if (typeof operand !== 'string') return report(ctx, at, 'string_type', 'Input should be a valid string');
      if (!isCidrText(operand)) {
        report(ctx, at, 'value_error', `'${operand}' is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, 2001:db8::/32)`);
      }
  }
}

function checkFilterValue(value: unknown, ctx: z.RefinementCtx, key: string): void {
  if (typeof value === 'string') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return report(ctx, [key], 'string_type', `Input should be a string (equality) or an object with one operator (${OPERATOR_HINT})`);
  }
  const ops = Object.keys(value);
  if (ops.length !== 1) {
    return report(ctx, [key], 'value_error', `An operator filter takes exactly one operator (${OPERATOR_HINT}); got ${ops.length}`);
  }
  const op = ops[0]!;
  if (!isFilterOperator(op)) return report(ctx, [key], 'value_error', `Unknown operator '${op}'; valid operators: ${OPERATOR_HINT}`);
  checkOperand(op, (value as Record<string, unknown>)[op], ctx, key);
}

/** event_filter: field -> string | operator object; `{}` matches every event. */
export const EventFilterSchema = z
  .record(z.string(), z.custom<FilterValue>())
  .superRefine((filter, ctx) => {
    for (const [key, value] of Object.entries(filter)) {
      if (!isRuleField(key)) report(ctx, [key], 'value_error', `Unknown field '${key}': ${FIELD_HINT}`);
      else checkFilterValue(value, ctx, key);
    }
  })
  .meta({
    description: `Field -> string (exact equality) or {operator: operand} with one of: ${OPERATOR_HINT}. Fields: ${FIELD_HINT}.`,
  });

/** group_by / aggregation_field. */
export const RuleFieldSchema = z.string().superRefine((name, ctx) => {
  if (!isRuleField(name)) report(ctx, [], 'value_error', `Unknown field '${name}': ${FIELD_HINT}`);
});

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

export const ThresholdConditionsSchema = z.looseObject({
  event_filter: EventFilterSchema,
  threshold: threshold(),
  window_seconds: windowSeconds(),
  group_by: RuleFieldSchema,
});
export const SequenceStepSchema = z.looseObject({
  event_filter: EventFilterSchema,
  count: lenientInt({ min: 1, max: RULE_LIMITS.maxStepCount, source: 'body' }).optional(),
});
export const SequenceConditionsSchema = z.looseObject({
  steps: z.array(SequenceStepSchema).min(2).max(MAX_SEQUENCE_STEPS),
  window_seconds: windowSeconds(),
  group_by: RuleFieldSchema,
});
export const AggregationConditionsSchema = z.looseObject({
  event_filter: EventFilterSchema,
  aggregation: z.literal('count_distinct'),
  aggregation_field: RuleFieldSchema,
  threshold: threshold(),
  window_seconds: windowSeconds(),
  group_by: RuleFieldSchema,
});
export type ThresholdConditions = z.infer<typeof ThresholdConditionsSchema>;
export type SequenceStep = z.infer<typeof SequenceStepSchema>;
export type SequenceConditions = z.infer<typeof SequenceConditionsSchema>;
export type AggregationConditions = z.infer<typeof AggregationConditionsSchema>;

export interface ConditionsByType {
  threshold: ThresholdConditions;
  sequence: SequenceConditions;
  aggregation: AggregationConditions;
}
/** rule_type with its parsed conditions, discriminated for exhaustive switches. */
export type TypedConditions = { [K in RuleType]: { rule_type: K; conditions: ConditionsByType[K] } }[RuleType];

/** The registry of condition schemas by rule_type (the discriminated part of a rule). */
export const CONDITIONS_SCHEMAS: { [K in RuleType]: z.ZodType<ConditionsByType[K]> } = {
  threshold: ThresholdConditionsSchema,
  sequence: SequenceConditionsSchema,
  aggregation: AggregationConditionsSchema,
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
  created_at: z.string(),
  updated_at: z.string(),
  /** Where the rule came from: null when written here; `{kind: "sigma", id, ...}` when imported (additive). */
  origin: z.record(z.string(), z.unknown()).nullable(),
  /** Every ATT&CK technique of the rule; `mitre_technique` is the first (additive). */
  mitre_techniques: z.array(z.string()),
});
export type Rule = z.infer<typeof RuleSchema>;

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
