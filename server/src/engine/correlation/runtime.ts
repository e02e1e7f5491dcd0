// Per-rule runtime state: the groups of one compiled rule and how an event updates them.
// The base class owns what all rule types share (group lookup, the "too old" cut, cooldown,
// the Firing, eviction); threshold and aggregation live here, sequence in sequence.ts.
import { groupLabel, type CompiledRule, type CompiledSpec } from '../rules/compile.ts';
import type { EngineEvent } from './event.ts';
import { ExpiryQueue } from './expiry.ts';
import { partitionOf } from './partition.ts';
import { EntryList, EntrySlab, F64_STRIDE, I32_STRIDE, PAYLOAD } from './slab.ts';
import type { EngineLimits, Firing } from './types.ts';

// A group is only its entry list (small integers, no boxed numbers): long-tail traffic
// creates about one group per event, so every field here is paid for many times over.
// Its newest time is the slab time of its last entry; cooldowns live in their own map.

export abstract class RuleRuntime<G extends EntryList = EntryList> {
  rule: CompiledRule;
  readonly groups = new Map<string, G>();
  /** Event time until which a group may not fire again; only groups that fired are here. */
  readonly cooldowns = new Map<string, number>();
  readonly slab: EntrySlab;
  /** Evicted group objects kept for reuse: groups live just long enough to survive a
   *  young-generation GC and die old, the costliest pattern; recycling avoids it. */
  private readonly pool: G[] = [];
  /** Every live group once, by the time it was last known to be newest: eviction looks only
   *  at the front instead of walking every group. Cooldowns likewise, by their end. */
  private readonly expiry = new ExpiryQueue<G>();
  private readonly cooling = new ExpiryQueue<null>();
  errors = 0;
  /** Events that matched the rule's filter (or a step), and firings (ruleStats). */
  matched = 0;
  fired = 0;
  /** The engine's mark of the last event offered to this rule (see rule-index.ts). */
  stamp = 0;
  /** Whether the rule has a guard (see rule-guards.ts), and the mark of the last event that passed it. */
  guarded = false;
  guardMark = 0;
  /** State let go early by a cap (see EngineStats): groups, cooldowns, recorded events. */
  cappedGroups = 0;
  cappedCooldowns = 0;
  cappedEvents = 0;
  protected readonly windowMs: number;
  protected readonly maxEvents: number;
  private readonly maxGroups: number;
  private readonly maxRuleEvents: number;

  constructor(
    rule: CompiledRule,
    protected readonly limits: EngineLimits,
    minEvents: number,
    withValues: boolean,
  ) {
    this.rule = rule;
    this.windowMs = rule.windowMs;
    this.slab = new EntrySlab(withValues, limits.maxMatchedIds);
    // A cap below the threshold would make the rule unable to ever fire.
    this.maxEvents = Math.max(limits.maxGroupEvents, minEvents);
    this.maxGroups = Math.max(1, limits.maxGroups);
    this.maxRuleEvents = Math.max(limits.maxRuleEvents, this.maxEvents);
  }

  /** Takes a rule with the same fingerprint (renamed, new severity or cooldown, or a shared
   *  list it reads changed): state stays, matchers are the new rule's. */
  refresh(rule: CompiledRule): void {
    this.rule = rule;
    this.adopt(rule);
  }

  /** Takes the new rule's compiled spec (same shape: same fingerprint). */
  protected abstract adopt(rule: CompiledRule): void;

  /** Updates state with a (time-parsed) event; a Firing when the rule fires on it. */
  abstract offer(e: EngineEvent): Firing | null;

  protected abstract newGroup(): G;

  /**
   * The group's state, or null when the event is older than the group's window. Takes the
   * event, not its time: a double argument to a call that is not inlined is boxed.
   */
  protected groupFor(key: string, e: EngineEvent): G | null {
    let g = this.groups.get(key);
    if (g === undefined) {
      if (this.groups.size >= this.maxGroups) this.shed(null);
      g = this.pool.pop() ?? this.newGroup();
      this.groups.set(key, g);
      this.expiry.push(key, g, e.timeMs);
      return g;
    }
    const last = g.last;
    return last !== -1 && e.timeMs < this.slab.f64[last * F64_STRIDE]! - this.windowMs ? null : g;
  }

  /** The group the last record() put an event in, and its key. */
  protected current: G | null = null;
  protected currentKey = '';

  /**
   * Counts a matching event and records it in its group, in time order: its slot, or -1
   * when the event has no group value, is older than its group's window, or is already
   * recorded (a redelivery). The group and its key are left in `current` / `currentKey`.
   */
  protected record(e: EngineEvent): number {
    this.matched++;
    const key = this.rule.groupKey!(e);
    if (key === null || !this.owns(key)) return -1;
    const g = this.groupFor(key, e);
    if (g === null) return -1;
    const slot = this.slab.insert(g, e);
    if (slot < 0) return -1;
    this.current = g;
    this.currentKey = key;
    return slot;
  }

  /** Whether this engine keeps the state of the rule's group `key` (its partition is owned). */
  protected owns(key: string): boolean {
    const owned = this.limits.owned;
    return owned === null || owned.has(partitionOf(this.rule.id, key));
  }

  /** Fires unless in cooldown; the window is not emptied. */
  protected fire(g: G, group: string, e: EngineEvent): Firing | null {
    if (!this.startCooldown(group, e)) return null;
    return this.firing(group, e, this.slab.keptIds(g), g.size);
  }

  /** False while the group cools down; else starts its cooldown (the rule fires). */
  protected startCooldown(group: string, e: EngineEvent): boolean {
    const t = e.timeMs;
    const until = this.cooldowns.get(group);
    if (until !== undefined && t < until) return false;
    const end = t + (this.rule.cooldownMs ?? this.limits.cooldownMs);
    this.cooldowns.set(group, end);
    this.cooling.push(group, null, end);
    if (this.cooldowns.size > this.maxGroups) this.shedCooldown();
    return true;
  }

  protected firing(group: string | null, e: EngineEvent, ids: string[], count: number): Firing {
    this.fired++;
    const rule = this.rule;
    const label = group === null ? null : groupLabel(group);
    return {
      // The label, not the key: a NUL separator cannot be stored (the event id keeps it unique).
      key: `${rule.id}:${label ?? ''}:${e.id}`,
      rule_id: rule.id,
      rule_name: rule.name,
      severity: rule.severity,
      title: label === null ? rule.name : `${rule.name} [${label}]`,
      group_value: label,
      matched_event_ids: ids,
      matched_event_count: count,
      mitre_tactic: rule.mitreTactic,
      mitre_technique: rule.mitreTechnique,
      fired_at_ms: e.timeMs,
      trigger_event_id: e.id,
      partition: partitionOf(rule.id, group ?? ''),
      suppression: rule.suppression === null ? null : { key: rule.suppression.key(e), duration_ms: rule.suppression.durationMs },
    };
  }

  /** Frees a group's slots (overridden to drop per-type state with them). */
  protected release(g: G): void {
    this.slab.clear(g);
  }

  /**
   * Drops the state no event at or after floorMs can use any more (the engine passes the
   * high-water mark minus the allowed lateness: every later event is at least that recent).
   * A group goes when its newest event is older than floorMs - window: such an event would
   * trim all of the group's entries anyway, so it finds the same (empty) state as in a new
   * group. A cooldown goes when it ends by floorMs: it can no longer hold such an event back.
   * Nothing here depends on other groups, so neither does what a group raises. Cost is
   * proportional to the queue entries that came due, not to the number of groups.
   */
  evict(floorMs: number): number {
    const low = floorMs - this.windowMs;
    const { expiry, pool } = this;
    const f64 = this.slab.f64;
    let removed = 0;
    // Each live group has exactly one queue entry (pushed at creation, re-pushed here).
    while (expiry.size > 0 && expiry.frontTime() < low) {
      const key = expiry.frontKey();
      const g = expiry.frontItem();
      expiry.pop();
      const newest = g.last === -1 ? Number.NEGATIVE_INFINITY : f64[g.last * F64_STRIDE]!;
      if (newest >= low) {
        expiry.push(key, g, newest); // still active: look again when this time is due
        continue;
      }
      this.drop(key, g);
      removed++;
    }
    // Spares are capped by this sweep's removals: live plus spare groups never exceed the
    // live count before the sweep, and a burst's leftovers are let go.
    if (pool.length > removed) pool.length = removed;
    const { cooldowns, cooling } = this;
    while (cooling.size > 0 && cooling.frontTime() <= floorMs) {
      const key = cooling.frontKey();
      if (cooldowns.get(key) === cooling.frontTime()) cooldowns.delete(key);
      cooling.pop();
    }
    return removed;
  }

  private drop(key: string, g: G): void {
    this.release(g);
    this.groups.delete(key);
    this.pool.push(g);
  }

  /**
   * A cap was reached (groups or recorded events of this rule): lets go of the group whose
   * newest event is the oldest, except `keep` (the group being updated). Counted in
   * cappedGroups: unlike eviction this loses state an event within the lateness could use.
   */
  protected shed(keep: G | null): void {
    const { expiry } = this;
    const f64 = this.slab.f64;
    let keptKey: string | null = null;
    while (expiry.size > 0) {
      const key = expiry.frontKey();
      const g = expiry.frontItem();
      const queued = expiry.frontTime();
      expiry.pop();
      if (g === keep) {
        keptKey = key; // pushed back below, once another group went
        continue;
      }
      const newest = g.last === -1 ? Number.NEGATIVE_INFINITY : f64[g.last * F64_STRIDE]!;
      if (newest > queued) {
        expiry.push(key, g, newest); // active since it was queued: look at its newest
        continue;
      }
      this.drop(key, g);
      this.cappedGroups++;
      break;
    }
    if (keptKey !== null) expiry.push(keptKey, keep!, f64[keep!.last * F64_STRIDE]!);
  }

  /** Sheds groups other than g while this rule records more events than its cap. */
  protected capEvents(g: G): void {
    while (this.slab.used > this.maxRuleEvents && this.groups.size > 1) this.shed(g);
  }

  /** The cooldown cap was reached: the cooldown that ends first goes (cappedCooldowns). */
  private shedCooldown(): void {
    const { cooldowns, cooling } = this;
    while (cooling.size > 0 && cooldowns.size > this.maxGroups) {
      const key = cooling.frontKey();
      if (cooldowns.get(key) === cooling.frontTime()) {
        cooldowns.delete(key);
        this.cappedCooldowns++;
      }
      cooling.pop();
    }
  }

  trackedEvents(): number {
    return this.slab.used;
  }
}

type Spec<T extends CompiledSpec['type']> = Extract<CompiledSpec, { type: T }>;

/** A threshold group: its entries and the occurrences they stand for (an entry's weight is its payload). */
class WeightedGroup extends EntryList {
  weight = 0;
}

/**
 * threshold: at least N matching occurrences of the group inside the window. An event
 * usually stands for one; a line a parser counted ("message repeated 5 times") for more.
 */
export class ThresholdRuntime extends RuleRuntime<WeightedGroup> {
  private spec: Spec<'threshold'>;

  constructor(rule: CompiledRule, limits: EngineLimits) {
    const spec = rule.spec as Spec<'threshold'>;
    super(rule, limits, spec.threshold, false);
    this.spec = spec;
  }

  protected newGroup(): WeightedGroup {
    return new WeightedGroup();
  }

  protected adopt(rule: CompiledRule): void {
    this.spec = rule.spec as Spec<'threshold'>;
  }

  protected override release(g: WeightedGroup): void {
    super.release(g);
    g.weight = 0;
  }

  offer(e: EngineEvent): Firing | null {
    if (!this.spec.match(e)) return null;
    const slot = this.record(e);
    if (slot < 0) return null;
    const g = this.current!;
    const slab = this.slab;
    // Capped at the threshold: a larger weight cannot change whether the rule fires.
    const weight = Math.min(e.count, this.spec.threshold);
    slab.i32[slot * I32_STRIDE + PAYLOAD] = weight;
    g.weight += weight;
    const f64 = slab.f64;
    const low = f64[g.last * F64_STRIDE]! - this.windowMs;
    while (g.first !== -1 && (f64[g.first * F64_STRIDE]! < low || g.size > this.maxEvents)) {
      if (f64[g.first * F64_STRIDE]! >= low) this.cappedEvents++;
      g.weight -= slab.i32[g.first * I32_STRIDE + PAYLOAD]!;
      slab.shift(g);
    }
    this.capEvents(g);
    return g.weight >= this.spec.threshold ? this.fire(g, this.currentKey, e) : null;
  }
}

/**
 * The distinct values of a group's window with their multiplicity. Most groups of a
 * long-tail key only ever see one value, so a Map is created at the second distinct one.
 */
class DistinctGroup extends EntryList {
  one: string | null = null;
  oneCount = 0;
  counts: Map<string, number> | null = null;
  /** An emptied Map kept from an earlier life of this (pooled) group. */
  private spare: Map<string, number> | null = null;

  get distinct(): number {
    return this.counts !== null ? this.counts.size : this.one !== null ? 1 : 0;
  }

  add(value: string): void {
    const counts = this.counts;
    if (counts !== null) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    } else if (this.one === null) {
      this.one = value;
      this.oneCount = 1;
    } else if (this.one === value) {
      this.oneCount++;
    } else {
      const map = this.spare ?? new Map<string, number>();
      this.spare = null;
      map.set(this.one, this.oneCount);
      map.set(value, 1);
      this.counts = map;
      this.one = null;
    }
  }

  remove(value: string): void {
    const counts = this.counts;
    if (counts === null) {
      if (--this.oneCount === 0) this.one = null;
      return;
    }
    const n = counts.get(value)! - 1;
    if (n === 0) counts.delete(value);
    else counts.set(value, n);
  }

  reset(): void {
    this.one = null;
    this.oneCount = 0;
    if (this.counts !== null) {
      this.counts.clear();
      this.spare = this.counts;
      this.counts = null;
    }
  }
}

/** aggregation (count_distinct): at least N distinct non-empty values inside the window. */
export class AggregationRuntime extends RuleRuntime<DistinctGroup> {
  private spec: Spec<'aggregation'>;

  constructor(rule: CompiledRule, limits: EngineLimits) {
    const spec = rule.spec as Spec<'aggregation'>;
    super(rule, limits, spec.threshold, true);
    this.spec = spec;
  }

  protected newGroup(): DistinctGroup {
    return new DistinctGroup();
  }

  protected adopt(rule: CompiledRule): void {
    this.spec = rule.spec as Spec<'aggregation'>;
  }

  protected override release(g: DistinctGroup): void {
    super.release(g);
    g.reset();
  }

  offer(e: EngineEvent): Firing | null {
    if (!this.spec.match(e)) return null;
    const slot = this.record(e);
    if (slot < 0) return null;
    const g = this.current!;
    const slab = this.slab;
    // Matching events without a value are recorded (they matched) but add no distinct value.
    const value = this.spec.distinctKey(e);
    slab.values![slot] = value; // always written: freed slots keep their old value
    if (value !== null) g.add(value);
    const f64 = slab.f64;
    const low = f64[g.last * F64_STRIDE]! - this.windowMs;
    while (g.first !== -1 && (f64[g.first * F64_STRIDE]! < low || g.size > this.maxEvents)) {
      if (f64[g.first * F64_STRIDE]! >= low) this.cappedEvents++;
      const old = slab.values![g.first];
      if (old !== null && old !== undefined) g.remove(old);
      slab.shift(g);
    }
    this.capEvents(g);
    return g.distinct >= this.spec.threshold ? this.fire(g, this.currentKey, e) : null;
  }
}
