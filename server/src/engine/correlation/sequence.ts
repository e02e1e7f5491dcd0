// sequence rules: the steps in order, each `count` times, for one group within the window.
// Incremental, exact for in-order events: per step, the start times of the partial chains
// worth keeping; an out-of-order event replays the group's recorded events instead.
//
// Semantics: a chain is c0 events of step 0, then c1 events of step 1 that
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
// A step's deque is one flat number array [head, end, seen, start0, base0, ...] created on
// first use and kept when the group is recycled: one allocation, where objects cost five.
import type { CompiledRule, CompiledStep } from '../rules/compile.ts';
import type { EngineEvent } from './event.ts';
import { RuleRuntime } from './runtime.ts';
import { EntryList, F64_STRIDE, I32_STRIDE, NEXT, PAYLOAD } from './slab.ts';
import type { EngineLimits, Firing } from './types.ts';

type Chains = number[];
const HEAD = 0; // index of the oldest live entry
const END = 1; // index after the newest live entry
const SEEN = 2; // step-k events seen since the array was created
const FIRST = 3; // entry j is at FIRST + 2j (start) and FIRST + 2j + 1 (base)
// The array never shrinks (V8 would trim its store and the next push reallocate): entries
// move down when the tail reaches the end, and it grows only when really full.

const newChains = (seen: number, start: number, base: number): Chains => [0, 1, seen, start, base];

/** Adds a chain at progress 0 relative to `base`, unless an entry already dominates it. */
function offerChain(c: Chains, start: number, base: number): void {
  const end = c[END]!;
  if (end > c[HEAD]!) {
    const at = FIRST + 2 * (end - 1);
    if (c[at]! >= start) return; // same or later start with at least as much progress
    if (c[at + 1] === base) {
      c[at] = start;
      return;
    }
  }
  let next = end;
  if (FIRST + 2 * next >= c.length) {
    const head = c[HEAD]!;
    if (head > 0) {
      // A plain loop: Array#copyWithin boxes every double it moves.
      for (let i = FIRST, j = FIRST + 2 * head; j < FIRST + 2 * end; i++, j++) c[i] = c[j]!;
      c[HEAD] = 0;
      next = end - head;
    } else {
      c.push(0, 0);
    }
  }
  c[FIRST + 2 * next] = start;
  c[FIRST + 2 * next + 1] = base;
  c[END] = next + 1;
}

/** Drops chains that started before lowMs (front entries: starts ascend). */
function pruneChains(c: Chains, lowMs: number): void {
  const end = c[END]!;
  let h = c[HEAD]!;
  while (h < end && c[FIRST + 2 * h]! < lowMs) h++;
  if (h === end) c[END] = h = 0;
  c[HEAD] = h;
}

/** Empties every chain in place, keeping the arrays for reuse. */
function resetChains(g: SequenceGroup): void {
  if (g.chains === null) return;
  for (const c of g.chains) {
    if (c === null) continue;
    c[HEAD] = 0;
    c[END] = 0;
    c[SEEN] = 0;
  }
}

class SequenceGroup extends EntryList {
  /** Per step, created on first use: most groups of a brute-force rule never reach step 2. */
  chains: (Chains | null)[] | null = null;
}

export class SequenceRuntime extends RuleRuntime<SequenceGroup> {
  private steps: readonly CompiledStep[];

  constructor(rule: CompiledRule, limits: EngineLimits) {
    const spec = rule.spec as Extract<CompiledRule['spec'], { type: 'sequence' }>;
    super(rule, limits, spec.steps.reduce((sum, s) => sum + s.count, 0), false);
    this.steps = spec.steps;
  }

  protected newGroup(): SequenceGroup {
    return new SequenceGroup();
  }

  protected adopt(rule: CompiledRule): void {
    this.steps = (rule.spec as Extract<CompiledRule['spec'], { type: 'sequence' }>).steps;
  }

  protected override release(g: SequenceGroup): void {
    super.release(g);
    resetChains(g); // kept for the group's next life (groups are pooled)
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
    const slot = this.record(e);
    if (slot < 0) return null;
    const g = this.current!;
    const slab = this.slab;
    // Inserted in time order: it went last exactly when it is not older than the group's newest.
    const inOrder = g.last === slot;
    slab.i32[slot * I32_STRIDE + PAYLOAD] = mask;
    this.cappedEvents += slab.dropOld(g, this.windowMs, this.maxEvents);
    this.capEvents(g);
    const completes = inOrder ? this.advance(g, slot) : this.replay(g, slot);
    return completes ? this.fire(g, this.currentKey, e) : null;
  }

  /**
   * Feeds one event (its step mask) to the chains. Steps are visited last to first so the
   * event serves each chain once: a chain it moves from step k to k+1 is not advanced again
   * at k+1. Returns whether the event completes a chain (a boolean, not the chain's start:
   * a double returned from a call that is not inlined is boxed, once per event).
   * Only the steps the event touches are pruned (to lowMs): a stale entry elsewhere is
   * never examined, and a hand-off compares with the newest entry, which stale ones are not.
   */
  private advance(g: SequenceGroup, slot: number): boolean {
    // The event is read from its slot: numbers passed as arguments would be boxed per call.
    const slab = this.slab;
    const mask = slab.i32[slot * I32_STRIDE + PAYLOAD]!;
    const timeMs = slab.f64[slot * F64_STRIDE]!;
    const lowMs = timeMs - this.windowMs;
    const steps = this.steps;
    const last = steps.length - 1;
    let completed = false;
    for (let k = last; k >= 0; k--) {
      if ((mask & (1 << k)) === 0) continue;
      let c = g.chains === null ? null : g.chains[k]!;
      if (k === 0) {
        if (c === null) {
          // A chain starting here, this event as its first.
          c = newChains(1, timeMs, 0);
          (g.chains ??= new Array<Chains | null>(steps.length).fill(null))[0] = c;
        } else {
          pruneChains(c, lowMs);
          c[SEEN]!++;
          offerChain(c, timeMs, c[SEEN]! - 1);
        }
      } else if (c === null) {
        continue; // no chain has reached this step: nothing to advance
      } else {
        pruneChains(c, lowMs);
        c[SEEN]!++;
      }
      // Entries that reached the step's count form a prefix (bases ascend); keep the newest.
      const seen = c[SEEN]!;
      const need = steps[k]!.count;
      const end = c[END]!;
      let done = -1;
      for (let j = c[HEAD]!; j < end && seen - c[FIRST + 2 * j + 1]! >= need; j++) done = j;
      if (done < 0) continue;
      c[HEAD] = done;
      const start = c[FIRST + 2 * done]!;
      if (k === last) {
        completed = true;
      } else {
        const chains = g.chains!;
        const next = chains[k + 1];
        if (next === null || next === undefined) chains[k + 1] = newChains(0, start, 0);
        else offerChain(next, start, next[SEEN]!);
      }
    }
    return completed;
  }

  /**
   * An event older than the group's newest: rebuild the chains by replaying the recorded
   * events in time order (rare, O(recorded events)). It fires when a chain completes at or
   * after the inserted event, i.e. when the late event may have made that chain possible.
   */
  private replay(g: SequenceGroup, inserted: number): boolean {
    resetChains(g);
    const i32 = this.slab.i32;
    let result = false;
    let reached = false;
    for (let s = g.first; s !== -1; s = i32[s * I32_STRIDE + NEXT]!) {
      const completes = this.advance(g, s);
      if (s === inserted) reached = true;
      if (reached && completes) result = true;
    }
    return result;
  }
}
