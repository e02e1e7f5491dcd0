import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Firing } from '../../src/engine/correlation/index.ts';
import type { EngineEvent } from '../../src/engine/correlation/event.ts';
import type { CompiledRule } from '../../src/engine/rules/compile.ts';
import { BASE_MS, ev, evAt, makeRule, runEngine, type RuleExtras } from './correlation-fixtures.ts';

const summary = (f: Firing) => `${f.group_value}@${(f.fired_at_ms - BASE_MS) / 1000}/${f.matched_event_count}`;

/** Brute force then success: `failures` login failures, then a login success, per source_ip. */
function bruteThenSuccess(failures: number, windowSeconds: number, extras: RuleExtras = {}): CompiledRule {
  return makeRule(
    'sequence',
    {
      steps: [{ event_filter: { event_type: 'login_failure' }, count: failures }, { event_filter: { event_type: 'login_success' } }],
      window_seconds: windowSeconds,
      group_by: 'source_ip',
    },
    extras,
  );
}

const IP = '198.51.100.7';
const F = (s: number, ip = IP) => ev(s, { event_type: 'login_failure', source_ip: ip });
const S = (s: number, ip = IP) => ev(s, { event_type: 'login_success', source_ip: ip });
const typed = (s: number, type: string, fields: Parameters<typeof ev>[1] = {}) => ev(s, { event_type: type, source_ip: IP, ...fields });

/** Steps by event type, each with a count. */
const steps = (spec: Array<[string, number]>, windowSeconds = 60, extras: RuleExtras = {}) =>
  makeRule(
    'sequence',
    { steps: spec.map(([type, count]) => ({ event_filter: { event_type: type }, count })), window_seconds: windowSeconds, group_by: 'source_ip' },
    extras,
  );

interface Case {
  name: string;
  rule: () => CompiledRule;
  events: () => EngineEvent[];
  expect: string[];
}

const CASES: Case[] = [
  { name: 'failures then a success fire on the success', rule: () => bruteThenSuccess(3, 60), events: () => [F(0), F(1), F(2), S(3)], expect: [`${IP}@3/4`] },
  { name: 'a success before the failures does not fire', rule: () => bruteThenSuccess(3, 60), events: () => [S(0), F(1), F(2), F(3)], expect: [] },
  { name: 'a success before step 1 is complete does not advance', rule: () => bruteThenSuccess(3, 60), events: () => [F(0), F(1), S(2), F(3)], expect: [] },
  {
    name: 'a later success after the failures completes the sequence',
    rule: () => bruteThenSuccess(3, 60),
    events: () => [F(0), F(1), S(2), F(3), S(4)],
    expect: [`${IP}@4/5`],
  },
  { name: 'too few failures do not fire', rule: () => bruteThenSuccess(3, 60), events: () => [F(0), F(1), S(2)], expect: [] },
  {
    name: 'first to last event exactly the window fires',
    rule: () => bruteThenSuccess(3, 60),
    events: () => [evAt(0, { event_type: 'login_failure', source_ip: IP }), F(1), F(2), evAt(60_000, { event_type: 'login_success', source_ip: IP })],
    expect: [`${IP}@60/4`],
  },
  {
    name: 'one ms over the window does not fire',
    rule: () => bruteThenSuccess(3, 60),
    events: () => [evAt(0, { event_type: 'login_failure', source_ip: IP }), F(1), F(2), evAt(60_001, { event_type: 'login_success', source_ip: IP })],
    expect: [],
  },
  {
    name: 'the latest possible start is used (F1 F2 F30 S61 spans exactly 60 s)',
    rule: () => bruteThenSuccess(3, 60),
    events: () => [F(0), F(1), F(2), F(30), S(61)],
    expect: [`${IP}@61/4`],
  },
  {
    name: 'an expired first step is dropped and a later run fires',
    rule: () => bruteThenSuccess(3, 60),
    events: () => [F(0), F(1), F(2), S(70), F(71), F(72), F(73), S(74)],
    expect: [`${IP}@74/5`],
  },
  { name: 'groups are separate', rule: () => bruteThenSuccess(2, 60), events: () => [F(0, 'a'), F(1, 'b'), S(2, 'a')], expect: [] },
  {
    name: 'a missing group value is skipped',
    rule: () => bruteThenSuccess(1, 60),
    events: () => [ev(0, { event_type: 'login_failure' }), ev(1, { event_type: 'login_success' })],
    expect: [],
  },
  { name: 'per-step counts: a a b b fires', rule: () => steps([['a', 2], ['b', 2]]), events: () => [typed(0, 'a'), typed(1, 'a'), typed(2, 'b'), typed(3, 'b')], expect: [`${IP}@3/4`] },
  { name: 'per-step counts: a a b does not fire', rule: () => steps([['a', 2], ['b', 2]]), events: () => [typed(0, 'a'), typed(1, 'a'), typed(2, 'b')], expect: [] },
  {
    name: 'per-step counts: a b a b does not fire (the first b came too early)',
    rule: () => steps([['a', 2], ['b', 2]]),
    events: () => [typed(0, 'a'), typed(1, 'b'), typed(2, 'a'), typed(3, 'b')],
    expect: [],
  },
  {
    name: 'per-step counts: a b a b b fires',
    rule: () => steps([['a', 2], ['b', 2]]),
    events: () => [typed(0, 'a'), typed(1, 'b'), typed(2, 'a'), typed(3, 'b'), typed(4, 'b')],
    expect: [`${IP}@4/5`],
  },
  {
    name: 'three steps out of order do not fire',
    rule: () => steps([['recon', 1], ['exploit', 1], ['exfil', 1]]),
    events: () => [typed(0, 'exploit'), typed(1, 'recon'), typed(2, 'exfil')],
    expect: [],
  },
  {
    name: 'three steps in order fire',
    rule: () => steps([['recon', 1], ['exploit', 1], ['exfil', 1]]),
    events: () => [typed(0, 'recon'), typed(1, 'noise'), typed(2, 'exploit'), typed(3, 'exfil')],
    expect: [`${IP}@3/3`],
  },
  {
    name: 'the middle step must be inside the window too',
    rule: () => steps([['recon', 1], ['exploit', 1], ['exfil', 1]], 10),
    events: () => [typed(0, 'recon'), typed(5, 'exploit'), typed(11, 'exfil')],
    expect: [],
  },
  {
    name: 'one event serves one step of a chain (overlapping filters)',
    rule: () =>
      makeRule('sequence', { steps: [{ event_filter: {} }, { event_filter: { username: 'root' } }], window_seconds: 60, group_by: 'source_ip' }),
    events: () => [typed(0, 'x', { username: 'root' })],
    expect: [],
  },
  {
    name: 'overlapping filters: a second matching event completes the chain',
    rule: () =>
      makeRule('sequence', { steps: [{ event_filter: {} }, { event_filter: { username: 'root' } }], window_seconds: 60, group_by: 'source_ip' }),
    events: () => [typed(0, 'x', { username: 'root' }), typed(1, 'y', { username: 'root' })],
    expect: [`${IP}@1/2`],
  },
  {
    name: 'the same step twice in a row (a then a)',
    rule: () => steps([['a', 1], ['a', 1]]),
    events: () => [typed(0, 'a'), typed(1, 'a'), typed(2, 'a')],
    expect: [`${IP}@1/2`],
  },
  { name: 'cooldown: a second success does not fire again', rule: () => bruteThenSuccess(2, 60), events: () => [F(0), F(1), S(2), S(3)], expect: [`${IP}@2/3`] },
  {
    name: 'no cooldown: a second success after the same failures fires again (window not emptied)',
    rule: () => bruteThenSuccess(2, 60, { cooldown_seconds: 0 }),
    events: () => [F(0), F(1), S(2), S(3)],
    expect: [`${IP}@2/3`, `${IP}@3/4`],
  },
  {
    name: 'a trailing failure does not re-fire a completed sequence',
    rule: () => bruteThenSuccess(2, 60, { cooldown_seconds: 0 }),
    events: () => [F(0), F(1), S(2), F(3)],
    expect: [`${IP}@2/3`],
  },
  { name: 'a tie in time keeps arrival order', rule: () => bruteThenSuccess(1, 60), events: () => [F(5), S(5)], expect: [`${IP}@5/2`] },
  { name: 'a tie in time, success first, does not fire', rule: () => bruteThenSuccess(1, 60), events: () => [S(5), F(5)], expect: [] },
  {
    name: 'a late success stamped before the last failure does not fire',
    rule: () => bruteThenSuccess(3, 60),
    events: () => [F(0), F(1), F(2), ev(1.5, { event_type: 'login_success', source_ip: IP })],
    expect: [],
  },
  {
    name: 'a late failure that completes step 1 before a recorded success fires',
    rule: () => bruteThenSuccess(3, 60),
    events: () => [F(0), F(1), S(5), F(2)],
    expect: [`${IP}@2/4`],
  },
  { name: 'a late event older than the window is ignored', rule: () => bruteThenSuccess(1, 10), events: () => [S(30), F(5), S(31)], expect: [] },
];

for (const c of CASES) {
  test(`sequence: ${c.name}`, () => {
    assert.deepEqual(runEngine([c.rule()], c.events()).map(summary), c.expect);
  });
}

test('sequence: a redelivered failure counts once', () => {
  const a = F(0);
  const b = F(1);
  assert.deepEqual(runEngine([bruteThenSuccess(3, 60)], [a, b, b, S(3)]).map(summary), []);
});

test('sequence: matched ids list every recorded step event in the window, oldest first', () => {
  const events = [S(0), F(1), F(2), ev(2.5, { event_type: 'other', source_ip: IP }), S(3)];
  const [firing] = runEngine([bruteThenSuccess(2, 60)], events);
  assert.deepEqual(firing!.matched_event_ids, [events[0]!.id, events[1]!.id, events[2]!.id, events[4]!.id]);
});

test('sequence: long failure streams keep per-group state small', () => {
  const rule = bruteThenSuccess(5, 10);
  const events: EngineEvent[] = [];
  for (let i = 0; i < 5000; i++) events.push(evAt(i * 100, { event_type: 'login_failure', source_ip: IP }));
  events.push(evAt(5000 * 100, { event_type: 'login_success', source_ip: IP }));
  const fired = runEngine([rule], events);
  assert.deepEqual(fired.map(summary), [`${IP}@500/101`]);
});

/**
 * Reference semantics, brute force: event i fires when it matches the last step and some
 * step-0 event s within the window starts a chain that, taken greedily (earliest events
 * first, one step per event), is one event short of complete before i.
 */
function referenceFires(events: EngineEvent[], stepTypes: string[][], counts: number[], windowMs: number): string[] {
  const n = stepTypes.length;
  const matches = (e: EngineEvent, k: number) => stepTypes[k]!.includes(e.event_type!);
  const fired: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (!matches(e, n - 1)) continue;
    let found = false;
    for (let s = 0; s < i && !found; s++) {
      if (events[s]!.timeMs < e.timeMs - windowMs || !matches(events[s]!, 0)) continue;
      let k = 0;
      let got = 0;
      for (let j = s; j < i; j++) {
        if (k === n - 1 && got === counts[k]! - 1) break;
        if (!matches(events[j]!, k)) continue;
        if (++got === counts[k]!) {
          k++;
          got = 0;
        }
      }
      found = k === n - 1 && got === counts[k]! - 1;
    }
    if (found) fired.push(e.id);
  }
  return fired;
}

test('sequence: the incremental engine agrees with a brute-force reference on random streams', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const TYPES = ['a', 'b', 'c'];
  let totalFired = 0;
  for (let round = 0; round < 300; round++) {
    const n = 2 + Math.floor(rand() * 2);
    const stepTypes = Array.from({ length: n }, () => {
      const subset = TYPES.filter(() => rand() < 0.5);
      return subset.length > 0 ? subset : [TYPES[Math.floor(rand() * 3)]!];
    });
    const counts = Array.from({ length: n }, () => 1 + Math.floor(rand() * 3));
    const windowSeconds = 3 + Math.floor(rand() * 8);
    const rule = makeRule(
      'sequence',
      { steps: stepTypes.map((types, k) => ({ event_filter: { event_type: { in: types } }, count: counts[k] })), window_seconds: windowSeconds, group_by: 'source_ip' },
      { cooldown_seconds: 0 },
    );
    let ms = 0;
    const events = Array.from({ length: 60 }, () => {
      ms += Math.floor(rand() * 4) * 500; // ties included
      return evAt(ms, { event_type: TYPES[Math.floor(rand() * 3)]!, source_ip: IP });
    });
    const got = runEngine([rule], events).map((f) => f.trigger_event_id);
    const want = referenceFires(events, stepTypes, counts, windowSeconds * 1000);
    totalFired += want.length;
    assert.deepEqual(got, want, `round ${round}: steps ${JSON.stringify(stepTypes)} counts ${counts} window ${windowSeconds}`);
  }
  // Both outcomes must be well represented for the comparison to mean anything.
  assert.ok(totalFired > 1000 && totalFired < 300 * 60 * 0.8, `fired ${totalFired}`);
});
