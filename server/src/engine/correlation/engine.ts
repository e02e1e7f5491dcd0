// The correlation engine: compiled rules indexed by the event types they can match (STYLE
// rule 5), per-rule runtimes keyed by rule id, amortized eviction of idle groups, and
// replayRule for the rule-test endpoint. Pure: time is the events' own.
//
// Late events. The high-water mark H is the newest event time seen. An event older than
// H - maxLatenessMs is late: counted (stats.lateEvents), not correlated. Every other event
// correlates exactly as if the events of other groups had never been there, because
// nothing a group does depends on other groups:
// - a group's window and its "too old for this group" cut are measured from the group's own
//   newest event, never from H;
// - eviction only removes state no future event can use: every future event that is not
//   late is at or after the floor F = H - maxLatenessMs (H only grows), so a group whose
//   newest event is older than F - window would have all its entries trimmed by any such
//   event (it would look like a new group), and a cooldown that ends by F can hold none of
//   them back. Removing them changes nothing, whenever the sweep runs.
// So for independent streams (disjoint group values per rule), any interleaving in which
// none of a stream's events is late raises exactly the alerts of that stream alone
// (property-tested in correlation-late.test.ts). The price is memory: a group is held for
// its window plus the lateness after its newest event. The caps (maxGroups and
// maxRuleEvents per rule, maxGroupEvents per group) bound it; when one is hit the least
// recently active state goes first and the loss is counted (stats.capped*), the one case
// where interleaving can still change an outcome.
import type { RuleType } from '@siem/contracts';
import type { CompiledRule } from '../rules/compile.ts';
import type { EngineEvent } from './event.ts';
import { AggregationRuntime, ThresholdRuntime, type RuleRuntime } from './runtime.ts';
import { CORRELATION_PARTITIONS } from './partition.ts';
import type { GuardProbe } from './rule-guards.ts';
import { buildBucket, type RuleBucket } from './rule-index.ts';
import { SequenceRuntime } from './sequence.ts';
import { SingleRuntime, UnorderedRuntime } from './single.ts';
import type { EngineLimits, Firing } from './types.ts';

export interface CorrelationEngineOptions {
  /** Default cooldown per (rule, group) in ms; a rule's cooldownMs overrides it. */
  cooldownMs: number;
  /** Ids listed per firing, the newest ones (default 1000). */
  maxMatchedIds?: number;
  /** Recorded events per group before the oldest are forgotten (default 100,000). */
  maxGroupEvents?: number;
  /** How far behind the newest event time an event may be and still correlate exactly
   *  (default 24 h, CORRELATION_MAX_LATENESS_SECONDS); older events are counted, skipped. */
  maxLatenessMs?: number;
  /** Groups, and cooldowns, one rule may hold (default 100,000). */
  maxGroups?: number;
  /** Recorded events one rule may hold over all its groups (default 1,000,000). */
  maxRuleEvents?: number;
  /** Events between two eviction sweeps (default 4096). */
  sweepEvery?: number;
  /** The correlation partitions to keep state for (partition.ts); absent or null = all. */
  owned?: ReadonlySet<number> | null;
  /** Told about a rule that threw; the engine has already counted it and moved on. */
  onRuleError?: (ruleId: string, error: unknown) => void;
}

export interface EngineStats {
  rules: number;
  /** Live (rule, group) states. */
  groups: number;
  /** Events recorded across all windows. */
  trackedEvents: number;
  /** Rule evaluations that threw. */
  errors: number;
  /** Events skipped because their timestamp did not parse. */
  invalidEvents: number;
  /** Events not correlated because older than the high-water mark minus the lateness. */
  lateEvents: number;
  /** Groups removed by eviction so far (past their horizon: nothing lost). */
  evictedGroups: number;
  /** Groups let go early because a rule reached maxGroups or maxRuleEvents. */
  cappedGroups: number;
  /** Cooldowns let go early because a rule reached maxGroups. */
  cappedCooldowns: number;
  /** Recorded events dropped (oldest first) because a group reached maxGroupEvents. */
  cappedEvents: number;
  /** The newest event time seen (epoch ms), -Infinity before the first event. */
  highWaterMs: number;
}

/** One rule's figures since its state was created (a changed rule starts again from 0). */
export interface RuleStats {
  ruleId: string;
  /** Events that matched its filter (or one of its steps). */
  matched: number;
  groups: number;
  trackedEvents: number;
  /** Evaluations that threw. */
  errors: number;
  /** Firings (before any cooldown-free duplicate is dropped by the store). */
  fired: number;
}

export interface CorrelationEngine {
  /** Replaces the rule set. A rule with the same id and fingerprint keeps its state (and
   *  takes the new name, severity, MITRE fields and cooldown); others start empty. */
  setRules(rules: readonly CompiledRule[]): void;
  /** Evaluates one event against the rules that can match it. The result is shared and
   *  empty when nothing fired; never mutate it. */
  process(event: EngineEvent): readonly Firing[];
  /** Drops the state no event within the lateness of nowMs can use (default nowMs: the
   *  high-water mark; a later nowMs becomes the high-water mark, so events older than
   *  nowMs - lateness are late from then on). process() already does this every so often;
   *  returns the groups removed. */
  evictIdle(nowMs?: number): number;
  /** Narrows the partitions kept (the others' state is no longer touched and ages out by
   *  eviction); null = all. Widening needs a new engine: the new partitions' windows are empty. */
  setOwned(owned: ReadonlySet<number> | null): void;
  stats(): EngineStats;
  /** Per running rule; O(rules), for metrics and the rules view (not per event). */
  ruleStats(): RuleStats[];
}

type NewRuntime = (rule: CompiledRule, limits: EngineLimits) => RuleRuntime;
// Registry of evaluators by rule_type (STYLE rule 6); a sequence's runtime depends on its order.
const RUNTIMES: Readonly<Record<RuleType, NewRuntime>> = {
  single: (rule, limits) => new SingleRuntime(rule, limits),
  threshold: (rule, limits) => new ThresholdRuntime(rule, limits),
  aggregation: (rule, limits) => new AggregationRuntime(rule, limits),
  sequence: (rule, limits) =>
    rule.spec.type === 'sequence' && !rule.spec.ordered ? new UnorderedRuntime(rule, limits) : new SequenceRuntime(rule, limits),
};

const NO_FIRINGS: readonly Firing[] = Object.freeze([]);
const DEFAULT_MAX_MATCHED_IDS = 1000;
const DEFAULT_MAX_GROUP_EVENTS = 100_000;
const DEFAULT_SWEEP_EVERY = 4096;
const DEFAULT_MAX_LATENESS_MS = 86_400_000;
const DEFAULT_MAX_GROUPS = 100_000;
const DEFAULT_MAX_RULE_EVENTS = 1_000_000;
const TYPE_MEMO_MAX = 10_000;

export function createCorrelationEngine(opts: CorrelationEngineOptions): CorrelationEngine {
  const limits: EngineLimits = {
    cooldownMs: opts.cooldownMs,
    maxMatchedIds: opts.maxMatchedIds ?? DEFAULT_MAX_MATCHED_IDS,
    maxGroupEvents: opts.maxGroupEvents ?? DEFAULT_MAX_GROUP_EVENTS,
    maxGroups: opts.maxGroups ?? DEFAULT_MAX_GROUPS,
    maxRuleEvents: opts.maxRuleEvents ?? DEFAULT_MAX_RULE_EVENTS,
    // Owning every partition needs no check per event.
    owned: opts.owned && opts.owned.size < CORRELATION_PARTITIONS ? opts.owned : null,
  };
  const maxLatenessMs = Math.max(0, opts.maxLatenessMs ?? DEFAULT_MAX_LATENESS_MS);
  const minSweepEvery = opts.sweepEvery ?? DEFAULT_SWEEP_EVERY;
  const onRuleError = opts.onRuleError;

  let runtimes = new Map<string, RuleRuntime>();
  let byType = new Map<string, RuleBucket>();
  // Index keys are lower-cased (`in` pins are case-insensitive; matchers decide exactly).
  // Lower-casing every event's type would allocate a string per event, so the answer is
  // memoized per raw type text; the memo is bounded because event_type is free text.
  let typeMemo = new Map<string, RuleBucket | null>();
  let anyType: RuleBucket = buildBucket([]);
  // Marks a runtime as offered the current event (a rule filed under several keys meets it once).
  let stamp = 0;
  // Needle ids a substring scan found (reused: no allocation per event).
  const hits: number[] = [];
  let highWaterMs = Number.NEGATIVE_INFINITY;
  let errors = 0;
  let invalidEvents = 0;
  let lateEvents = 0;
  let evictedGroups = 0;
  // Caps counted by runtimes that setRules has since dropped.
  const droppedCaps = { groups: 0, cooldowns: 0, events: 0 };
  let sinceSweep = 0;
  // A sweep only visits the groups whose time came due (see RuleRuntime.evict), so it can
  // run often: live state stays within one sweep interval of the active set.
  const sweepEvery = minSweepEvery;

  function buildIndex(): void {
    const lists = new Map<string, RuleRuntime[]>();
    const unpinned: RuleRuntime[] = [];
    for (const runtime of runtimes.values()) {
      const types = runtime.rule.eventTypes;
      if (types === null) {
        unpinned.push(runtime);
        continue;
      }
      for (const type of types) {
        const list = lists.get(type);
        if (list === undefined) lists.set(type, [runtime]);
        else if (!list.includes(runtime)) list.push(runtime);
      }
    }
    byType = new Map([...lists].map(([type, list]) => [type, buildBucket(list)]));
    typeMemo = new Map();
    anyType = buildBucket(unpinned);
  }

  function rulesForType(type: string): RuleBucket | null {
    let bucket = typeMemo.get(type);
    if (bucket === undefined) {
      if (typeMemo.size >= TYPE_MEMO_MAX) typeMemo = new Map();
      bucket = byType.get(type.toLowerCase()) ?? null;
      typeMemo.set(type, bucket);
    }
    return bucket;
  }

  function offer(runtime: RuleRuntime, e: EngineEvent, out: Firing[] | null): Firing[] | null {
    try {
      const firing = runtime.offer(e);
      if (firing !== null) (out ??= []).push(firing);
    } catch (err) {
      // One rule must not stop the others (v1 halted on one bad rule).
      errors++;
      runtime.errors++;
      onRuleError?.(runtime.rule.id, err);
    }
    return out;
  }

  /** Marks the guarded rules whose guard the event passes (see rule-guards.ts). */
  function passGuards(guards: readonly GuardProbe[], e: EngineEvent, mark: number): void {
    for (let g = 0; g < guards.length; g++) {
      const guard = guards[g]!;
      const text = guard.text(e);
      if (text === null) continue;
      const found = guard.needles.scan(text, hits);
      for (let h = 0; h < found; h++) {
        const list = guard.rules[hits[h]!]!;
        for (let i = 0; i < list.length; i++) list[i]!.guardMark = mark;
      }
    }
  }

  /** Offers the event to one rule, once per event, unless its guard failed. */
  function visit(runtime: RuleRuntime, e: EngineEvent, out: Firing[] | null, mark: number): Firing[] | null {
    if (runtime.stamp === mark || (runtime.guarded && runtime.guardMark !== mark)) return out;
    runtime.stamp = mark;
    return offer(runtime, e, out);
  }

  function run(bucket: RuleBucket, e: EngineEvent, out: Firing[] | null): Firing[] | null {
    const mark = ++stamp;
    if (bucket.guards.length > 0) passGuards(bucket.guards, e, mark);
    const always = bucket.always;
    for (let i = 0; i < always.length; i++) out = visit(always[i]!, e, out, mark);
    const probes = bucket.probes;
    for (let p = 0; p < probes.length; p++) {
      const probe = probes[p]!;
      const key = probe.key(e);
      if (key === null) continue;
      const list = probe.rules.get(key);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i++) out = visit(list[i]!, e, out, mark);
    }
    const substrings = bucket.substrings;
    for (let p = 0; p < substrings.length; p++) {
      const probe = substrings[p]!;
      const text = probe.text(e);
      if (text === null) continue;
      const found = probe.needles.scan(text, hits);
      for (let h = 0; h < found; h++) {
        const list = probe.rules[hits[h]!]!;
        for (let i = 0; i < list.length; i++) out = visit(list[i]!, e, out, mark);
      }
    }
    return out;
  }

  function countGroups(): number {
    let n = 0;
    for (const runtime of runtimes.values()) n += runtime.groups.size;
    return n;
  }

  function evictIdle(nowMs: number = highWaterMs): number {
    let removed = 0;
    if (nowMs > highWaterMs) highWaterMs = nowMs;
    const floorMs = nowMs - maxLatenessMs;
    if (Number.isFinite(floorMs)) for (const runtime of runtimes.values()) removed += runtime.evict(floorMs);
    evictedGroups += removed;
    sinceSweep = 0;
    return removed;
  }

  return {
    setRules(rules) {
      const next = new Map<string, RuleRuntime>();
      for (const rule of rules) {
        const old = runtimes.get(rule.id);
        if (old !== undefined && old.rule.fingerprint === rule.fingerprint && !next.has(rule.id)) {
          old.refresh(rule);
          next.set(rule.id, old);
        } else {
          next.set(rule.id, RUNTIMES[rule.ruleType](rule, limits));
        }
      }
      for (const [id, old] of runtimes) {
        if (next.get(id) === old) continue;
        droppedCaps.groups += old.cappedGroups;
        droppedCaps.cooldowns += old.cappedCooldowns;
        droppedCaps.events += old.cappedEvents;
      }
      runtimes = next;
      buildIndex();
    },

    process(e) {
      const t = e.timeMs;
      if (!Number.isFinite(t)) {
        invalidEvents++;
        return NO_FIRINGS;
      }
      if (t > highWaterMs) highWaterMs = t;
      else if (t < highWaterMs - maxLatenessMs) {
        lateEvents++;
        return NO_FIRINGS;
      }
      let out: Firing[] | null = null;
      const type = e.event_type;
      if (type !== null) {
        const bucket = rulesForType(type);
        if (bucket !== null) out = run(bucket, e, out);
      }
      out = run(anyType, e, out);
      if (++sinceSweep >= sweepEvery) evictIdle();
      return out ?? NO_FIRINGS;
    },

    evictIdle,

    setOwned(owned) {
      limits.owned = owned && owned.size < CORRELATION_PARTITIONS ? owned : null;
    },

    stats() {
      let trackedEvents = 0;
      let cappedGroups = droppedCaps.groups;
      let cappedCooldowns = droppedCaps.cooldowns;
      let cappedEvents = droppedCaps.events;
      for (const runtime of runtimes.values()) {
        trackedEvents += runtime.trackedEvents();
        cappedGroups += runtime.cappedGroups;
        cappedCooldowns += runtime.cappedCooldowns;
        cappedEvents += runtime.cappedEvents;
      }
      return {
        rules: runtimes.size,
        groups: countGroups(),
        trackedEvents,
        errors,
        invalidEvents,
        lateEvents,
        evictedGroups,
        cappedGroups,
        cappedCooldowns,
        cappedEvents,
        highWaterMs,
      };
    },

    ruleStats() {
      const out: RuleStats[] = [];
      for (const r of runtimes.values()) {
        out.push({ ruleId: r.rule.id, matched: r.matched, groups: r.groups.size, trackedEvents: r.trackedEvents(), errors: r.errors, fired: r.fired });
      }
      return out;
    },
  };
}

/**
 * The rule-test replay: fresh state, the given events
 * in ascending time order, every firing in order. Same code as the live engine, so a test
 * answers what live would have raised.
 */
export function replayRule(
  rule: CompiledRule,
  events: Iterable<EngineEvent>,
  cooldownMs: number,
  opts: Omit<CorrelationEngineOptions, 'cooldownMs'> = {},
): Firing[] {
  const engine = createCorrelationEngine({ ...opts, cooldownMs });
  engine.setRules([rule]);
  const firings: Firing[] = [];
  for (const e of events) {
    const fired = engine.process(e);
    for (let i = 0; i < fired.length; i++) firings.push(fired[i]!);
  }
  return firings;
}
