// Per-rule runtime state: the groups of one compiled rule and how an event updates them.
// The base class owns what all rule types share (group lookup, the "too old" cut, cooldown,
// the Firing, eviction); threshold and aggregation live here, sequence in sequence.ts.
import type { CompiledRule, CompiledSpec } from '../rules/compile.ts';
import type { EngineEvent } from './event.ts';
import type { EngineLimits, Firing } from './types.ts';
import { EventWindow } from './window.ts';

export class GroupState<X = undefined> {
  /** Newest event time recorded for the group: the window is [newestMs - window, newestMs]. */
  newestMs = Number.NEGATIVE_INFINITY;
  /** Event time before which the (rule, group) pair may not fire again. */
  cooldownUntil = Number.NEGATIVE_INFINITY;
  readonly window: EventWindow<X>;

  constructor(withExtra: boolean) {
    this.window = new EventWindow<X>(withExtra);
  }

  /** Forgets recorded events (kept: newestMs and the cooldown). */
  release(): void {
    this.window.clear();
  }
}

export abstract class RuleRuntime<G extends GroupState<unknown> = GroupState<unknown>> {
  rule: CompiledRule;
  readonly groups = new Map<string, G>();
  errors = 0;
  protected readonly windowMs: number;
  protected readonly keepIds: number;
  protected readonly maxEvents: number;

  constructor(
    rule: CompiledRule,
    protected readonly limits: EngineLimits,
    minEvents: number,
  ) {
    this.rule = rule;
    this.windowMs = rule.windowMs;
    this.keepIds = limits.maxMatchedIds;
    // A cap below the threshold would make the rule unable to ever fire.
    this.maxEvents = Math.max(limits.maxGroupEvents, minEvents);
  }

  /** Takes a rule with the same fingerprint (renamed, new severity or cooldown): state stays. */
  refresh(rule: CompiledRule): void {
    this.rule = rule;
  }

  /** Updates state with a (time-parsed) event; a Firing when the rule fires on it. */
  abstract offer(e: EngineEvent): Firing | null;

  protected abstract newGroup(): G;

  /** The group's state, or null when the event is older than the group's window. */
  protected groupFor(key: string, timeMs: number): G | null {
    let g = this.groups.get(key);
    if (g === undefined) {
      g = this.newGroup();
      this.groups.set(key, g);
      return g;
    }
    return timeMs < g.newestMs - this.windowMs ? null : g;
  }

  /** Fires unless in cooldown; the window is not emptied (API.md 8.6.3). */
  protected fire(g: G, group: string, e: EngineEvent): Firing | null {
    const t = e.timeMs;
    if (t < g.cooldownUntil) return null;
    const rule = this.rule;
    g.cooldownUntil = t + (rule.cooldownMs ?? this.limits.cooldownMs);
    return {
      key: `${rule.id}:${group}:${e.id}`,
      rule_id: rule.id,
      rule_name: rule.name,
      severity: rule.severity,
      title: `${rule.name} [${group}]`,
      group_value: group,
      matched_event_ids: g.window.keptIds(this.keepIds),
      matched_event_count: g.window.size,
      mitre_tactic: rule.mitreTactic,
      mitre_technique: rule.mitreTechnique,
      fired_at_ms: t,
      trigger_event_id: e.id,
    };
  }

  /**
   * Drops groups whose newest event left the window by nowMs; one still in cooldown only
   * sheds its events, so eviction can never let a pair fire early. Returns groups removed.
   */
  evict(nowMs: number): number {
    const low = nowMs - this.windowMs;
    let removed = 0;
    for (const [key, g] of this.groups) {
      if (g.newestMs >= low) continue;
      if (g.cooldownUntil <= nowMs) {
        this.groups.delete(key);
        removed++;
      } else if (g.window.size > 0) {
        g.release();
      }
    }
    return removed;
  }

  trackedEvents(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.window.size;
    return n;
  }
}

type Spec<T extends CompiledSpec['type']> = Extract<CompiledSpec, { type: T }>;

/** threshold: at least N matching events of the group inside the window. */
export class ThresholdRuntime extends RuleRuntime<GroupState> {
  private readonly spec: Spec<'threshold'>;

  constructor(rule: CompiledRule, limits: EngineLimits) {
    const spec = rule.spec as Spec<'threshold'>;
    super(rule, limits, spec.threshold);
    this.spec = spec;
  }

  protected newGroup(): GroupState {
    return new GroupState(false);
  }

  offer(e: EngineEvent): Firing | null {
    if (!this.spec.match(e)) return null;
    const group = this.rule.groupKey(e);
    if (group === null) return null;
    const t = e.timeMs;
    const g = this.groupFor(group, t);
    if (g === null) return null;
    const w = g.window;
    if (w.insert(t, e.id, undefined, this.keepIds) < 0) return null;
    if (t > g.newestMs) {
      g.newestMs = t;
      w.dropBefore(t - this.windowMs);
    }
    w.capTo(this.maxEvents);
    return w.size >= this.spec.threshold ? this.fire(g, group, e) : null;
  }
}

class DistinctGroup extends GroupState<string | null> {
  /** Distinct non-empty values in the window with their multiplicity. */
  readonly counts = new Map<string, number>();

  override release(): void {
    super.release();
    this.counts.clear();
  }
}

/** aggregation (count_distinct): at least N distinct non-empty values inside the window. */
export class AggregationRuntime extends RuleRuntime<DistinctGroup> {
  private readonly spec: Spec<'aggregation'>;

  constructor(rule: CompiledRule, limits: EngineLimits) {
    const spec = rule.spec as Spec<'aggregation'>;
    super(rule, limits, spec.threshold);
    this.spec = spec;
  }

  protected newGroup(): DistinctGroup {
    return new DistinctGroup(true);
  }

  offer(e: EngineEvent): Firing | null {
    if (!this.spec.match(e)) return null;
    const group = this.rule.groupKey(e);
    if (group === null) return null;
    const t = e.timeMs;
    const g = this.groupFor(group, t);
    if (g === null) return null;
    // Matching events without a value are recorded (they matched) but add no distinct value.
    const value = this.spec.distinctKey(e);
    const w = g.window;
    if (w.insert(t, e.id, value, this.keepIds) < 0) return null;
    if (value !== null) g.counts.set(value, (g.counts.get(value) ?? 0) + 1);
    if (t > g.newestMs) {
      g.newestMs = t;
      this.dropOldest(g, w.ts.length, t - this.windowMs);
    }
    this.dropOldest(g, w.ts.length - this.maxEvents, Number.POSITIVE_INFINITY);
    return g.counts.size >= this.spec.threshold ? this.fire(g, group, e) : null;
  }

  /** Drops entries before index `until` that are older than lowMs, releasing their values. */
  private dropOldest(g: DistinctGroup, until: number, lowMs: number): void {
    const w = g.window;
    const values = w.extra!;
    let h = w.head;
    while (h < until && w.ts[h]! < lowMs) {
      const v = values[h];
      if (v !== null && v !== undefined) {
        const n = g.counts.get(v)! - 1;
        if (n === 0) g.counts.delete(v);
        else g.counts.set(v, n);
      }
      h++;
    }
    if (h !== w.head) {
      w.head = h;
      w.compact();
    }
  }
}
