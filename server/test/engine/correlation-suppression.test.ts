// The engine's part of suppression: a firing of a rule with suppression carries the key
// read from its triggering event (field names with their values, a missing value as null)
// and the duration; the store makes the count-or-raise decision. Changing suppression
// keeps the rule's windows (it is not part of what the rule matches).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareRule } from '../../src/engine/rules/load.ts';
import { createCorrelationEngine } from '../../src/engine/correlation/index.ts';
import { ev, makeRule, runEngine } from './correlation-fixtures.ts';

const stored = (suppression: unknown) => ({
  id: 'c'.repeat(24), name: 'sudo burst', rule_type: 'threshold', severity: 'high' as const, mitre_tactic: null, mitre_technique: null,
  conditions: { event_filter: { event_type: 'sudo' }, threshold: 2, window_seconds: 60, group_by: 'hostname' },
  cooldown_seconds: 0, suppression,
});

test('a firing carries the suppression key of its triggering event and the duration', () => {
  const prepared = prepareRule(stored({ fields: ['username', 'hostname', 'process.name'], duration_seconds: 600 }));
  assert.ok(prepared.ok);
  const firings = runEngine([prepared.rule], [
    ev(0, { event_type: 'sudo', hostname: 'db-1', username: 'bob' }),
    ev(1, { event_type: 'sudo', hostname: 'db-1', username: 'eve', fields: { 'process.name': 'bash' } }),
  ]);
  assert.equal(firings.length, 1);
  assert.deepEqual(firings[0]!.suppression, { key: JSON.stringify({ username: 'eve', hostname: 'db-1', 'process.name': 'bash' }), duration_ms: 600_000 });
});

test('a missing value is part of the key as null', () => {
  const prepared = prepareRule(stored({ fields: ['username'], duration_seconds: 60 }));
  assert.ok(prepared.ok);
  const [f] = runEngine([prepared.rule], [ev(0, { event_type: 'sudo', hostname: 'h' }), ev(1, { event_type: 'sudo', hostname: 'h' })]);
  assert.equal(f!.suppression!.key, '{"username":null}');
});

test('without suppression a firing carries none', () => {
  const [f] = runEngine([makeRule('single', { event_filter: { event_type: 'x' } })], [ev(0, { event_type: 'x' })]);
  assert.equal(f!.suppression, null);
});

test('a stored suppression the schema refuses makes the rule unrunnable, with the reason', () => {
  assert.equal(prepareRule(stored({ fields: ['usrname'], duration_seconds: 600 })).ok, false);
  assert.equal(prepareRule(stored({ fields: ['username'], duration_seconds: 5 })).ok, false);
});

test('changing the suppression keeps the open windows', () => {
  const engine = createCorrelationEngine({ cooldownMs: 0 });
  const first = prepareRule(stored(null));
  const second = prepareRule(stored({ fields: ['hostname'], duration_seconds: 300 }));
  assert.ok(first.ok && second.ok);
  engine.setRules([first.rule]);
  assert.equal(engine.process(ev(0, { event_type: 'sudo', hostname: 'db-1' })).length, 0);
  engine.setRules([second.rule]);
  const fired = engine.process(ev(1, { event_type: 'sudo', hostname: 'db-1' }));
  assert.equal(fired.length, 1, 'the first event is still counted');
  assert.equal(fired[0]!.suppression!.duration_ms, 300_000);
});
