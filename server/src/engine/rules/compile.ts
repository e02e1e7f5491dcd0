// Rule compilation (STYLE rules 4 and 7): a rule whose conditions zod has parsed becomes
// matcher closures, getters and millisecond windows, plus the event types it can match so
// the engine can index it. Nothing here runs per event.
import type { RuleType, Severity, TypedConditions } from '@siem/contracts';
import { anchorsOf, unionOf, type Anchor } from './anchors.ts';
import { RuleCompileError } from './errors.ts';
import { fieldNamesOf } from './field-names.ts';
import { fieldGetter, keyOf, type FieldGetter } from './fields.ts';
import { compileFilter, pinnedValues } from './filter.ts';
import { NO_LISTS, type ListResolver } from './lists.ts';
import type { Matcher } from './operators.ts';

/** What compiling needs besides the rule: the shared lists its `in_list` operators name. */
export interface CompileContext {
  lists: ListResolver;
}
const NO_CONTEXT: CompileContext = { lists: NO_LISTS };
/** Separates the values of a multi-field group key (NUL never survives into stored text). */
export const GROUP_SEPARATOR = '\u0000';

/** A rule as the engine needs it: stored fields plus conditions already parsed by zod. */
export type RuleDefinition = TypedConditions & {
  id: string;
  name: string;
  severity: Severity;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  /** Per-rule cooldown override in seconds; null uses the engine's default. */
  cooldown_seconds: number | null;
  /** Repeats counted on the open alert of the same key (the store decides); absent or null: none. */
  suppression?: { fields: readonly string[]; duration_seconds: number } | null;
};

/** How a compiled rule's firings are suppressed: the key of the triggering event and the duration. */
export interface CompiledSuppression {
  /** The key fields with the event's values (null when missing) as JSON text; field order as in the rule. */
  readonly key: (e: Parameters<Matcher>[0]) => string;
  readonly durationMs: number;
}

/** The group / distinct key of an event: text form, null when missing or empty. */
export type KeyGetter = (e: Parameters<Matcher>[0]) => string | null;

export interface CompiledStep {
  readonly match: Matcher;
  readonly count: number;
}

export type CompiledSpec =
  | { readonly type: 'single'; readonly match: Matcher }
  | { readonly type: 'threshold'; readonly match: Matcher; readonly threshold: number }
  | { readonly type: 'aggregation'; readonly match: Matcher; readonly threshold: number; readonly distinctKey: KeyGetter }
  | { readonly type: 'sequence'; readonly steps: readonly CompiledStep[]; readonly ordered: boolean };

export interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly ruleType: RuleType;
  readonly severity: Severity;
  readonly mitreTactic: string | null;
  readonly mitreTechnique: string | null;
  /** null: the engine's default cooldown applies. */
  readonly cooldownMs: number | null;
  /** null: every firing raises its own alert. */
  readonly suppression: CompiledSuppression | null;
  readonly windowMs: number;
  /** The group of an event (values of several fields joined by GROUP_SEPARATOR); null: skip
   *  the event. A single-event rule without group_by has none (every event is its own). */
  readonly groupKey: KeyGetter | null;
  /** Whether a filter reads `raw.*`: the reader then loads the record as it arrived. */
  readonly usesRaw: boolean;
  /** Lower-cased event types the rule can match; null when it can match any event. */
  readonly eventTypes: readonly string[] | null;
  /** Necessary conditions on other fields (see anchors.ts): the engine indexes by one of them. */
  readonly anchors: readonly Anchor[];
  /** Same fingerprint = same matching behaviour: the engine keeps the rule's state. */
  readonly fingerprint: string;
  readonly spec: CompiledSpec;
}

type Path = readonly (string | number)[];

function getterAt(field: unknown, path: Path): FieldGetter {
  if (typeof field !== 'string') throw new RuleCompileError(path, 'Input should be a valid string', 'string_type');
  const get: FieldGetter | null = fieldGetter(field);
  if (!get) throw new RuleCompileError(path, `Unknown field '${field}'`);
  return get;
}

function keyGetter(field: unknown, path: Path): KeyGetter {
  const get = getterAt(field, path);
  return (e) => keyOf(get(e));
}

/** group_by: one field, or several whose values all must be present. */
function groupKeyGetter(groupBy: unknown, path: Path): KeyGetter {
  if (!Array.isArray(groupBy)) return keyGetter(groupBy, path);
  if (groupBy.length === 0) throw new RuleCompileError(path, 'List should have at least 1 field', 'too_short');
  if (groupBy.length === 1) return keyGetter(groupBy[0], [...path, 0]);
  const gets = groupBy.map((field, i) => getterAt(field, [...path, i]));
  return (e) => {
    let key = '';
    for (let i = 0; i < gets.length; i++) {
      const part = keyOf(gets[i]!(e));
      if (part === null) return null;
      key = i === 0 ? part : key + GROUP_SEPARATOR + part;
    }
    return key;
  };
}

function suppressionOf(def: RuleDefinition): CompiledSuppression | null {
  const s = def.suppression;
  if (s === undefined || s === null) return null;
  if (!Number.isInteger(s.duration_seconds) || s.duration_seconds < 1) {
    throw new RuleCompileError([], 'suppression.duration_seconds should be an integer >= 1', 'greater_than_equal');
  }
  // Named once each: a key of the same values under other names is another key.
  const gets = s.fields.map((field, i) => [field, getterAt(field, ['suppression', 'fields', i])] as const);
  return {
    key: (e) => {
      const values: Record<string, string | null> = {};
      for (const [field, get] of gets) values[field] = keyOf(get(e));
      return JSON.stringify(values);
    },
    durationMs: s.duration_seconds * 1000,
  };
}

/** How a group key reads in an alert: the values joined by " / ". */
export function groupLabel(key: string): string {
  return key.includes(GROUP_SEPARATOR) ? key.split(GROUP_SEPARATOR).join(' / ') : key;
}

function positiveInt(value: unknown, path: Path): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RuleCompileError(path, 'Input should be an integer >= 1', 'greater_than_equal');
  }
  return value;
}

function filterAt(owner: Readonly<Record<string, unknown>>, path: Path, ctx: CompileContext, except: Matcher | null): Matcher {
  const filter = owner.event_filter;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new RuleCompileError([...path, 'event_filter'], 'Input should be a valid dictionary', 'dict_type');
  }
  const match = compileFilter(filter as Record<string, unknown>, [...path, 'event_filter'], ctx);
  return except === null ? match : (e) => match(e) && !except(e);
}

/** The rule's exceptions as one matcher (any of them), null when it has none. */
function exceptionsOf(conditions: Readonly<Record<string, unknown>>, ctx: CompileContext): Matcher | null {
  const list = conditions.exceptions;
  if (list === undefined) return null;
  if (!Array.isArray(list)) throw new RuleCompileError(['exceptions'], 'Input should be a list of filters', 'list_type');
  if (list.length === 0) return null;
  const matchers = list.map((filter, i) => {
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
      throw new RuleCompileError(['exceptions', i], 'Input should be a valid dictionary', 'dict_type');
    }
    return compileFilter(filter as Record<string, unknown>, ['exceptions', i], ctx);
  });
  return matchers.length === 1 ? matchers[0]! : (e) => matchers.some((m) => m(e));
}

/** The event types a filter pins (lower-cased; see pinnedValues). null: unpinned. */
function pinnedTypes(filter: unknown): string[] | null {
  return pinnedValues(filter, 'event_type');
}

function anchorsOfRule(def: RuleDefinition): Anchor[] {
  if (def.rule_type !== 'sequence') return anchorsOf(def.conditions.event_filter);
  // A sequence sees an event when any step may match it.
  const union = unionOf(def.conditions.steps.map((step) => anchorsOf(step.event_filter)));
  return union === null ? [] : [union];
}

/** Key-sorted JSON, so the same conditions in another key order give the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function compileSpec(def: RuleDefinition, ctx: CompileContext): { spec: CompiledSpec; eventTypes: string[] | null } {
  const except = exceptionsOf(def.conditions, ctx);
  switch (def.rule_type) {
    case 'single': {
      const c = def.conditions;
      return { spec: { type: 'single', match: filterAt(c, [], ctx, except) }, eventTypes: pinnedTypes(c.event_filter) };
    }
    case 'threshold': {
      const c = def.conditions;
      const spec = { type: 'threshold', match: filterAt(c, [], ctx, except), threshold: positiveInt(c.threshold, ['threshold']) } as const;
      return { spec, eventTypes: pinnedTypes(c.event_filter) };
    }
    case 'aggregation': {
      const c = def.conditions;
      if (c.aggregation !== 'count_distinct') {
        throw new RuleCompileError(['aggregation'], "Input should be 'count_distinct'", 'literal_error');
      }
      const spec = {
        type: 'aggregation',
        match: filterAt(c, [], ctx, except),
        threshold: positiveInt(c.threshold, ['threshold']),
        distinctKey: keyGetter(c.aggregation_field, ['aggregation_field']),
      } as const;
      return { spec, eventTypes: pinnedTypes(c.event_filter) };
    }
    case 'sequence': {
      const c = def.conditions;
      if (!Array.isArray(c.steps) || c.steps.length < 2) {
        throw new RuleCompileError(['steps'], 'A sequence needs at least 2 steps', 'too_short');
      }
      const steps = c.steps.map((step, i) => ({
        match: filterAt(step, ['steps', i], ctx, except),
        count: step.count === undefined ? 1 : positiveInt(step.count, ['steps', i, 'count']),
      }));
      // The rule is indexable only when every step is: one unpinned step sees every event.
      const pins = c.steps.map((step) => pinnedTypes(step.event_filter));
      const eventTypes = pins.every((p) => p !== null) ? [...new Set(pins.flat() as string[])] : null;
      return { spec: { type: 'sequence', steps, ordered: c.ordered !== false }, eventTypes };
    }
    default: {
      const unknown: { rule_type: unknown } = def;
      throw new RuleCompileError([], `Unknown rule_type '${String(unknown.rule_type)}'; valid: single, threshold, sequence, aggregation`);
    }
  }
}

/**
 * Compiles one rule. Throws RuleCompileError (path relative to `conditions`) on anything
 * the engine cannot run; after validateConditions that is only a network the server's
 * CIDR parser refuses.
 */
export function compileRule(def: RuleDefinition, ctx: CompileContext = NO_CONTEXT): CompiledRule {
  const { spec, eventTypes } = compileSpec(def, ctx);
  // A single-event rule has no window: every event stands alone.
  const windowSeconds = def.rule_type === 'single' ? 0 : positiveInt(def.conditions.window_seconds, ['window_seconds']);
  const groupBy = def.conditions.group_by;
  const cooldown = def.cooldown_seconds;
  if (cooldown !== null && (!Number.isInteger(cooldown) || cooldown < 0)) {
    throw new RuleCompileError([], 'cooldown_seconds should be an integer >= 0', 'greater_than_equal');
  }
  return {
    id: def.id,
    name: def.name,
    ruleType: def.rule_type,
    severity: def.severity,
    mitreTactic: def.mitre_tactic,
    mitreTechnique: def.mitre_technique,
    cooldownMs: cooldown === null ? null : cooldown * 1000,
    suppression: suppressionOf(def),
    windowMs: windowSeconds * 1000,
    groupKey: def.rule_type === 'single' && groupBy === undefined ? null : groupKeyGetter(groupBy, ['group_by']),
    // Every field the rule names, filters and group_by / aggregation_field alike.
    usesRaw: fieldNamesOf(def.conditions).some((f) => f.kind === 'raw'),
    anchors: anchorsOfRule(def),
    eventTypes,
    // Name, severity, MITRE, cooldown and suppression are left out: changing them keeps the windows.
    fingerprint: canonical({ rule_type: def.rule_type, conditions: def.conditions }),
    spec,
  };
}
