// Correlation partitions: the assignment every process computes (balanced, stable, and
// moving only what a join or a departure must move), and the engine's half of the split:
// engines owning disjoint partitions raise, together, exactly what one engine owning them
// all raises, each firing in the partition it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCorrelationEngine, type Firing } from '../../src/engine/correlation/index.ts';
import { assignPartitions, CORRELATION_PARTITIONS, partitionOf } from '../../src/engine/correlation/partition.ts';
import type { EngineEvent } from '../../src/engine/correlation/event.ts';
import { BASE_MS, evAt, failures, makeRule } from './correlation-fixtures.ts';

const P = CORRELATION_PARTITIONS;
const shares = (a: Map<number, string>): Map<string, number> => {
  const out = new Map<string, number>();
  for (const m of a.values()) out.set(m, (out.get(m) ?? 0) + 1);
  return out;
};
const noOwners = new Map<number, string | null>();

test('every partition is assigned, in equal shares give or take one, whatever the order of the members', () => {
  for (let n = 1; n <= 20; n++) {
    const members = Array.from({ length: n }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const a = assignPartitions(members, noOwners);
    assert.equal(a.size, P);
    const counts = [...shares(a).values()];
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `n=${n}: ${counts}`);
    assert.equal(counts.length, Math.min(n, P), 'members beyond the partition count get none');
    assert.deepEqual(assignPartitions([...members].reverse(), noOwners), a);
  }
  assert.equal(assignPartitions([], noOwners).size, 0);
});

test('a joining member takes only its share, and the partitions of one that leaves are all that move', () => {
  const two = assignPartitions(['a', 'b'], noOwners);
  const three = assignPartitions(['a', 'b', 'c'], two);
  const moved = [...three].filter(([p, m]) => two.get(p) !== m);
  assert.equal(moved.length, shares(three).get('c'), 'only what c takes moves');
  assert.ok(moved.every(([, m]) => m === 'c'));
  // b leaves: its partitions are free (a dead owner counts as none); a and c keep theirs.
  const owners = new Map([...three].map(([p, m]) => [p, m === 'b' ? null : m]));
  const after = assignPartitions(['a', 'c'], owners);
  for (const [p, m] of three) if (m !== 'b') assert.equal(after.get(p), m, `partition ${p} stays with ${m}`);
  assert.deepEqual([...shares(after).values()].sort(), [8, 8]);
});

test('the partition of a (rule, group) is stable, in range, and spreads groups evenly', () => {
  assert.equal(partitionOf('rule-1', '10.0.0.1'), partitionOf('rule-1', '10.0.0.1'));
  const counts = new Array<number>(P).fill(0);
  for (let i = 0; i < 16_000; i++) counts[partitionOf('rule-1', `10.0.${i >> 8}.${i & 255}`)]!++;
  assert.ok(Math.min(...counts) > 800 && Math.max(...counts) < 1200, `${counts}`);
  assert.notEqual(partitionOf('a', 'bc'), partitionOf('ab', 'c'), 'the rule id and the group are kept apart');
});

function events(n: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push(evAt(BASE_MS + i * 700, {
      event_type: i % 5 === 0 ? 'login_success' : 'login_failure',
      source_ip: `10.1.${i % 7}.${(i * 13) % 11}`,
      username: `u${(i * 7) % 9}`,
    }));
  }
  return out;
}

test('engines owning disjoint partitions raise together exactly what one engine owning all raises', () => {
  const rules = [
    failures(4, 60, { cooldown_seconds: 30 }),
    makeRule('aggregation', { event_filter: { event_type: 'login_failure' }, aggregation: 'count_distinct', aggregation_field: 'username', threshold: 3, window_seconds: 120, group_by: 'source_ip' }),
    makeRule('sequence', { steps: [{ event_filter: { event_type: 'login_failure' }, count: 2 }, { event_filter: { event_type: 'login_success' } }], window_seconds: 300, group_by: 'username' }),
    makeRule('single', { event_filter: { event_type: 'login_success', username: 'u0' } }),
  ];
  const stream = events(3000);
  const run = (owned: Set<number> | null): Firing[] => {
    const engine = createCorrelationEngine({ cooldownMs: 60_000, owned });
    engine.setRules(rules);
    return stream.flatMap((e) => [...engine.process(e)]);
  };
  const whole = run(null);
  assert.ok(whole.length > 50, `the stream fires (${whole.length})`);
  const split = [new Set([0, 3, 6, 9, 12, 15]), new Set([1, 4, 7, 10, 13]), new Set([2, 5, 8, 11, 14])];
  const parts = split.map(run);
  for (let k = 0; k < split.length; k++) for (const f of parts[k]!) assert.ok(split[k]!.has(f.partition), 'a firing belongs to its engine');
  const keys = (list: Firing[]) => list.map((f) => f.key).sort();
  assert.deepEqual(keys(parts.flat()), keys(whole));
  for (const f of whole) assert.equal(f.partition, partitionOf(f.rule_id, f.group_value === null ? '' : f.group_value.replaceAll(' / ', '\0')));
});

test('narrowing the partitions of a running engine keeps the state of the rest: it raises what an engine owning only them raises', () => {
  const rules = [failures(4, 60, { cooldown_seconds: 30 }), makeRule('sequence', { steps: [{ event_filter: { event_type: 'login_failure' }, count: 2 }, { event_filter: { event_type: 'login_success' } }], window_seconds: 300, group_by: 'username' })];
  const stream = events(2000);
  const kept = new Set([0, 1, 2, 3, 4, 5, 6, 7]);
  const narrowed = createCorrelationEngine({ cooldownMs: 60_000, owned: null });
  narrowed.setRules(rules);
  const alone = createCorrelationEngine({ cooldownMs: 60_000, owned: kept });
  alone.setRules(rules);
  const after: Firing[] = [];
  const expected: Firing[] = [];
  stream.forEach((e, i) => {
    if (i === 1000) narrowed.setOwned(kept);
    const a = narrowed.process(e);
    const b = alone.process(e);
    if (i >= 1000) {
      after.push(...a);
      expected.push(...b);
    }
  });
  assert.ok(expected.length > 10);
  assert.deepEqual(after.map((f) => f.key), expected.map((f) => f.key));
  assert.ok(after.every((f) => kept.has(f.partition)));
});
