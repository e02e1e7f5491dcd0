// Late and back-filled events: what a group raises must not depend on how independent
// streams interleave (property tests over seeded random interleavings), events beyond the
// lateness are counted and not correlated, and state stays bounded (eviction at the
// horizon, caps counted in the stats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCorrelationEngine, type CorrelationEngineOptions, type Firing } from '../../src/engine/correlation/index.ts';
import type { EngineEvent } from '../../src/engine/correlation/event.ts';
import type { CompiledRule } from '../../src/engine/rules/compile.ts';
import { ExpiryQueue } from '../../src/engine/correlation/expiry.ts';
import { BASE_MS, evAt, failures, makeRule } from './correlation-fixtures.ts';

const HOUR = 3_600_000;

/** A seeded PRNG (mulberry32): the same seed gives the same streams and interleavings. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** One rule of each type (and a second threshold on another field), all with cooldowns. */
function ruleSet(): CompiledRule[] {
  return [
    failures(5, 60, { cooldown_seconds: 90 }),
    makeRule(
      'threshold',
      { event_filter: { event_type: { in: ['login_failure', 'login_success'] } }, threshold: 4, window_seconds: 120, group_by: 'username' },
      { cooldown_seconds: 30 },
    ),
    makeRule(
      'aggregation',
      { event_filter: { event_type: 'login_failure' }, aggregation: 'count_distinct', aggregation_field: 'username', threshold: 3, window_seconds: 120, group_by: 'source_ip' },
      { cooldown_seconds: 60 },
    ),
    makeRule(
      'sequence',
      {
        steps: [{ event_filter: { event_type: 'login_failure' }, count: 3 }, { event_filter: { event_type: 'login_success' } }],
        window_seconds: 300,
        group_by: 'source_ip',
      },
      { cooldown_seconds: 45 },
    ),
  ];
}

/**
 * One source's events in its own order: a few addresses and users of its own (so no group
 * value is shared with another stream; every 60 events it moves on to new ones, so old
 * groups go idle), gaps of 0-20 s, now and then a tie or an event a few seconds out of
 * order within the stream, starting at offsetMs.
 */
function stream(id: number, offsetMs: number, n: number, rand: () => number): EngineEvent[] {
  const out: EngineEvent[] = [];
  let t = offsetMs;
  for (let i = 0; i < n; i++) {
    const roll = rand();
    t += roll < 0.1 ? 0 : Math.floor(rand() * 20_000);
    const at = rand() < 0.05 ? t - Math.floor(rand() * 5000) : t;
    out.push(
      evAt(at, {
        event_type: rand() < 0.75 ? 'login_failure' : 'login_success',
        source_ip: `10.${id}.${Math.floor(i / 60)}.${Math.floor(rand() * 3)}`,
        username: `s${id}-${Math.floor(i / 60)}-u${Math.floor(rand() * 5)}`,
      }),
    );
  }
  return out;
}

/** Merges the streams in a random order that keeps each stream's own order. */
function interleave(streams: EngineEvent[][], rand: () => number): EngineEvent[] {
  const at = streams.map(() => 0);
  const weights = streams.map(() => 0.1 + rand());
  const out: EngineEvent[] = [];
  for (;;) {
    let total = 0;
    for (let s = 0; s < streams.length; s++) if (at[s]! < streams[s]!.length) total += weights[s]!;
    if (total === 0) return out;
    let pick = rand() * total;
    for (let s = 0; s < streams.length; s++) {
      if (at[s]! >= streams[s]!.length) continue;
      pick -= weights[s]!;
      if (pick <= 0 || s === streams.length - 1) {
        out.push(streams[s]![at[s]!++]!);
        break;
      }
    }
  }
}

/** The firings, comparable across runs: rule, group, time, window size, trigger; sorted. */
function firingKeys(firings: readonly Firing[]): string[] {
  return firings.map((f) => `${f.rule_id}|${f.group_value}|${f.fired_at_ms}|${f.matched_event_count}|${f.trigger_event_id}|${f.matched_event_ids.join(',')}`).sort();
}

function run(rules: CompiledRule[], events: readonly EngineEvent[], opts: Partial<CorrelationEngineOptions>) {
  const engine = createCorrelationEngine({ cooldownMs: 300_000, ...opts });
  engine.setRules(rules);
  const firings: Firing[] = [];
  for (const e of events) firings.push(...engine.process(e));
  return { firings, stats: engine.stats() };
}

test('random interleavings of independent streams, offset by up to the lateness, raise exactly what each stream raises alone', () => {
  const lateness = 2 * HOUR;
  // Frequent sweeps: eviction runs between almost every pair of a stream's events.
  const opts = { maxLatenessMs: lateness, sweepEvery: 16 };
  const perType = new Map<string, number>();
  for (let seed = 1; seed <= 12; seed++) {
    const rand = prng(seed);
    const rules = ruleSet();
    const count = 3 + Math.floor(rand() * 4);
    const streams: EngineEvent[][] = [];
    // Each stream spans at most 150 events * 20 s = 50 min from an offset of up to 55 min;
    // a live source runs 1 h 40 min ahead: every event is within the 2 h lateness of the
    // newest one whatever the order, and some are 1 h 45 min behind it.
    for (let s = 0; s < count; s++) streams.push(stream(s, Math.floor(rand() * 55 * 60_000), 60 + Math.floor(rand() * 90), rand));
    streams.push(Array.from({ length: 300 }, (_, i) => evAt(100 * 60_000 + i * 1000, { event_type: 'login_failure', source_ip: `192.0.2.${i % 7}`, username: `live${i % 11}` })));
    const alone = streams.flatMap((events) => run(rules, events, opts).firings);
    const expected = firingKeys(alone);
    assert.ok(expected.length > 0);
    for (const f of alone) perType.set(rules.find((r) => r.id === f.rule_id)!.ruleType, (perType.get(rules.find((r) => r.id === f.rule_id)!.ruleType) ?? 0) + 1);
    for (let k = 0; k < 4; k++) {
      const mixed = run(rules, interleave(streams, rand), opts);
      assert.equal(mixed.stats.lateEvents, 0, `seed ${seed}: no event is beyond the lateness`);
      assert.deepEqual(firingKeys(mixed.firings), expected, `seed ${seed}, interleaving ${k}`);
    }
    // Also the most adverse order: the live source first, then each stream in turn.
    const worst = run(rules, [...streams.at(-1)!, ...streams.slice(0, -1).flat()], opts);
    assert.equal(worst.stats.lateEvents, 0);
    assert.deepEqual(firingKeys(worst.firings), expected, `seed ${seed}, live source first`);
  }
  // The property is not vacuous: every rule type fired, many times.
  console.log(`  interleaving property: firings per type ${JSON.stringify(Object.fromEntries(perType))}`);
  for (const type of ['threshold', 'aggregation', 'sequence']) assert.ok((perType.get(type) ?? 0) >= 20, `${type}: ${perType.get(type) ?? 0} firings`);
});

/**
 * Long streams arriving with a delay of their own (a shipper behind by up to 8 min, plus
 * up to a minute of jitter), merged by arrival: no event is more than the 10 min lateness
 * behind the newest, but each stream runs for hours, so its old groups are evicted while
 * the others (ahead or behind it) keep flowing.
 */
function delayed(streams: EngineEvent[][], rand: () => number): EngineEvent[] {
  const arrivals: Array<{ at: number; tie: number; e: EngineEvent }> = [];
  for (const events of streams) {
    const delay = Math.floor(rand() * 8 * 60_000);
    let at = Number.NEGATIVE_INFINITY;
    for (const e of events) {
      at = Math.max(at, e.timeMs + delay + Math.floor(rand() * 60_000)); // keeps the stream's order
      arrivals.push({ at, tie: rand(), e });
    }
  }
  // Stable per stream: equal arrival times of one stream keep their order (ties by index).
  return arrivals
    .map((a, i) => ({ ...a, i }))
    .sort((x, y) => x.at - y.at || (x.e.source_ip!.split('.')[1] === y.e.source_ip!.split('.')[1] ? x.i - y.i : x.tie - y.tie))
    .map((a) => a.e);
}

test('streams hours long, each delayed by up to the lateness: identical firings while old groups are evicted', () => {
  const opts = { maxLatenessMs: 10 * 60_000, sweepEvery: 16 };
  let evicted = 0;
  let fired = 0;
  for (let seed = 100; seed < 106; seed++) {
    const rand = prng(seed);
    const rules = ruleSet();
    const streams = Array.from({ length: 4 }, (_, s) => stream(s, 0, 800, rand));
    const expected = firingKeys(streams.flatMap((events) => run(rules, events, opts).firings));
    fired += expected.length;
    for (let k = 0; k < 3; k++) {
      const mixed = run(rules, delayed(streams, rand), opts);
      assert.equal(mixed.stats.lateEvents, 0, `seed ${seed}`);
      assert.deepEqual(firingKeys(mixed.firings), expected, `seed ${seed}, order ${k}`);
      evicted += mixed.stats.evictedGroups;
    }
  }
  console.log(`  late property: ${fired} firings, ${evicted} groups evicted over the interleaved runs`);
  assert.ok(fired > 100, `firings ${fired}`);
  assert.ok(evicted > 100, `groups evicted ${evicted}`);
});

test('the issue scenario: 30 late failures with 300 current events between each raise the alert an idle engine raises', () => {
  const lateEvents = Array.from({ length: 30 }, (_, i) => evAt(i * 1000, { event_type: 'login_failure', source_ip: '203.0.113.9' }));
  const late = (i: number) => lateEvents[i]!;
  let n = 0;
  const current = () => evAt(2 * HOUR + n++ * 1000, { event_type: 'login_failure', source_ip: `198.51.100.${n % 200}` });
  const rule = () => failures(26, 60, { id: 'e'.repeat(24) });
  const mixed: EngineEvent[] = [];
  for (let i = 0; i < 30; i++) {
    mixed.push(late(i));
    for (let k = 0; k < 300; k++) mixed.push(current());
  }
  // The current events span 9000 s: each late failure is up to 2.5 h behind the newest.
  const idle = run([rule()], lateEvents, { sweepEvery: 64 });
  const busy = run([rule()], mixed, { sweepEvery: 64 });
  const mine = (fs: Firing[]) => fs.filter((f) => f.group_value === '203.0.113.9');
  assert.equal(mine(idle.firings).length, 1);
  assert.deepEqual(firingKeys(mine(busy.firings)), firingKeys(mine(idle.firings)));
  assert.equal(mine(busy.firings)[0]!.matched_event_count, 26);
  assert.equal(busy.stats.lateEvents, 0);
  assert.ok(busy.stats.evictedGroups === 0 && busy.stats.groups >= 201, 'nothing is past the horizon yet');
  // With no lateness allowed the same late failures are counted and not correlated.
  const strict = run([rule()], mixed, { sweepEvery: 64, maxLatenessMs: 0 });
  assert.equal(mine(strict.firings).length, 0);
  assert.equal(strict.stats.lateEvents, 29);
});

test('a late group in cooldown stays in cooldown while live traffic moves the high-water mark past its end', () => {
  const rule = failures(2, 60, { cooldown_seconds: 300 });
  const lateFail = (s: number) => evAt(s * 1000, { event_type: 'login_failure', source_ip: 'late' });
  const lateEvents = [lateFail(0), lateFail(1), lateFail(2), lateFail(3), lateFail(400), lateFail(401)];
  const live = Array.from({ length: 50 }, (_, i) => evAt(10_000_000 + i * 1000, { event_type: 'dns_query', source_ip: `live${i}` }));
  // Sweeping after every event: the cooldown (ends at 301 s) is long past the newest time.
  const mixed = [...lateEvents.slice(0, 2), ...live, ...lateEvents.slice(2)];
  const alone = run([rule], lateEvents, { sweepEvery: 1 });
  const busy = run([rule], mixed, { sweepEvery: 1 });
  assert.deepEqual(alone.firings.map((f) => (f.fired_at_ms - BASE_MS) / 1000), [1, 401]);
  assert.deepEqual(firingKeys(busy.firings), firingKeys(alone.firings));
});

test('events older than the high-water mark minus the lateness are counted and not correlated', () => {
  const engine = createCorrelationEngine({ cooldownMs: 0, maxLatenessMs: HOUR });
  engine.setRules([failures(1, 60)]);
  assert.equal(engine.process(evAt(2 * HOUR, { event_type: 'login_failure', source_ip: 'live' })).length, 1);
  const before = engine.stats();
  // Just beyond the lateness: skipped, no group created, counted.
  for (let i = 0; i < 5; i++) assert.equal(engine.process(evAt(HOUR - 1 - i, { event_type: 'login_failure', source_ip: 'old' })).length, 0);
  const after = engine.stats();
  assert.deepEqual([after.lateEvents - before.lateEvents, after.groups, after.trackedEvents], [5, 1, 1]);
  // Exactly at the lateness: correlated.
  assert.equal(engine.process(evAt(HOUR, { event_type: 'login_failure', source_ip: 'old' })).length, 1);
  assert.equal(engine.stats().lateEvents, 5);
  // An event that cannot be timed is not late: it is counted as invalid.
  assert.equal(engine.stats().invalidEvents, 0);
});

test('a group is held until its newest event is older than high-water - lateness - window, then evicted', () => {
  const lateness = 10 * 60_000;
  const engine = createCorrelationEngine({ cooldownMs: 0, maxLatenessMs: lateness, sweepEvery: 1_000_000 });
  engine.setRules([failures(3, 60)]);
  const fail = (ms: number, ip: string) => engine.process(evAt(ms, { event_type: 'login_failure', source_ip: ip }));
  fail(lateness + 60_000, 'live');
  fail(5000, 'late'); // 10 min 55 s behind: beyond the lateness
  assert.equal(engine.stats().lateEvents, 1);
  fail(70_000, 'late'); // 9 min 50 s behind: correlates
  assert.equal(engine.stats().groups, 2);
  // Horizon of 'late': newest 70 s + 60 s window + 10 min lateness.
  fail(lateness + 130_000, 'live');
  assert.equal(engine.evictIdle(), 0, 'at the horizon: still usable by an event at the floor');
  fail(lateness + 130_001, 'live');
  assert.equal(engine.evictIdle(), 1);
  assert.deepEqual([engine.stats().groups, engine.stats().evictedGroups], [1, 1]);
});

test('a late group behind many live groups is evicted at its own horizon (expiry is in event-time order)', () => {
  const lateness = 10 * 60_000;
  const engine = createCorrelationEngine({ cooldownMs: 0, maxLatenessMs: lateness, sweepEvery: 1_000_000 });
  engine.setRules([failures(3, 60)]);
  // Live groups queued first, then a late one (older time) after them.
  for (let i = 0; i < 100; i++) engine.process(evAt(lateness + i * 1000, { event_type: 'login_failure', source_ip: `live${i}` }));
  engine.process(evAt(100_000, { event_type: 'login_failure', source_ip: 'late' }));
  assert.equal(engine.stats().groups, 101);
  // Past the late group's horizon (100 s + 60 s + lateness), before any live group's.
  engine.evictIdle(BASE_MS + lateness + 160_001);
  assert.equal(engine.stats().groups, 100);
});

test('in-order traffic over many groups: live groups stay within the horizon (window + lateness) plus a sweep', () => {
  const lateness = 5 * 60_000;
  const engine = createCorrelationEngine({ cooldownMs: 0, maxLatenessMs: lateness, sweepEvery: 1000 });
  engine.setRules([failures(2, 60)]);
  let peak = 0;
  // One new group per second for 2 h: 360 s of horizon is about 360 groups.
  for (let i = 0; i < 7200; i++) {
    engine.process(evAt(i * 1000, { event_type: 'login_failure', source_ip: `g${i}` }));
    peak = Math.max(peak, engine.stats().groups);
  }
  assert.ok(peak <= 360 + 1000 + 1, `peak groups ${peak}`);
  assert.ok(engine.stats().evictedGroups >= 7200 - 1400);
  assert.equal(engine.stats().cappedGroups, 0);
});

test('caps bound groups, cooldowns and recorded events per rule and say what they dropped', () => {
  const engine = createCorrelationEngine({ cooldownMs: HOUR, maxLatenessMs: 24 * HOUR, maxGroups: 100, maxRuleEvents: 500, maxGroupEvents: 50 });
  engine.setRules([failures(1, 3600)]);
  // 300 groups, each firing (a cooldown each): 200 groups and 200 cooldowns over the cap.
  for (let i = 0; i < 300; i++) engine.process(evAt(i * 1000, { event_type: 'login_failure', source_ip: `g${i}` }));
  let s = engine.stats();
  assert.deepEqual([s.groups, s.cappedGroups, s.cappedCooldowns, s.evictedGroups], [100, 200, 200, 0]);
  // The least recently active went: the newest group is still there and in cooldown.
  assert.equal(engine.process(evAt(300_000, { event_type: 'login_failure', source_ip: 'g299' })).length, 0);
  // One group over its own cap: the oldest entries go, counted.
  for (let i = 0; i < 80; i++) engine.process(evAt(301_000 + i, { event_type: 'login_failure', source_ip: 'g299' }));
  s = engine.stats();
  assert.equal(s.cappedEvents, 2 + 80 - 50);
  // The rule's event cap: 100 groups of one entry and one of 50 fit; a burst on new groups
  // pushes recorded events over 500 and sheds the least recently active groups.
  for (let g = 0; g < 10; g++) for (let i = 0; i < 50; i++) engine.process(evAt(400_000 + g * 100 + i, { event_type: 'login_failure', source_ip: `burst${g}` }));
  s = engine.stats();
  assert.ok(s.trackedEvents <= 500, `tracked ${s.trackedEvents}`);
  assert.ok(s.groups <= 100);
});

test('the expiry queue hands entries back smallest time first, whatever the push order', () => {
  const rand = prng(9);
  const queue = new ExpiryQueue<number>();
  const model: number[] = [];
  let clock = 0;
  for (let step = 0; step < 20_000; step++) {
    if (rand() < 0.6 || queue.size === 0) {
      // Mostly in order (the ring), sometimes behind (the heap), sometimes a tie.
      clock += Math.floor(rand() * 3);
      const t = rand() < 0.2 ? clock - Math.floor(rand() * 500) : clock;
      queue.push(`k${t}`, t, t);
      model.push(t);
    } else {
      model.sort((a, b) => a - b);
      const t = model.shift()!;
      assert.deepEqual([queue.frontTime(), queue.frontItem(), queue.frontKey()], [t, t, `k${t}`]);
      queue.pop();
    }
    assert.equal(queue.size, model.length);
  }
});
