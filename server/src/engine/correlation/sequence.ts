// sequence rules: the steps in order, each `count` times, for one group within the window.
// Incremental, exact for in-order events: per step, the start times of the partial chains
// worth keeping; an out-of-order event replays the group's recorded events instead.
//
// Semantics (API.md 8.6.3): a chain is c0 events of step 0, then c1 events of step 1 that
// come after step 0 reached c0, ... ; one event serves one step of a chain; order is event
// time (ties: arrival order). A chain is valid when its last event minus its first is at
// most window_seconds. The rule fires on the event that completes a valid chain, so a
// success before the failures never fires, and (the window is not emptied) a later success
// after the same failures completes another chain once the cooldown is over.
//
// Why this state is enough: for a step k and a progress j < ck, only the LATEST start of
// the chains at (k, j) matters (a later start leaves more of the window). Those latest
// starts are non-increasing in j, so a step holds a short deque of (start, base) entries,
// start ascending, where progress = (step-k events seen) - base. Entries with progress >= ck
// collapse into the newest of them and hand its start to step k+1. Expiry drops entries
// whose start left the window, so a stale first step is forgotten and a fresh run can
// start. Memory per group: at most ck + 1 entries per step, plus the recorded events.
import type { CompiledRule, CompiledStep } from '../rules/compile.ts';
import type { EngineEvent } from './event.ts';
import { GroupState, RuleRuntime } from './runtime.ts';
import type { EngineLimits, Firing } from './types.ts';

/** Latest chain starts of one step, start ascending, base ascending. */
class StartDeque {
  starts: number[] = [];
  bases: number[] = [];
  head = 0;

  /** Adds a chain at progress 0 relative to `base`, unless an entry already dominates it. */
  offer(start: number, base: number): void {
    const last = this.starts.length - 1;
    if (last >= this.head) {
      if (this.starts[last]! >= start) return; // same or later start with at least as much progress
      if (this.bases[last] === base) {
        this.starts[last] = start;
        return;
      }
    }
    this.starts.push(start);
    this.bases.push(base);
  }

  /** Drops chains that started before lowMs (front entries: starts ascend). */
  prune(lowMs: number): void {
    let h = this.head;
    const len = this.starts.length;
    while (h < len && this.starts[h]! < lowMs) h++;
    this.head = h;
    if (h === len) {
      this.clear();
    } else if (h >= 32 && h * 2 >= len) {
      this.starts.copyWithin(0, h);
      this.starts.length = len - h;
      this.bases.copyWithin(0, h);
      this.bases.length = len - h;
      this.head = 0;
    }
  }

  clear(): void {
    this.starts.length = 0;
    this.bases.length = 0;
    this.head = 0;
  }
}

class SequenceGroup extends GroupState<number> {
  /** Step-k events seen by this group (progress is measured against it). */
  readonly seen: number[];
  /** Per step, created on first use: most groups of a brute-force rule never reach step 2. */
  readonly chains: (StartDeque | null)[];

  constructor(steps: number) {
    super(true);
    this.seen = new Array<number>(steps).fill(0);
    this.chains = new Array<StartDeque | null>(steps).fill(null);
  }

  resetChains(): void {
    this.seen.fill(0);
    for (const d of this.chains) d?.clear();
  }

  override release(): void {
    super.release();
    this.resetChains();
  }
}

export class SequenceRuntime extends RuleRuntime<SequenceGroup> {
  private readonly steps: readonly CompiledStep[];

  constructor(rule: CompiledRule, limits: EngineLimits) {
    const spec = rule.spec as Extract<CompiledRule['spec'], { type: 'sequence' }>;
    super(rule, limits, spec.steps.reduce((sum, s) => sum + s.count, 0));
    this.steps = spec.steps;
  }

  protected newGroup(): SequenceGroup {
    return new SequenceGroup(this.steps.length);
  }

  /** Bit k set when the event matches step k. */
  private maskOf(e: EngineEvent): number {
    const steps = this.steps;
    let mask = 0;
    for (let k = 0; k < steps.length; k++) if (steps[k]!.match(e)) mask |= 1 << k;
    return mask;
  }

  offer(e: EngineEvent): Firing | null {
    const mask = this.maskOf(e);
    if (mask === 0) return null;
    const group = this.rule.groupKey(e);
    if (group === null) return null;
    const t = e.timeMs;
    const g = this.groupFor(group, t);
    if (g === null) return null;
    const w = g.window;
    const pos = w.insert(t, e.id, mask, this.keepIds);
    if (pos < 0) return null;
    let start: number;
    if (t >= g.newestMs) {
      g.newestMs = t;
      const low = t - this.windowMs;
      w.dropBefore(low);
      this.prune(g, low);
      start = this.advance(g, mask, t);
    } else {
      start = this.replay(g, pos);
    }
    w.capTo(this.maxEvents);
    return Number.isNaN(start) ? null : this.fire(g, group, e);
  }

  private prune(g: SequenceGroup, lowMs: number): void {
    for (const d of g.chains) d?.prune(lowMs);
  }

  /**
   * Feeds one event (its step mask) to the chains. Steps are visited last to first so the
   * event serves each chain once: a chain it moves from step k to k+1 is not advanced again
   * at k+1. Returns the start of the chain the event completes, or NaN.
   */
  private advance(g: SequenceGroup, mask: number, timeMs: number): number {
    const steps = this.steps;
    const last = steps.length - 1;
    let completed = Number.NaN;
    for (let k = last; k >= 0; k--) {
      if ((mask & (1 << k)) === 0) continue;
      const seen = ++g.seen[k]!;
      let d = g.chains[k]!;
      if (k === 0) {
        if (d === null) d = g.chains[0] = new StartDeque();
        d.offer(timeMs, seen - 1); // a chain starting here, with this event as its first
      }
      if (d === null) continue;
      // Entries that reached the step's count form a prefix (bases ascend); keep the newest.
      const need = steps[k]!.count;
      let done = -1;
      for (let i = d.head; i < d.starts.length && seen - d.bases[i]! >= need; i++) done = i;
      if (done < 0) continue;
      d.head = done;
      const start = d.starts[done]!;
      if (k === last) {
        completed = start;
      } else {
        const next = (g.chains[k + 1] ??= new StartDeque());
        next.offer(start, g.seen[k + 1]!);
      }
    }
    return completed;
  }

  /**
   * An event older than the group's newest: rebuild the chains by replaying the recorded
   * events in time order (rare, O(recorded events)). It fires when a chain completes at or
   * after the inserted event, i.e. when the late event may have made that chain possible.
   */
  private replay(g: SequenceGroup, inserted: number): number {
    g.resetChains();
    const w = g.window;
    const masks = w.extra!;
    let result = Number.NaN;
    for (let i = w.head; i < w.ts.length; i++) {
      const t = w.ts[i]!;
      this.prune(g, t - this.windowMs);
      const start = this.advance(g, masks[i]!, t);
      if (i >= inserted && !Number.isNaN(start)) result = start;
    }
    return result;
  }
}
