// The second level of the rule index. Rules are first grouped by the event types they can
// match (engine.ts); inside a group that holds many rules, each rule is also filed under
// one of its anchors (rules/anchors.ts): the keys of one field, seen through one
// derivation. An event then meets the rules filed under its own keys plus the few rules
// without an anchor, instead of every rule of its type: the cost of an event grows with
// the rules that could match it, not with the rule count.
import { basenameOf, type Anchor, type Derivation } from '../rules/anchors.ts';
import { fieldGetter, textOf, type FieldGetter } from '../rules/fields.ts';
import { mayFold } from '../rules/fold.ts';
import type { EngineEvent } from './event.ts';
import type { RuleRuntime } from './runtime.ts';

/** One field seen through one derivation, and the rules filed under each of its keys. */
export interface Probe {
  readonly name: string;
  readonly key: (e: EngineEvent) => string | null;
  readonly rules: Map<string, RuleRuntime[]>;
}

export interface RuleBucket {
  /** Rules every event of the bucket meets (no anchor, or too few rules to index). */
  readonly always: RuleRuntime[];
  readonly probes: Probe[];
}

/** Below this many rules, a bucket is a plain list: probing costs more than it saves. */
export const MIN_INDEXED_RULES = 8;

const probeName = (field: string, derive: Derivation) => `${derive}:${field}`;

function probeKey(get: FieldGetter, derive: Derivation): (e: EngineEvent) => string | null {
  if (derive === 'basename') {
    return (e) => {
      const text = textOf(get(e));
      return text === null ? null : basenameOf(text);
    };
  }
  return (e) => {
    const text = textOf(get(e));
    return text === null ? null : mayFold(text) ? text.toLowerCase() : text;
  };
}

/** Anchors on event_type add nothing inside a bucket of one event type. */
const useful = (anchor: Anchor) => anchor.some((alt) => alt.field !== 'event_type');

/**
 * Files each rule under the anchor whose probes the most rules of the bucket share (fewer
 * distinct probes per event), ties going to the anchor with fewer keys.
 */
export function buildBucket(runtimes: readonly RuleRuntime[]): RuleBucket {
  const bucket: RuleBucket = { always: [], probes: [] };
  if (runtimes.length < MIN_INDEXED_RULES) {
    bucket.always.push(...runtimes);
    return bucket;
  }
  const frequency = new Map<string, number>();
  for (const runtime of runtimes) {
    for (const anchor of runtime.rule.anchors.filter(useful)) {
      for (const name of new Set(anchor.map((alt) => probeName(alt.field, alt.derive)))) frequency.set(name, (frequency.get(name) ?? 0) + 1);
    }
  }
  const probes = new Map<string, Probe>();
  for (const runtime of runtimes) {
    let best: Anchor | null = null;
    let bestScore = -1;
    let bestKeys = Number.POSITIVE_INFINITY;
    for (const anchor of runtime.rule.anchors.filter(useful)) {
      const score = Math.min(...anchor.map((alt) => frequency.get(probeName(alt.field, alt.derive))!));
      const keys = anchor.reduce((n, alt) => n + alt.keys.length, 0);
      if (score > bestScore || (score === bestScore && keys < bestKeys)) [best, bestScore, bestKeys] = [anchor, score, keys];
    }
    if (best === null || best.some((alt) => fieldGetter(alt.field) === null)) {
      bucket.always.push(runtime);
      continue;
    }
    for (const alt of best) {
      const name = probeName(alt.field, alt.derive);
      let probe = probes.get(name);
      if (probe === undefined) {
        probe = { name, key: probeKey(fieldGetter(alt.field)!, alt.derive), rules: new Map() };
        probes.set(name, probe);
      }
      for (const key of alt.keys) {
        const list = probe.rules.get(key);
        if (list === undefined) probe.rules.set(key, [runtime]);
        else if (!list.includes(runtime)) list.push(runtime);
      }
    }
  }
  bucket.probes.push(...probes.values());
  return bucket;
}
