// Rule compilation (STYLE rules 4 and 7): a rule whose conditions zod has parsed becomes
// matcher closures, getters and millisecond windows, plus the event types it can match so
// the engine can index it. Nothing here runs per event.
import type { RuleType, Severity, TypedConditions } from '@siem/contracts';
import { RuleCompileError } from './errors.ts';
import { fieldGetter, keyOf, type FieldGetter } from './fields.ts';
import { compileFilter, type Matcher } from './operators.ts';

/** A rule as the engine needs it: stored fields plus conditions already parsed by zod. */
export type RuleDefinition = TypedConditions & {
  id: string;
  name: string;
  severity: Severity;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  /** Per-rule cooldown override in seconds; null uses the engine's default. */
  cooldown_seconds: number | null;
};

/** The group / distinct key of an event: text form, null when missing or empty. */
export type KeyGetter = (e: Parameters<Matcher>[0]) => string | null;

export interface CompiledStep {
  readonly match: Matcher;
  readonly count: number;
}

export type CompiledSpec =
  | { readonly type: 'threshold'; readonly match: Matcher; readonly threshold: number }
  | { readonly type: 'aggregation'; readonly match: Matcher; readonly threshold: number; readonly distinctKey: KeyGetter }
  | { readonly type: 'sequence'; readonly steps: readonly CompiledStep[] };

export interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly ruleType: RuleType;
  readonly severity: Severity;
  readonly mitreTactic: string | null;
  readonly mitreTechnique: string | null;
  /** null: the engine's default cooldown applies. */
  readonly cooldownMs: number | null;
  readonly windowMs: number;
  readonly groupKey: KeyGetter;
  /** Lower-cased event types the rule can match; null when it can match any event. */
  readonly eventTypes: readonly string[] | null;
  /** Same fingerprint = same matching behaviour: the engine keeps the rule's state. */
  readonly fingerprint: string;
  readonly spec: CompiledSpec;
}

type Path = readonly (string | number)[];

function keyGetter(field: unknown, path: Path): KeyGetter {
  if (typeof field !== 'string') throw new RuleCompileError(path, 'Input should be a valid string', 'string_type');
  const get: FieldGetter | null = fieldGetter(field);
  if (!get) throw new RuleCompileError(path, `Unknown field '${field}'`);
  return (e) => keyOf(get(e));
}

function positiveInt(value: unknown, path: Path): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RuleCompileError(path, 'Input should be an integer >= 1', 'greater_than_equal');
  }
  return value;
}

function filterAt(owner: Readonly<Record<string, unknown>>, path: Path): Matcher {
  const filter = owner.event_filter;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new RuleCompileError([...path, 'event_filter'], 'Input should be a valid dictionary', 'dict_type');
  }
  return compileFilter(filter as Record<string, unknown>, [...path, 'event_filter']);
}

/**
 * The event types a filter pins by equality or `in`, lower-cased (the index folds case
 * because `in` is case-insensitive; the matcher still decides exactly). null: unpinned.
 */
function pinnedTypes(filter: unknown): string[] | null {
  if (typeof filter !== 'object' || filter === null) return null;
  const value = (filter as Record<string, unknown>).event_type;
  if (typeof value === 'string') return [value.toLowerCase()];
  if (typeof value === 'object' && value !== null && Array.isArray((value as { in?: unknown }).in)) {
    return ((value as { in: unknown[] }).in as string[]).map((t) => String(t).toLowerCase());
  }
  return null;
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

function compileSpec(def: RuleDefinition): { spec: CompiledSpec; eventTypes: string[] | null } {
  switch (def.rule_type) {
    case 'threshold': {
      const c = def.conditions;
      const spec = { type: 'threshold', match: filterAt(c, []), threshold: positiveInt(c.threshold, ['threshold']) } as const;
      return { spec, eventTypes: pinnedTypes(c.event_filter) };
    }
    case 'aggregation': {
      const c = def.conditions;
      if (c.aggregation !== 'count_distinct') {
        throw new RuleCompileError(['aggregation'], "Input should be 'count_distinct'", 'literal_error');
      }
      const spec = {
        type: 'aggregation',
        match: filterAt(c, []),
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
        match: filterAt(step, ['steps', i]),
        count: step.count === undefined ? 1 : positiveInt(step.count, ['steps', i, 'count']),
      }));
      // The rule is indexable only when every step is: one unpinned step sees every event.
      const pins = c.steps.map((step) => pinnedTypes(step.event_filter));
      const eventTypes = pins.every((p) => p !== null) ? [...new Set(pins.flat() as string[])] : null;
      return { spec: { type: 'sequence', steps }, eventTypes };
    }
    default: {
      const unknown: { rule_type: unknown } = def;
      throw new RuleCompileError([], `Unknown rule_type '${String(unknown.rule_type)}'; valid: threshold, sequence, aggregation`);
    }
  }
}

/**
 * Compiles one rule. Throws RuleCompileError (path relative to `conditions`) on anything
 * the engine cannot run; after validateConditions that is only a network the server's
 * CIDR parser refuses.
 */
export function compileRule(def: RuleDefinition): CompiledRule {
  const { spec, eventTypes } = compileSpec(def);
  const windowSeconds = positiveInt(def.conditions.window_seconds, ['window_seconds']);
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
    windowMs: windowSeconds * 1000,
    groupKey: keyGetter(def.conditions.group_by, ['group_by']),
    eventTypes,
    // Name, severity, MITRE and cooldown are left out: changing them keeps the windows.
    fingerprint: canonical({ rule_type: def.rule_type, conditions: def.conditions }),
    spec,
  };
}
