// The second level of the rule index. Rules are first grouped by the event types they can
// match (engine.ts); inside a group that holds many rules, each rule is also filed under
// one of its anchors (rules/anchors.ts): the keys of one field, seen through one
// derivation. An event then meets the rules filed under its own keys plus the few rules
// without an anchor, instead of every rule of its type: the cost of an event grows with
// the rules that could match it, not with the rule count.
import { basenameOf, type Anchor, type AnchorAlt, type Derivation } from '../rules/anchors.ts';
import { fieldGetter, textOf, type FieldGetter } from '../rules/fields.ts';
import type { EngineEvent } from './event.ts';
import type { RuleRuntime } from './runtime.ts';
import { buildGuards, loweredText, substringProbe, type GuardProbe } from './rule-guards.ts';

/** One field seen through one derivation, and the rules filed under each of its keys. */
export interface Probe {
  readonly name: string;
  readonly key: (e: EngineEvent) => string | null;
  readonly rules: Map<string, RuleRuntime[]>;
}

/** One field's lower-cased text, and the rules filed under each substring it may contain. */
export interface SubstringProbe extends GuardProbe {
  readonly name: string;
}

export interface RuleBucket {
  /** Rules every event of the bucket meets (no anchor, or too few rules to index). */
  readonly always: RuleRuntime[];
  /** Checked first: a guarded rule is offered only events that pass its guard. */
  readonly guards: GuardProbe[];
  readonly probes: Probe[];
  readonly substrings: SubstringProbe[];
}

/** Below this many rules, a bucket is a plain list: probing costs more than it saves. */
export const MIN_INDEXED_RULES = 8;

const probeName = (field: string, derive: Derivation) => `${derive}:${field}`;

function probeKey(get: FieldGetter, derive: Derivation): (e: EngineEvent) => string | null {
  if (derive === 'contains') {
    throw new Error('a substring anchor has no single key');
  }
  if (derive === 'basename') {
    return (e) => {
      const text = textOf(get(e));
      return text === null ? null : basenameOf(text);
    };
  }
  return loweredText(get);
}

/** Anchors on event_type add nothing inside a bucket of one event type. */
const useful = (anchor: Anchor) => anchor.some((alt) => alt.field !== 'event_type');

/** An exact lookup costs one Map read; a substring scan reads the whole text: exact anchors win. */
const EXACT_BONUS = 1_000_000;

/**
 * How good an alternative is to file a rule under. Exact keys: by how many rules of the
 * bucket share the probe (fewer probes per event). Substrings: by the shortest needle, since
 * a short one (" /c") is found in many texts and offers the rule to them all, while every
 * substring probe of a field shares one automaton anyway.
 */
function altScore(alt: AnchorAlt, frequency: ReadonlyMap<string, number>): number {
  if (alt.derive === 'contains') return Math.min(64, ...alt.keys.map((k) => k.length));
  return EXACT_BONUS + frequency.get(probeName(alt.field, alt.derive))!;
}

/**
 * Files each rule under the anchor whose probes the most rules of the bucket share (fewer
 * distinct probes per event), exact anchors before substring ones, ties going to the
 * anchor with fewer keys.
 */
export function buildBucket(runtimes: readonly RuleRuntime[]): RuleBucket {
  const bucket: RuleBucket = { always: [], guards: buildGuards(runtimes), probes: [], substrings: [] };
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
  const substrings = new Map<string, { field: string; needles: Map<string, RuleRuntime[]> }>();
  for (const runtime of runtimes) {
    let best: Anchor | null = null;
    let bestScore = -1;
    let bestKeys = Number.POSITIVE_INFINITY;
    for (const anchor of runtime.rule.anchors.filter(useful)) {
      const score = Math.min(...anchor.map((alt) => altScore(alt, frequency)));
      const keys = anchor.reduce((n, alt) => n + alt.keys.length, 0);
      if (score > bestScore || (score === bestScore && keys < bestKeys)) [best, bestScore, bestKeys] = [anchor, score, keys];
    }
    if (best === null || best.some((alt) => fieldGetter(alt.field) === null)) {
      bucket.always.push(runtime);
      continue;
    }
    for (const alt of best) {
      const name = probeName(alt.field, alt.derive);
      if (alt.derive === 'contains') {
        fileSubstrings(substrings, name, alt.field, alt.keys, runtime);
        continue;
      }
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
  for (const [name, { field, needles }] of substrings) bucket.substrings.push({ name, ...substringProbe(field, needles) });
  return bucket;
}

function fileSubstrings(
  substrings: Map<string, { field: string; needles: Map<string, RuleRuntime[]> }>,
  name: string,
  field: string,
  keys: readonly string[],
  runtime: RuleRuntime,
): void {
  let entry = substrings.get(name);
  if (entry === undefined) substrings.set(name, (entry = { field, needles: new Map() }));
  for (const key of keys) {
    const list = entry.needles.get(key);
    if (list === undefined) entry.needles.set(key, [runtime]);
    else if (!list.includes(runtime)) list.push(runtime);
  }
}
