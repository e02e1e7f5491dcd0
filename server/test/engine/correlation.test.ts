import { partitionOf } from '../../src/engine/correlation/partition.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorrelationEngineOptions, Firing } from '../../src/engine/correlation/index.ts';
import type { EngineEvent } from '../../src/engine/correlation/event.ts';
import type { CompiledRule } from '../../src/engine/rules/compile.ts';
import { BASE_MS, ev, evAt, failures, makeRule, runEngine } from './correlation-fixtures.ts';

/** "group@seconds/count": enough to read a table of expected firings at a glance. */
const summary = (f: Firing) => `${f.group_value}@${(f.fired_at_ms - BASE_MS) / 1000}/${f.matched_event_count}`;

interface Case {
  name: string;
  rule: () => CompiledRule;
  events: () => EngineEvent[];
  expect: string[];
  opts?: Partial<CorrelationEngineOptions>;
}

const fail = (s: number, ip = '198.51.100.7', extra: Parameters<typeof ev>[1] = {}) =>
  ev(s, { event_type: 'login_failure', source_ip: ip, ...extra });
const failMs = (ms: number, ip = '198.51.100.7') => evAt(ms, { event_type: 'login_failure', source_ip: ip });

const THRESHOLD: Case[] = [
  { name: 'three failures in 10 s fire once', rule: () => failures(3, 10), events: () => [fail(0), fail(5), fail(9)], expect: ['198.51.100.7@9/3'] },
  { name: 'two failures do not fire', rule: () => failures(3, 10), events: () => [fail(0), fail(5)], expect: [] },
  { name: 'span exactly the window fires (edge inclusive)', rule: () => failures(3, 10), events: () => [failMs(0), failMs(5000), failMs(10_000)], expect: ['198.51.100.7@10/3'] },
  { name: 'span one ms over the window does not fire', rule: () => failures(3, 10), events: () => [failMs(0), failMs(5000), failMs(10_001)], expect: [] },
  { name: 'groups count separately', rule: () => failures(3, 10), events: () => [fail(0, 'a'), fail(1, 'b'), fail(2, 'a'), fail(3, 'b')], expect: [] },
  {
    name: 'non-matching events do not count',
    rule: () => failures(3, 10),
    events: () => [fail(0), ev(1, { event_type: 'login_success', source_ip: '198.51.100.7' }), fail(2)],
    expect: [],
  },
  {
    name: 'a missing or empty group value is skipped',
    rule: () => failures(2, 10),
    events: () => [ev(0, { event_type: 'login_failure' }), ev(1, { event_type: 'login_failure', source_ip: '' }), ev(2, { event_type: 'login_failure' })],
    expect: [],
  },
  { name: 'the default cooldown keeps one alert per burst', rule: () => failures(3, 10), events: () => [0, 1, 2, 3, 4, 5].map((s) => fail(s)), expect: ['198.51.100.7@2/3'] },
  {
    name: 'the global cooldown is configurable and measured in event time',
    rule: () => failures(3, 10),
    opts: { cooldownMs: 5000 },
    events: () => [0, 1, 2, 3, 6.999, 7, 8].map((s) => fail(s)),
    expect: ['198.51.100.7@2/3', '198.51.100.7@7/6'],
  },
  {
    name: 'a per-rule cooldown overrides the global one',
    rule: () => failures(3, 100, { cooldown_seconds: 2 }),
    events: () => [0, 1, 2, 3, 4, 5].map((s) => fail(s)),
    expect: ['198.51.100.7@2/3', '198.51.100.7@4/5'],
  },
  {
    name: 'cooldown 0 fires on every event at or over the threshold',
    rule: () => failures(2, 100, { cooldown_seconds: 0 }),
    events: () => [0, 1, 2].map((s) => fail(s)),
    expect: ['198.51.100.7@1/2', '198.51.100.7@2/3'],
  },
  {
    name: 'the window is not emptied by firing',
    rule: () => failures(3, 100, { cooldown_seconds: 5 }),
    events: () => [fail(0), fail(1), fail(2), fail(10)],
    expect: ['198.51.100.7@2/3', '198.51.100.7@10/4'],
  },
  {
    name: 'cooldown is per group',
    rule: () => failures(2, 10),
    events: () => [fail(0, 'a'), fail(1, 'a'), fail(2, 'b'), fail(3, 'b')],
    expect: ['a@1/2', 'b@3/2'],
  },
  {
    name: 'a slightly late event inside the window counts',
    rule: () => failures(3, 10),
    events: () => [fail(0), fail(8), fail(4)],
    expect: ['198.51.100.7@4/3'],
  },
  {
    name: 'an event older than the window is ignored',
    rule: () => failures(3, 10),
    events: () => [fail(0), fail(20), fail(5), fail(21)],
    expect: [],
  },
  {
    name: 'after the group moved on, old events have expired',
    rule: () => failures(3, 10),
    events: () => [fail(0), fail(1), fail(12), fail(13)],
    expect: [],
  },
  {
    name: 'a numeric group_by reads the decimal text',
    rule: () => makeRule('threshold', { event_filter: { event_type: 'firewall_deny' }, threshold: 2, window_seconds: 10, group_by: 'dest_port' }),
    events: () => [ev(0, { event_type: 'firewall_deny', dest_port: 22 }), ev(1, { event_type: 'firewall_deny', dest_port: 22 })],
    expect: ['22@1/2'],
  },
  {
    name: 'group_by a normalized field',
    rule: () => makeRule('threshold', { event_filter: { 'normalized.result': 'failure' }, threshold: 2, window_seconds: 10, group_by: 'normalized.service' }),
    events: () => [ev(0, { normalized: { result: 'failure', service: 'sshd' } }), ev(1, { normalized: { result: 'failure', service: 'sshd' } })],
    expect: ['sshd@1/2'],
  },
  {
    name: 'operators in a live rule: internal sources to SSH',
    rule: () =>
      makeRule('threshold', {
        event_filter: { source_ip: { cidr: '10.0.0.0/8' }, dest_port: '22', event_type: { in: ['connection', 'firewall_deny'] } },
        threshold: 2,
        window_seconds: 60,
        group_by: 'source_ip',
      }),
    events: () => [
      ev(0, { event_type: 'connection', source_ip: '10.1.1.1', dest_port: 22 }),
      ev(1, { event_type: 'connection', source_ip: '10.1.1.1', dest_port: 443 }),
      ev(2, { event_type: 'Firewall_Deny', source_ip: '10.1.1.1', dest_port: 22 }),
      ev(3, { event_type: 'connection', source_ip: '192.168.1.1', dest_port: 22 }),
    ],
    expect: ['10.1.1.1@2/2'],
  },
];

const distinctUsers = (threshold: number, windowSeconds = 60, extras = {}) =>
  makeRule(
    'aggregation',
    { event_filter: { event_type: 'login_failure' }, aggregation: 'count_distinct', aggregation_field: 'username', threshold, window_seconds: windowSeconds, group_by: 'source_ip' },
    extras,
  );
const user = (s: number, username: string | null, ip = '203.0.113.9') => ev(s, { event_type: 'login_failure', source_ip: ip, username });

const AGGREGATION: Case[] = [
  { name: 'three distinct users fire', rule: () => distinctUsers(3), events: () => [user(0, 'alice'), user(1, 'bob'), user(2, 'carol')], expect: ['203.0.113.9@2/3'] },
  { name: 'repeated values count once', rule: () => distinctUsers(3), events: () => [user(0, 'alice'), user(1, 'alice'), user(2, 'bob'), user(3, 'bob')], expect: [] },
  {
    name: 'the count lists every recorded event, repeats included',
    rule: () => distinctUsers(3),
    events: () => [user(0, 'alice'), user(1, 'alice'), user(2, 'bob'), user(3, 'bob'), user(4, 'carol')],
    expect: ['203.0.113.9@4/5'],
  },
  { name: 'a value that left the window no longer counts', rule: () => distinctUsers(3), events: () => [user(0, 'alice'), user(30, 'bob'), user(60.001, 'carol')], expect: [] },
  { name: 'a value exactly at the window edge counts', rule: () => distinctUsers(3), events: () => [user(0, 'alice'), user(30, 'bob'), user(60, 'carol')], expect: ['203.0.113.9@60/3'] },
  {
    name: 'a repeated value survives the expiry of its older copy',
    rule: () => distinctUsers(3),
    events: () => [user(0, 'alice'), user(50, 'alice'), user(55, 'bob'), user(70, 'carol')],
    expect: ['203.0.113.9@70/3'],
  },
  {
    name: 'events without a value are recorded but add no distinct value',
    rule: () => distinctUsers(3),
    events: () => [user(0, 'alice'), user(1, null), user(2, ''), user(3, 'bob'), user(4, 'carol')],
    expect: ['203.0.113.9@4/5'],
  },
  { name: 'distinct values are per group', rule: () => distinctUsers(2), events: () => [user(0, 'alice', 'a'), user(1, 'bob', 'b')], expect: [] },
  { name: 'a late event inside the window adds its value', rule: () => distinctUsers(3), events: () => [user(10, 'alice'), user(20, 'bob'), user(15, 'carol')], expect: ['203.0.113.9@15/3'] },
  {
    name: 'distinct ports per source (numeric field)',
    rule: () =>
      makeRule('aggregation', { event_filter: {}, aggregation: 'count_distinct', aggregation_field: 'dest_port', threshold: 3, window_seconds: 10, group_by: 'source_ip' }),
    events: () => [22, 22, 80, 443].map((port, i) => ev(i, { source_ip: '198.51.100.1', dest_port: port })),
    expect: ['198.51.100.1@3/4'],
  },
  {
    name: 'cooldown applies to aggregation too',
    rule: () => distinctUsers(2, 60, { cooldown_seconds: 10 }),
    events: () => [user(0, 'a'), user(1, 'b'), user(2, 'c'), user(11, 'd')],
    expect: ['203.0.113.9@1/2', '203.0.113.9@11/4'],
  },
];

for (const [kind, cases] of [['threshold', THRESHOLD], ['aggregation', AGGREGATION]] as const) {
  for (const c of cases) {
    test(`${kind}: ${c.name}`, () => {
      assert.deepEqual(runEngine([c.rule()], c.events(), c.opts).map(summary), c.expect);
    });
  }
}

test('a firing carries everything an alert needs, and a deterministic key', () => {
  const rule = failures(2, 60, { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'SSH guessing', severity: 'critical', mitre_tactic: 'TA0006', mitre_technique: 'T1110.001' });
  const a = fail(0, '198.51.100.7', { id: '00000000000000000000000a' });
  const b = fail(1, '198.51.100.7', { id: '00000000000000000000000b' });
  const [firing] = runEngine([rule], [a, b]);
  assert.deepEqual(firing, {
    key: 'aaaaaaaaaaaaaaaaaaaaaaaa:198.51.100.7:00000000000000000000000b',
    rule_id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
    rule_name: 'SSH guessing',
    severity: 'critical',
    title: 'SSH guessing [198.51.100.7]',
    group_value: '198.51.100.7',
    matched_event_ids: ['00000000000000000000000a', '00000000000000000000000b'],
    matched_event_count: 2,
    mitre_tactic: 'TA0006',
    mitre_technique: 'T1110.001',
    fired_at_ms: BASE_MS + 1000,
    trigger_event_id: '00000000000000000000000b',
    partition: partitionOf('aaaaaaaaaaaaaaaaaaaaaaaa', '198.51.100.7'),
    suppression: null,
  });
});

test('matched ids are in time order, late events included', () => {
  const events = [fail(0), fail(8), fail(4)];
  const [firing] = runEngine([failures(3, 10)], events);
  assert.deepEqual(firing!.matched_event_ids, [events[0]!.id, events[2]!.id, events[1]!.id]);
});

test('matched ids are bounded to the newest maxMatchedIds; the count stays complete', () => {
  const events = [0, 1, 2, 3, 4].map((s) => fail(s));
  const [firing] = runEngine([failures(5, 60)], events, { maxMatchedIds: 2 });
  assert.equal(firing!.matched_event_count, 5);
  assert.deepEqual(firing!.matched_event_ids, [events[3]!.id, events[4]!.id]);
});

test('bounded ids stay the newest ones when late events are inserted below and inside the kept range', () => {
  const events = [fail(0), fail(10), fail(20), fail(30), fail(5), fail(25), fail(31)];
  const [firing] = runEngine([failures(7, 60)], events, { maxMatchedIds: 3 });
  assert.equal(firing!.matched_event_count, 7);
  // Time order: 0, 5, 10, 20, 25, 30, 31 -> the newest three.
  assert.deepEqual(firing!.matched_event_ids, [events[5]!.id, events[3]!.id, events[6]!.id]);
});

test('a redelivered event (same id and time) is counted once', () => {
  const a = fail(0);
  const b = fail(1);
  assert.deepEqual(runEngine([failures(3, 60)], [a, b, b, a]).map(summary), []);
  assert.deepEqual(runEngine([failures(3, 60)], [a, b, b, fail(2)]).map(summary), ['198.51.100.7@2/3']);
});

test('per-group memory is capped but never below the threshold', () => {
  const events = Array.from({ length: 50 }, (_, i) => fail(i / 10));
  const fired = runEngine([failures(20, 60, { cooldown_seconds: 0 })], events, { maxGroupEvents: 5 });
  assert.equal(fired.length, 31);
  assert.equal(fired.at(-1)!.matched_event_count, 20);
});
