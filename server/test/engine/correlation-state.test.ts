import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCorrelationEngine, replayRule } from '../../src/engine/correlation/index.ts';
import { toEngineEvent, type EngineEvent } from '../../src/engine/correlation/event.ts';
import type { CompiledRule } from '../../src/engine/rules/compile.ts';
import { BASE_MS, ev, evAt, failures, makeRule, runEngine } from './correlation-fixtures.ts';

const fail = (s: number, ip = '198.51.100.7') => ev(s, { event_type: 'login_failure', source_ip: ip });

// These bounds are for in-order traffic with no lateness allowed (a group is then held for
// its window only); with lateness, correlation-late.test.ts checks the longer horizon.
test('200k events over 100k distinct groups: live groups stay bounded by the active set', () => {
  const engine = createCorrelationEngine({ cooldownMs: 300_000, maxLatenessMs: 0 });
  // Threshold 2 in 10 s never fires here (each group recurs only every 1000 s).
  engine.setRules([failures(2, 10), makeRule('aggregation', { event_filter: {}, aggregation: 'count_distinct', aggregation_field: 'username', threshold: 5, window_seconds: 10, group_by: 'source_ip' })]);
  let peakGroups = 0;
  let peakTracked = 0;
  for (let i = 0; i < 200_000; i++) {
    engine.process(evAt(i * 10, { event_type: 'login_failure', source_ip: `g${i % 100_000}`, username: 'u' }));
    if (i % 1000 === 0) {
      const s = engine.stats();
      peakGroups = Math.max(peakGroups, s.groups);
      peakTracked = Math.max(peakTracked, s.trackedEvents);
    }
  }
  // About 1000 groups per rule are inside a 10 s window; sweeps run every >= 4096 events.
  assert.ok(peakGroups < 2 * (2 * 1000 + 4096), `peak groups ${peakGroups}`);
  assert.ok(peakTracked <= peakGroups, `peak tracked ${peakTracked}`);
  assert.ok(engine.stats().evictedGroups > 350_000);
});

test('groups held only by their cooldown shed their events and stay bounded by the cooldown', () => {
  const engine = createCorrelationEngine({ cooldownMs: 30_000, maxLatenessMs: 0 });
  engine.setRules([failures(1, 1)]);
  let peakGroups = 0;
  for (let i = 0; i < 100_000; i++) {
    engine.process(evAt(i * 10, { event_type: 'login_failure', source_ip: `g${i}` }));
    if (i % 1000 === 0) peakGroups = Math.max(peakGroups, engine.stats().groups);
  }
  // 30 s of cooldown at 100 events/s: about 3000 groups, plus one sweep interval.
  assert.ok(peakGroups < 3000 + 2 * 4096, `peak groups ${peakGroups}`);
  // Released at sweeps: at most the events since the last one are still recorded.
  assert.ok(engine.stats().trackedEvents <= 4096, `tracked ${engine.stats().trackedEvents}`);
});

test('eviction never lets a (rule, group) fire inside its cooldown', () => {
  const engine = createCorrelationEngine({ cooldownMs: 300_000 });
  engine.setRules([failures(1, 10)]);
  assert.equal(engine.process(fail(0, 'x')).length, 1);
  engine.process(fail(100, 'other'));
  engine.evictIdle();
  assert.equal(engine.process(fail(100, 'x')).length, 0);
  assert.equal(engine.process(fail(300, 'x')).length, 1);
});

test('evictIdle(now) removes only groups whose window has passed, and reports how many', () => {
  const engine = createCorrelationEngine({ cooldownMs: 0, maxLatenessMs: 0 });
  engine.setRules([failures(5, 10)]);
  engine.process(fail(0, 'old'));
  engine.process(fail(15, 'recent'));
  assert.equal(engine.stats().groups, 2);
  assert.equal(engine.evictIdle(BASE_MS + 20_000), 1);
  assert.equal(engine.stats().groups, 1);
  assert.equal(engine.evictIdle(BASE_MS + 25_000), 0);
  assert.equal(engine.evictIdle(BASE_MS + 25_001), 1);
});

test('setRules keeps the state of an unchanged rule and applies its new name', () => {
  const engine = createCorrelationEngine({ cooldownMs: 300_000 });
  const id = 'a'.repeat(24);
  engine.setRules([failures(3, 60, { id, name: 'before' })]);
  engine.process(fail(0));
  engine.process(fail(1));
  engine.setRules([failures(3, 60, { id, name: 'after', severity: 'low', cooldown_seconds: 1 })]);
  const [firing] = engine.process(fail(2));
  assert.equal(firing?.rule_name, 'after');
  assert.equal(firing?.severity, 'low');
  assert.equal(firing?.matched_event_count, 3);
  // The new cooldown (1 s) applies from this firing on.
  assert.equal(engine.process(fail(3)).length, 1);
});

test('setRules drops the state of a changed or removed rule', () => {
  const engine = createCorrelationEngine({ cooldownMs: 300_000 });
  const id = 'b'.repeat(24);
  engine.setRules([failures(3, 60, { id })]);
  engine.process(fail(0));
  engine.process(fail(1));
  engine.setRules([failures(3, 61, { id })]);
  assert.equal(engine.process(fail(2)).length, 0);
  assert.equal(engine.stats().groups, 1);
  engine.setRules([]);
  assert.deepEqual([engine.stats().rules, engine.stats().groups], [0, 0]);
  engine.setRules([failures(3, 61, { id })]);
  assert.equal(engine.process(fail(3)).length, 0);
});

/** A compiled rule whose matcher runs `spy` first (for index and error tests). */
function spied(rule: CompiledRule, spy: (e: EngineEvent) => void): CompiledRule {
  const spec = rule.spec as Extract<CompiledRule['spec'], { type: 'threshold' }>;
  return { ...rule, spec: { ...spec, match: (e) => (spy(e), spec.match(e)) } };
}

test('an event only meets the rules that can match its event type', () => {
  const seen = { pinned: [] as string[], any: [] as string[] };
  const pinned = spied(failures(99, 10), (e) => seen.pinned.push(e.event_type!));
  const anyType = spied(makeRule('threshold', { event_filter: { username: 'root' }, threshold: 99, window_seconds: 10, group_by: 'username' }), (e) =>
    seen.any.push(e.event_type!),
  );
  runEngine([pinned, anyType], [ev(0, { event_type: 'login_failure' }), ev(1, { event_type: 'dns_query' }), ev(2, { event_type: 'LOGIN_FAILURE' })]);
  assert.deepEqual(seen.pinned, ['login_failure', 'LOGIN_FAILURE']);
  assert.deepEqual(seen.any, ['login_failure', 'dns_query', 'LOGIN_FAILURE']);
});

test('a rule that throws is counted and reported; the other rules still run', () => {
  const errors: string[] = [];
  const engine = createCorrelationEngine({ cooldownMs: 0, onRuleError: (ruleId) => errors.push(ruleId) });
  const broken = spied(failures(1, 10, { id: 'c'.repeat(24) }), () => {
    throw new Error('boom');
  });
  engine.setRules([broken, failures(1, 10, { id: 'd'.repeat(24) })]);
  const fired = engine.process(fail(0));
  assert.deepEqual(fired.map((f) => f.rule_id), ['d'.repeat(24)]);
  assert.deepEqual(errors, ['c'.repeat(24)]);
  assert.equal(engine.stats().errors, 1);
});

test('events with an unparseable timestamp are skipped and counted', () => {
  const engine = createCorrelationEngine({ cooldownMs: 0 });
  engine.setRules([failures(1, 10)]);
  const bad = toEngineEvent({ ...fail(0), timeMs: undefined, timestamp: 'yesterday' });
  assert.ok(Number.isNaN(bad.timeMs));
  assert.equal(engine.process(bad).length, 0);
  assert.equal(engine.stats().invalidEvents, 1);
});

test('process answers one shared frozen array when nothing fires', () => {
  const engine = createCorrelationEngine({ cooldownMs: 0 });
  engine.setRules([failures(2, 10)]);
  const a = engine.process(fail(0));
  const b = engine.process(ev(1, { event_type: 'other' }));
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
});

test('stats count rules, live groups and recorded events', () => {
  const engine = createCorrelationEngine({ cooldownMs: 0 });
  engine.setRules([failures(5, 10), failures(5, 20)]);
  for (const ip of ['a', 'b', 'a']) engine.process(fail(0, ip));
  const s = engine.stats();
  assert.deepEqual([s.rules, s.groups, s.trackedEvents, s.highWaterMs], [2, 4, 6, BASE_MS]);
});

test('toEngineEvent parses the time once, reading a designator-less time as UTC', () => {
  const base = fail(0);
  assert.equal(toEngineEvent({ ...base, timeMs: undefined, timestamp: '2026-03-01T12:00:00.250Z' }).timeMs, BASE_MS + 250);
  assert.equal(toEngineEvent({ ...base, timeMs: undefined, timestamp: '2026-03-01T12:00:00' }).timeMs, BASE_MS);
  assert.equal(toEngineEvent({ ...base, timeMs: undefined, timestamp: '2026-03-01 13:00:00+01:00' }).timeMs, BASE_MS);
});

test('replayRule: fresh state, event-time windows, one alert per group per cooldown', () => {
  const rule = failures(2, 60);
  const events = [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(100, 'a'), fail(101, 'a'), fail(400, 'a'), fail(401, 'a'), fail(5, 'b')].sort(
    (x, y) => x.timeMs - y.timeMs,
  );
  const fired = replayRule(rule, events, 300_000);
  assert.deepEqual(fired.map((f) => [f.group_value, (f.fired_at_ms - BASE_MS) / 1000]), [['a', 1], ['a', 401]]);
  // Same answer twice: nothing leaks between replays.
  assert.deepEqual(replayRule(rule, events, 300_000), fired);
  // Without cooldown: a@1, a@2, a@101, a@401 (a@100 and a@400 are alone in their windows).
  assert.equal(replayRule(rule, events, 0).length, 4);
});
