// Shared fixtures for the rule and correlation tests: events at a time offset, rules
// built through the real parse -> compile pipeline, and a one-call engine run.
import type { RuleType, Severity } from '@siem/contracts';
import { createCorrelationEngine, type CorrelationEngineOptions, type Firing } from '../../src/engine/correlation/index.ts';
import { toEngineEvent, type EngineEvent, type EngineEventInput } from '../../src/engine/correlation/event.ts';
import type { CompiledRule } from '../../src/engine/rules/compile.ts';
import { listResolver, type SharedList } from '../../src/engine/rules/lists.ts';
import { describeProblem, prepareRule } from '../../src/engine/rules/load.ts';

export const BASE_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

let counter = 0;
/** A fresh 24-hex id, in creation order. */
export function nextId(): string {
  counter++;
  return counter.toString(16).padStart(24, '0');
}

type EventFields = Partial<Omit<EngineEventInput, 'timestamp'>>;

/** An engine event at BASE_MS + ms. */
export function evAt(ms: number, fields: EventFields = {}): EngineEvent {
  return toEngineEvent({
    id: fields.id ?? nextId(),
    timestamp: new Date(BASE_MS + ms).toISOString(),
    source_type: fields.source_type ?? 'auth',
    severity: fields.severity ?? 'info',
    event_type: fields.event_type ?? null,
    source_ip: fields.source_ip ?? null,
    dest_ip: fields.dest_ip ?? null,
    source_port: fields.source_port ?? null,
    dest_port: fields.dest_port ?? null,
    hostname: fields.hostname ?? null,
    username: fields.username ?? null,
    message: fields.message ?? null,
    raw: fields.raw ?? null,
    mitre_tactic: fields.mitre_tactic ?? null,
    mitre_technique: fields.mitre_technique ?? null,
    scenario_run_id: fields.scenario_run_id ?? null,
    normalized: fields.normalized ?? {},
    fields: fields.fields ?? null,
  });
}

/** An engine event at BASE_MS + seconds. */
export const ev = (seconds: number, fields: EventFields = {}) => evAt(seconds * 1000, fields);

export interface RuleExtras {
  id?: string;
  name?: string;
  severity?: Severity;
  cooldown_seconds?: number | null;
  mitre_tactic?: string | null;
  mitre_technique?: string | null;
  /** Shared lists the rule may reference. */
  lists?: SharedList[];
}

/** A compiled rule from raw conditions, through validateConditions and compileRule. */
export function makeRule(ruleType: RuleType, conditions: unknown, extras: RuleExtras = {}): CompiledRule {
  const prepared = prepareRule({
    id: extras.id ?? nextId(),
    name: extras.name ?? `${ruleType} rule`,
    rule_type: ruleType,
    conditions,
    severity: extras.severity ?? 'high',
    mitre_tactic: extras.mitre_tactic ?? null,
    mitre_technique: extras.mitre_technique ?? null,
    cooldown_seconds: extras.cooldown_seconds ?? null,
  }, { lists: listResolver(extras.lists ?? []) });
  if (!prepared.ok) throw new Error(`test rule rejected: ${describeProblem(prepared.error)}`);
  return prepared.rule;
}

/** Runs events through a fresh engine with these rules; every firing in order. */
export function runEngine(
  rules: CompiledRule[],
  events: EngineEvent[],
  opts: Partial<CorrelationEngineOptions> = {},
): Firing[] {
  const engine = createCorrelationEngine({ cooldownMs: 300_000, ...opts });
  engine.setRules(rules);
  const out: Firing[] = [];
  for (const e of events) out.push(...engine.process(e));
  return out;
}

/** Brute-force-ish threshold rule: N login failures per source_ip in W seconds. */
export function failures(threshold: number, windowSeconds: number, extras: RuleExtras = {}): CompiledRule {
  return makeRule(
    'threshold',
    { event_filter: { event_type: 'login_failure' }, threshold, window_seconds: windowSeconds, group_by: 'source_ip' },
    extras,
  );
}
