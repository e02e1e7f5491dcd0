// The rule form's model: a draft of strings the inputs edit, converted to the API body
// and back (so the JSON view and the form stay one rule), checked locally with the
// shared contract schemas, and error paths mapped onto form keys: top-level fields by
// name, condition errors (relative to `conditions`) under `conditions.`.
import { FILTER_OPERATORS, RuleCreateSchema, RuleUpdateSchema, validateConditions } from '@siem/contracts';
import type { ErrorDetail, FilterOperator, Rule, RuleType, Severity } from '@siem/contracts';
import { zodToDetails } from '../../../lib/form-errors.ts';

export type FilterOp = 'eq' | FilterOperator;
export const FILTER_OPS: readonly FilterOp[] = ['eq', ...FILTER_OPERATORS];
export interface FilterRow { key: string; op: FilterOp; value: string }
export interface StepDraft { filter: FilterRow[]; count: string }

export interface RuleDraft {
  name: string;
  description: string;
  rule_type: RuleType;
  severity: Severity;
  enabled: boolean;
  mitre_tactic: string;
  mitre_technique: string;
  cooldown_seconds: string;
  filter: FilterRow[];
  threshold: string;
  window_seconds: string;
  group_by: string;
  aggregation_field: string;
  steps: StepDraft[];
  /** Condition keys the form has no input for, kept as they were (conditions allow extra keys). */
  extra: Record<string, unknown>;
}

export const emptyDraft = (): RuleDraft => ({
  name: '', description: '', rule_type: 'threshold', severity: 'medium', enabled: true, mitre_tactic: '', mitre_technique: '',
  cooldown_seconds: '', filter: [{ key: 'event_type', op: 'eq', value: '' }], threshold: '5', window_seconds: '300', group_by: 'source_ip',
  aggregation_field: 'dest_port', steps: [{ filter: [{ key: 'event_type', op: 'eq', value: '' }], count: '1' }, { filter: [{ key: 'event_type', op: 'eq', value: '' }], count: '1' }], extra: {},
});

const TOP_KEYS = new Set(['name', 'description', 'rule_type', 'conditions', 'severity', 'enabled', 'mitre_tactic', 'mitre_technique', 'cooldown_seconds']);
const FORM_CONDITION_KEYS = new Set(['event_filter', 'threshold', 'window_seconds', 'group_by', 'aggregation', 'aggregation_field', 'steps']);

/** Server detail path -> form key. `threshold` -> `conditions.threshold`; `name` stays. */
export function ruleFieldKey(field: string): string {
  const head = field.split('.')[0]!;
  return TOP_KEYS.has(head) ? field : `conditions.${field}`;
}

/** A number typed as text goes out as a number; anything else as typed, for the validator to name. */
function num(v: string): unknown {
  const t = v.trim();
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

function operand(row: FilterRow): unknown {
  switch (row.op) {
    case 'eq':
    case 'not':
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'cidr':
      return row.value;
    case 'in':
      return row.value.split(',').map((s) => s.trim()).filter(Boolean);
    case 'exists':
      return row.value !== 'false';
    default:
      return num(row.value);
  }
}

export function filterToObject(rows: FilterRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of rows) {
    if (!row.key.trim()) continue;
    out[row.key.trim()] = row.op === 'eq' ? row.value : { [row.op]: operand(row) };
  }
  return out;
}

export function objectToFilter(obj: unknown): FilterRow[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [];
  return Object.entries(obj as Record<string, unknown>).map(([key, v]) => {
    if (typeof v === 'string') return { key, op: 'eq' as const, value: v };
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const [op, val] = Object.entries(v)[0] ?? ['eq', ''];
      const value = Array.isArray(val) ? val.join(', ') : String(val ?? '');
      return { key, op: (FILTER_OPS as readonly string[]).includes(op) ? (op as FilterOp) : 'eq', value };
    }
    return { key, op: 'eq' as const, value: String(v ?? '') };
  });
}

export function draftConditions(d: RuleDraft): Record<string, unknown> {
  const c: Record<string, unknown> = { ...d.extra };
  const set = (k: string, v: unknown) => {
    if (v !== undefined) c[k] = v;
  };
  if (d.rule_type === 'sequence') {
    c.steps = d.steps.map((s) => {
      const step: Record<string, unknown> = { event_filter: filterToObject(s.filter) };
      if (s.count.trim() !== '') step.count = num(s.count);
      return step;
    });
  } else {
    c.event_filter = filterToObject(d.filter);
    set('threshold', num(d.threshold));
  }
  if (d.rule_type === 'aggregation') {
    c.aggregation = 'count_distinct';
    set('aggregation_field', d.aggregation_field.trim() || undefined);
  }
  set('window_seconds', num(d.window_seconds));
  set('group_by', d.group_by.trim() || undefined);
  return c;
}

/** The request body; `rule_type` only on create (it cannot change). */
export function draftToBody(d: RuleDraft, mode: 'create' | 'edit'): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: d.name.trim(),
    description: d.description,
    severity: d.severity,
    enabled: d.enabled,
    mitre_tactic: d.mitre_tactic.trim(),
    mitre_technique: d.mitre_technique.trim(),
    conditions: draftConditions(d),
  };
  // On create an empty MITRE id is just "none"; on edit "" is how a value is cleared.
  if (mode === 'create') {
    body.rule_type = d.rule_type;
    if (!body.mitre_tactic) delete body.mitre_tactic;
    if (!body.mitre_technique) delete body.mitre_technique;
  }
  const cooldown = num(d.cooldown_seconds);
  if (cooldown !== undefined) body.cooldown_seconds = cooldown;
  return body;
}

const str = (v: unknown, fallback = '') => (v === undefined || v === null ? fallback : String(v));

/** A body (from the JSON view, or a stored rule) back into a draft. */
export function bodyToDraft(body: Record<string, unknown>, base: RuleDraft = emptyDraft()): RuleDraft {
  const ruleType = (['threshold', 'sequence', 'aggregation'] as const).find((t) => t === body.rule_type) ?? base.rule_type;
  const c = (body.conditions && typeof body.conditions === 'object' ? body.conditions : {}) as Record<string, unknown>;
  const extra = Object.fromEntries(Object.entries(c).filter(([k]) => !FORM_CONDITION_KEYS.has(k)));
  const steps = Array.isArray(c.steps)
    ? (c.steps as unknown[]).map((s) => {
        const step = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
        return { filter: objectToFilter(step.event_filter), count: str(step.count) };
      })
    : base.steps;
  return {
    name: str(body.name),
    description: str(body.description),
    rule_type: ruleType,
    severity: (str(body.severity, base.severity) as Severity) || base.severity,
    enabled: body.enabled === undefined ? base.enabled : body.enabled !== false,
    mitre_tactic: str(body.mitre_tactic),
    mitre_technique: str(body.mitre_technique),
    cooldown_seconds: str(body.cooldown_seconds),
    filter: c.event_filter !== undefined ? objectToFilter(c.event_filter) : base.filter,
    threshold: str(c.threshold),
    window_seconds: str(c.window_seconds),
    group_by: str(c.group_by),
    aggregation_field: str(c.aggregation_field),
    steps,
    extra,
  };
}

export const ruleToDraft = (r: Rule): RuleDraft => bodyToDraft({ ...r });

/** The same checks the server runs, as validation details (condition paths relative). */
export function validateBody(body: Record<string, unknown>, mode: 'create' | 'edit', ruleType: RuleType): ErrorDetail[] {
  const top = (mode === 'create' ? RuleCreateSchema : RuleUpdateSchema).safeParse(body);
  const details = top.success ? [] : zodToDetails(top.error);
  const conditions = body.conditions;
  if (conditions && typeof conditions === 'object' && !Array.isArray(conditions)) {
    const c = validateConditions(ruleType, conditions);
    if (!c.ok) details.push(...zodToDetails(c.error));
  }
  return details;
}
