// Parsed fields in correlation: rules name `fields.<dotted.name>` like any other field, and a
// threshold counts the occurrences an event stands for (`event.count`, "message repeated N
// times"), not only the events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEngineEvent } from '../../src/engine/correlation/event.ts';
import { ev, makeRule, runEngine } from './correlation-fixtures.ts';

const sshFailures = (threshold: number) =>
  makeRule('threshold', { event_filter: { event_type: 'login_failure' }, threshold, window_seconds: 600, group_by: 'source_ip' });

test('a "message repeated 4 times" event counts as 4 attempts', () => {
  const rule = sshFailures(5);
  const fired = runEngine([rule], [
    ev(0, { event_type: 'login_failure', source_ip: '192.0.2.1' }),
    ev(10, { event_type: 'login_failure', source_ip: '192.0.2.1', fields: { 'event.count': 4 } }),
  ]);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.group_value, '192.0.2.1');
});

test('weights leave the window with their event, and one typo never fires', () => {
  const rule = sshFailures(5);
  const fired = runEngine([rule], [
    ev(0, { event_type: 'login_failure', source_ip: '192.0.2.2', fields: { 'event.count': 4 } }),
    // 601 s later the first event (and its 4) has left the 600 s window.
    ev(601, { event_type: 'login_failure', source_ip: '192.0.2.2' }),
    ev(602, { event_type: 'login_failure', source_ip: '192.0.2.3' }),
  ]);
  assert.equal(fired.length, 0);
});

test('a count that is not a positive integer stands for one event; huge counts are bounded', () => {
  const base = { id: 'a'.repeat(24), timeMs: 0, source_type: 'auth', severity: 'info', event_type: null, source_ip: null, dest_ip: null,
    source_port: null, dest_port: null, hostname: null, username: null, mitre_tactic: null, mitre_technique: null, scenario_run_id: null, normalized: null };
  assert.equal(toEngineEvent({ ...base, fields: { 'event.count': '9' } }).count, 1);
  assert.equal(toEngineEvent({ ...base, fields: { 'event.count': -3 } }).count, 1);
  assert.equal(toEngineEvent({ ...base, fields: { 'event.count': 2.5 } }).count, 1);
  assert.equal(toEngineEvent({ ...base, fields: { 'event.count': 1e12 } }).count, 1_000_000);
});

test('rules filter and group on parsed fields by their dotted names', () => {
  const rule = makeRule('threshold', {
    event_filter: { event_type: 'dns_query', 'fields.dns.question.max_label_entropy': { gte: 4 } },
    threshold: 2,
    window_seconds: 60,
    group_by: 'fields.client.id',
  });
  const q = (s: number, entropy: number, client: string) =>
    ev(s, { event_type: 'dns_query', fields: { 'dns.question.max_label_entropy': entropy, 'client.id': client } });
  const fired = runEngine([rule], [q(0, 4.5, 'c1'), q(1, 2.1, 'c1'), q(2, 4.2, 'c2'), q(3, 4.9, 'c1')]);
  assert.deepEqual(fired.map((f) => f.group_value), ['c1']);
});

test('a parsed field named like an Object.prototype member reads only own keys', () => {
  const rule = makeRule('threshold', { event_filter: { 'fields.constructor': { exists: true } }, threshold: 1, window_seconds: 60, group_by: 'event_type' });
  assert.equal(runEngine([rule], [ev(0, { event_type: 'x', fields: {} })]).length, 0);
  assert.equal(runEngine([rule], [ev(0, { event_type: 'x', fields: { constructor: 'y' } })]).length, 1);
});
