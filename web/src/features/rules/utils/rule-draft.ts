// The rule form's model: a draft the inputs edit (filters as trees, see filter-tree.ts),
// converted to the API body and back (so the JSON/YAML views and the builder stay one
// rule), checked locally with the shared contract schemas, and error paths mapped onto
// form keys: top-level fields by name, condition errors (relative to `conditions`) under
// `conditions.`. Condition keys the form has no input for are kept as they were.
import { CONDITIONS_SCHEMAS, RuleCreateSchema, RuleUpdateSchema, validateConditions } from '@siem/contracts';
import type { ErrorDetail, Rule, RuleType, Severity } from '@siem/contracts';
import { zodToDetails } from '../../../lib/form-errors.ts';
import { newId, newPredicate, parseFilter, serializeFilter } from './filter-tree.ts';
import type { Group } from './filter-tree.ts';

/** Every rule type the editor knows; the server's list may be shorter until it learns them. */
export const EDITOR_RULE_TYPES = ['single', 'threshold', 'aggregation', 'sequence'] as const;
export type EditorRuleType = (typeof EDITOR_RULE_TYPES)[number];

export interface StepDraft {
  id: string;
  filter: Group;
  count: string;
  /** Step keys without an input, kept. */
  extra: Record<string, unknown>;
}

export interface RuleDraft {
  name: string;
  description: string;
  rule_type: EditorRuleType;
  severity: Severity;
  enabled: boolean;
  mitre_tactic: string;
  mitre_technique: string;
  cooldown_seconds: string;
  /** Tags as typed: separated by commas or spaces. */
  tags: string;
  filter: Group;
  threshold: string;
  window_seconds: string;
  group_by: string[];
  /** group_by written as a list, even of one field. */
  group_by_list: boolean;
  aggregation_field: string;
  steps: StepDraft[];
  /** Sequence order; undefined = absent (ordered, the default). */
  ordered: boolean | undefined;
  exceptions: Group[];
  /** Condition keys the form has no input for, kept as they were (conditions allow extra keys). */
  extra: Record<string, unknown>;
  /** Repeats counted on the open alert of the same key (off: every firing raises an alert). */
  suppression: SuppressionDraft;
}

export interface SuppressionDraft {
  enabled: boolean;
  fields: string[];
  duration_seconds: string;
}
const noSuppression = (): SuppressionDraft => ({ enabled: false, fields: ['source_ip'], duration_seconds: '3600' });

const filterOf = (field: string, value = '') => ({ ...parseFilter({}), children: [newPredicate(field, value)] });
export const newStep = (): StepDraft => ({ id: newId(), filter: filterOf('event_type'), count: '1', extra: {} });

export const emptyDraft = (): RuleDraft => ({
  name: '', description: '', rule_type: 'threshold', severity: 'medium', enabled: true, mitre_tactic: '', mitre_technique: '',
  cooldown_seconds: '', tags: '', filter: filterOf('event_type'), threshold: '5', window_seconds: '300', group_by: ['source_ip'], group_by_list: false,
  aggregation_field: 'dest_port', steps: [newStep(), newStep()], ordered: undefined, exceptions: [], extra: {},
  suppression: noSuppression(),
});

const TOP_KEYS = new Set(['name', 'description', 'rule_type', 'conditions', 'severity', 'enabled', 'mitre_tactic', 'mitre_technique', 'cooldown_seconds', 'suppression', 'tags']);
const COMMON_KEYS = ['window_seconds', 'group_by', 'exceptions'];
/** The condition keys each rule type's form edits; the rest of `conditions` is kept as is. */
const FORM_KEYS: Record<EditorRuleType, ReadonlySet<string>> = {
  // A single rule has no window: one written anyway is kept, not edited.
  single: new Set(['event_filter', 'group_by', 'exceptions']),
  threshold: new Set(['event_filter', 'threshold', ...COMMON_KEYS]),
  aggregation: new Set(['event_filter', 'threshold', 'aggregation', 'aggregation_field', ...COMMON_KEYS]),
  sequence: new Set(['steps', 'ordered', ...COMMON_KEYS]),
};
const STEP_KEYS = new Set(['event_filter', 'count']);

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

export function draftConditions(d: RuleDraft): Record<string, unknown> {
  const c: Record<string, unknown> = { ...d.extra };
  const set = (k: string, v: unknown) => {
    if (v !== undefined) c[k] = v;
  };
  if (d.rule_type === 'sequence') {
    c.steps = d.steps.map((s) => {
      const step: Record<string, unknown> = { ...s.extra, event_filter: serializeFilter(s.filter) };
      if (s.count.trim() !== '') step.count = num(s.count);
      return step;
    });
    set('ordered', d.ordered);
  } else {
    c.event_filter = serializeFilter(d.filter);
  }
  if (d.rule_type === 'threshold' || d.rule_type === 'aggregation') set('threshold', num(d.threshold));
  if (d.rule_type === 'aggregation') {
    c.aggregation = 'count_distinct';
    set('aggregation_field', d.aggregation_field.trim() || undefined);
  }
  if (d.rule_type !== 'single') set('window_seconds', num(d.window_seconds));
  const groupBy = d.group_by.map((g) => g.trim()).filter(Boolean);
  if (groupBy.length > 0) c.group_by = d.group_by_list || groupBy.length > 1 ? groupBy : groupBy[0];
  if (d.exceptions.length > 0) c.exceptions = d.exceptions.map(serializeFilter);
  return c;
}

/** Tags typed as text (commas or spaces between them) -> the list sent; the server lower-cases. */
export function parseTagsText(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
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
  // On edit `[]` removes every tag (editPatch drops it when the rule had none).
  const tags = parseTagsText(d.tags);
  if (tags.length > 0 || mode === 'edit') body.tags = tags;
  // Off is `false` on edit (null would mean "unchanged"); editPatch drops it when it was off already.
  if (d.suppression.enabled) {
    body.suppression = { fields: d.suppression.fields.map((f) => f.trim()).filter(Boolean), duration_seconds: num(d.suppression.duration_seconds) };
  } else if (mode === 'edit') body.suppression = false;
  return body;
}

/** JSON with object keys sorted, to compare bodies whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x);
}

/**
 * An edit's PATCH body: only what differs from the rule as loaded (absent = unchanged), so
 * saving an untouched rule changes nothing, not even a null MITRE id into "".
 */
export function editPatch(body: Record<string, unknown>, loaded: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => v !== undefined && canonical(v) !== canonical(loaded[k])));
}

const str = (v: unknown, fallback = '') => (v === undefined || v === null ? fallback : String(v));
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A body (from the JSON/YAML view, or a stored rule) back into a draft. */
export function bodyToDraft(body: Record<string, unknown>, base: RuleDraft = emptyDraft()): RuleDraft {
  const ruleType = EDITOR_RULE_TYPES.find((t) => t === body.rule_type) ?? base.rule_type;
  const c = obj(body.conditions);
  const formKeys = FORM_KEYS[ruleType];
  const extra = Object.fromEntries(Object.entries(c).filter(([k]) => !formKeys.has(k)));
  const steps = Array.isArray(c.steps)
    ? (c.steps as unknown[]).map((s): StepDraft => {
        const step = obj(s);
        return {
          id: newId(),
          filter: parseFilter(step.event_filter),
          count: str(step.count),
          extra: Object.fromEntries(Object.entries(step).filter(([k]) => !STEP_KEYS.has(k))),
        };
      })
    : base.steps;
  const groupBy = c.group_by;
  return {
    name: str(body.name),
    description: str(body.description),
    rule_type: ruleType,
    severity: (str(body.severity, base.severity) as Severity) || base.severity,
    enabled: body.enabled === undefined ? base.enabled : body.enabled !== false,
    mitre_tactic: str(body.mitre_tactic),
    mitre_technique: str(body.mitre_technique),
    cooldown_seconds: str(body.cooldown_seconds),
    tags: Array.isArray(body.tags) ? body.tags.map((t) => str(t)).join(', ') : str(body.tags),
    filter: c.event_filter !== undefined ? parseFilter(c.event_filter) : base.filter,
    threshold: str(c.threshold),
    window_seconds: str(c.window_seconds),
    group_by: Array.isArray(groupBy) ? groupBy.map((g) => str(g)) : groupBy === undefined ? [] : [str(groupBy)],
    group_by_list: Array.isArray(groupBy),
    aggregation_field: str(c.aggregation_field),
    steps,
    ordered: typeof c.ordered === 'boolean' ? c.ordered : undefined,
    exceptions: Array.isArray(c.exceptions) ? c.exceptions.map(parseFilter) : [],
    extra,
    suppression: suppressionDraft(body.suppression),
  };
}

function suppressionDraft(v: unknown): SuppressionDraft {
  const s = obj(v);
  if (v === null || v === false || v === undefined || !Array.isArray(s.fields)) return noSuppression();
  return { enabled: true, fields: s.fields.map((f) => str(f)), duration_seconds: str(s.duration_seconds) };
}

export const ruleToDraft = (r: Rule): RuleDraft => bodyToDraft({ ...r });

/** The same checks the server runs, as validation details (condition paths relative). */
export function validateBody(body: Record<string, unknown>, mode: 'create' | 'edit', ruleType: string): ErrorDetail[] {
  const top = (mode === 'create' ? RuleCreateSchema : RuleUpdateSchema).safeParse(body);
  const details = top.success ? [] : zodToDetails(top.error);
  const conditions = body.conditions;
  // A rule type the shared contract does not know yet is left to the server.
  if (conditions && typeof conditions === 'object' && !Array.isArray(conditions) && ruleType in CONDITIONS_SCHEMAS) {
    const c = validateConditions(ruleType as RuleType, conditions);
    if (!c.ok) details.push(...zodToDetails(c.error));
  }
  return details;
}
