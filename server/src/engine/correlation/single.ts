// Two rule types with little state of their own.
// single: fires on one matching event. Without group_by there is no group and no cooldown
// (each event is its own alert); with it, the usual cooldown per (rule, group) applies.
// unordered sequence: every step reaches its count inside the window, in any order ("all of
// these within the window"); an event counts for every step it matches.
import type { CompiledRule, CompiledStep } from '../rules/compile.ts';
import type { EngineEvent } from './event.ts';
import { RuleRuntime } from './runtime.ts';
import { EntryList, F64_STRIDE, I32_STRIDE, PAYLOAD } from './slab.ts';
import type { EngineLimits, Firing } from './types.ts';

type Spec<T extends CompiledRule['spec']['type']> = Extract<CompiledRule['spec'], { type: T }>;

export class SingleRuntime extends RuleRuntime {
  private spec: Spec<'single'>;

  constructor(rule: CompiledRule, limits: EngineLimits) {
    super(rule, limits, 1, false);
    this.spec = rule.spec as Spec<'single'>;
  }

  protected newGroup(): EntryList {
    return new EntryList();
  }

  protected adopt(rule: CompiledRule): void {
    this.spec = rule.spec as Spec<'single'>;
  }

  offer(e: EngineEvent): Firing | null {
    if (!this.spec.match(e)) return null;
    this.matched++;
    const key = this.rule.groupKey;
    // Without group_by, every firing of the rule is in the partition of the empty key.
    if (key === null) return this.owns('') ? this.firing(null, e, [e.id], 1) : null;
    const group = key(e);
    if (group === null || !this.owns(group) || !this.startCooldown(group, e)) return null;
    return this.firing(group, e, [e.id], 1);
  }
}

/** A group's recorded events (payload: the step mask) and, per step, how many are in the window. */
class CountedGroup extends EntryList {
  counts: Int32Array | null = null;
}

export class UnorderedRuntime extends RuleRuntime<CountedGroup> {
  private steps: readonly CompiledStep[];

  constructor(rule: CompiledRule, limits: EngineLimits) {
    const spec = rule.spec as Spec<'sequence'>;
    super(rule, limits, spec.steps.reduce((sum, s) => sum + s.count, 0), false);
    this.steps = spec.steps;
  }

  protected newGroup(): CountedGroup {
    return new CountedGroup();
  }

  protected adopt(rule: CompiledRule): void {
    this.steps = (rule.spec as Spec<'sequence'>).steps;
  }

  protected override release(g: CountedGroup): void {
    super.release(g);
    g.counts?.fill(0);
  }

  offer(e: EngineEvent): Firing | null {
    const steps = this.steps;
    let mask = 0;
    for (let k = 0; k < steps.length; k++) if (steps[k]!.match(e)) mask |= 1 << k;
    if (mask === 0) return null;
    const slot = this.record(e);
    if (slot < 0) return null;
    const g = this.current!;
    const slab = this.slab;
    slab.i32[slot * I32_STRIDE + PAYLOAD] = mask;
    const counts = (g.counts ??= new Int32Array(steps.length));
    for (let k = 0; k < steps.length; k++) if ((mask & (1 << k)) !== 0) counts[k]!++;
    const f64 = slab.f64;
    const low = f64[g.last * F64_STRIDE]! - this.windowMs;
    while (g.first !== -1 && (f64[g.first * F64_STRIDE]! < low || g.size > this.maxEvents)) {
      if (f64[g.first * F64_STRIDE]! >= low) this.cappedEvents++;
      const old = slab.i32[g.first * I32_STRIDE + PAYLOAD]!;
      for (let k = 0; k < steps.length; k++) if ((old & (1 << k)) !== 0) counts[k]!--;
      slab.shift(g);
    }
    this.capEvents(g);
    for (let k = 0; k < steps.length; k++) if (counts[k]! < steps[k]!.count) return null;
    return this.fire(g, this.currentKey, e);
  }
}
