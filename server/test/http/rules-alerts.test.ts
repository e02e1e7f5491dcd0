// Rules and alerts through the API: CRUD and validation, the dry-run test on event time,
// alert listing, triage with any transition and its history, dashboard alert counts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let h: Record<string, string>;
before(async () => {
  sys = await startTestSystem();
  h = { authorization: `Bearer ${await registerUser(sys.app, { username: 'ana', role: 'engineer' })}` };
});
after(async () => sys.stop());

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: h, ...(payload === undefined ? {} : { payload: payload as object }) });

const bruteForce = {
  name: 'SSH brute force',
  rule_type: 'threshold',
  severity: 'high',
  description: 'Five failed logins from one address within a minute',
  conditions: { event_filter: { event_type: 'login_failure', 'normalized.service': 'sshd' }, threshold: 5, window_seconds: 60, group_by: 'source_ip' },
  mitre_tactic: 'TA0006',
  mitre_technique: 'T1110.001',
};

async function waitForAlerts(count: number, query = ''): Promise<{ items: { id: string; title: string }[]; total: number }> {
  for (let i = 0; i < 100; i++) {
    const page = (await call('GET', `/v1/alerts?per_page=200${query}`)).json();
    if (page.total >= count) return page;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`expected ${count} alerts`);
}

describe('rules API', () => {
  let ruleId: string;

  it('creates a rule, storing conditions exactly as submitted', async () => {
    const res = await call('POST', '/v1/rules', { ...bruteForce, conditions: { ...bruteForce.conditions, note: 'kept' } });
    assert.equal(res.statusCode, 201, res.body);
    const rule = res.json();
    ruleId = rule.id;
    assert.equal(rule.enabled, true);
    assert.equal(rule.conditions.note, 'kept');
    assert.equal(rule.cooldown_seconds, null);
    assert.equal((await call('GET', `/v1/rules/${ruleId}`)).json().name, 'SSH brute force');
  });

  it('refuses a duplicate name with 409', async () => {
    const res = await call('POST', '/v1/rules', bruteForce);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'ConflictError');
  });

  it('points at the bad field of bad conditions, relative to conditions', async () => {
    const res = await call('POST', '/v1/rules', { ...bruteForce, name: 'seq', rule_type: 'sequence', conditions: { steps: [{ event_filter: { event_type: 'a' } }], window_seconds: 60, group_by: 'source_ip' } });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json().details.map((d: { field: string; type: string }) => [d.field, d.type]), [['steps', 'too_short']]);
    const op = await call('POST', '/v1/rules', { ...bruteForce, name: 'op', conditions: { ...bruteForce.conditions, event_filter: { dest_port: { between: [1, 2] } } } });
    assert.equal(op.statusCode, 422);
    assert.match(op.json().details[0].field, /^event_filter\.dest_port/);
    const agg = await call('POST', '/v1/rules', { ...bruteForce, name: 'agg', rule_type: 'aggregation', conditions: { event_filter: {}, aggregation: 'sum', aggregation_field: 'dest_port', threshold: 3, window_seconds: 60, group_by: 'source_ip' } });
    assert.equal(agg.json().details[0].type, 'literal_error');
    const mitre = await call('POST', '/v1/rules', { ...bruteForce, name: 'm', mitre_technique: 'T11' });
    assert.equal(mitre.statusCode, 422);
  });

  it('validates PATCHed conditions against the rule type and ignores rule_type', async () => {
    const bad = await call('PATCH', `/v1/rules/${ruleId}`, { conditions: { threshold: 'many' } });
    assert.equal(bad.statusCode, 422);
    const ok = await call('PATCH', `/v1/rules/${ruleId}`, { rule_type: 'sequence', description: 'updated', mitre_tactic: null });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().rule_type, 'threshold');
    assert.equal(ok.json().description, 'updated');
    assert.equal(ok.json().mitre_tactic, 'TA0006', 'null means unchanged');
  });

  it('answers 404 for unknown and malformed rule ids', async () => {
    assert.equal((await call('GET', '/v1/rules/ffffffffffffffffffffffff')).json().message, 'CorrelationRule not found');
    assert.equal((await call('PATCH', '/v1/rules/nope', { description: 'x' })).statusCode, 404);
    assert.equal((await call('DELETE', '/v1/rules/nope')).statusCode, 404);
  });

  it('test replays history on event time and raises nothing', async () => {
    const now = Date.now();
    // Two bursts 10 minutes apart from one address, one slow trickle from another.
    const events = [
      ...Array.from({ length: 5 }, (_, i) => ({ t: now - 3_600_000 + i * 1000, ip: '198.51.100.1' })),
      ...Array.from({ length: 5 }, (_, i) => ({ t: now - 3_000_000 + i * 1000, ip: '198.51.100.1' })),
      ...Array.from({ length: 5 }, (_, i) => ({ t: now - 3_600_000 + i * 120_000, ip: '198.51.100.2' })),
    ].map((e) => ({ source_type: 'auth', event_type: 'login_failure', service: 'sshd', source_ip: e.ip, timestamp: new Date(e.t).toISOString() }));
    assert.equal((await call('POST', '/v1/logs/bulk', events)).statusCode, 201);
    await call('PATCH', `/v1/rules/${ruleId}`, { cooldown_seconds: 0 });
    const res = await call('POST', `/v1/rules/${ruleId}/test`);
    assert.equal(res.statusCode, 200, res.body);
    const result = res.json();
    assert.equal(result.events_evaluated, 15);
    assert.deepEqual(result.alerts.map((a: { group_value: string }) => a.group_value), ['198.51.100.1', '198.51.100.1']);
    assert.equal(result.alerts_would_fire, 2);
    assert.equal(result.alerts[0].matched_event_count, 5);
    const withCooldown = await call('PATCH', `/v1/rules/${ruleId}`, { cooldown_seconds: 3600 });
    assert.equal(withCooldown.statusCode, 200);
    assert.equal((await call('POST', `/v1/rules/${ruleId}/test`, { hours: 24 })).json().alerts_would_fire, 1);
    assert.equal((await call('POST', `/v1/rules/${ruleId}/test`, { hours: 73 })).statusCode, 422);
  });
});

describe('alerts API', () => {
  let alertId: string;

  before(async () => {
    const rule = (await call('POST', '/v1/rules', { ...bruteForce, name: 'Live brute force', severity: 'critical' })).json();
    assert.ok(rule.id);
    const events = Array.from({ length: 6 }, () => ({ source_type: 'auth', event_type: 'login_failure', service: 'sshd', source_ip: '203.0.113.66', username: 'root' }));
    for (const e of events) assert.equal((await call('POST', '/v1/logs/ingest', e)).statusCode, 201);
    const page = await waitForAlerts(1, '&severity=critical');
    alertId = page.items[0]!.id;
  });

  it('the engine raised one alert for the burst, with the rule name and group in its title', async () => {
    const page = (await call('GET', '/v1/alerts?severity=critical')).json();
    assert.equal(page.total, 1, 'cooldown holds back a second alert');
    assert.equal(page.items[0].title, 'Live brute force [203.0.113.66]');
    assert.equal(page.items[0].status, 'new');
    assert.equal(page.items[0].mitre_technique, 'T1110.001');
  });

  it('detail carries the matched events newest first and the history', async () => {
    const detail = (await call('GET', `/v1/alerts/${alertId}`)).json();
    assert.equal(detail.matched_events.length, detail.alert.matched_event_count);
    const times = detail.matched_events.map((e: { timestamp: string }) => e.timestamp);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.deepEqual(detail.history.map((x: { from: string | null; to: string }) => [x.from, x.to]), [[null, 'new']]);
    assert.ok(detail.matched_events.every((e: { matched_alert_ids: string[] }) => e.matched_alert_ids.includes(alertId)));
  });

  it('accepts every transition, records who and when, and keeps the history', async () => {
    const ack = (await call('PATCH', `/v1/alerts/${alertId}/status`, { status: 'acknowledged' })).json();
    assert.equal(ack.acknowledged_by, 'ana');
    assert.ok(ack.acknowledged_at);
    const resolved = (await call('PATCH', `/v1/alerts/${alertId}/status`, { status: 'resolved', notes: 'blocked at the edge' })).json();
    assert.ok(resolved.resolved_at);
    assert.equal(resolved.notes, 'blocked at the edge');
    const isListed = async (status: string) => ((await call('GET', `/v1/alerts?status=${status}&per_page=200`)).json().items as { id: string }[]).some((a) => a.id === alertId);
    assert.equal(await isListed('open'), false, 'a resolved alert is not open');
    assert.equal(await isListed('resolved'), true);
    const reopened = (await call('PATCH', `/v1/alerts/${alertId}/status`, { status: 'new' })).json();
    assert.equal(await isListed('open'), true, 'status=open lists new, acknowledged and investigating alerts');
    assert.equal(reopened.status, 'new');
    assert.equal(reopened.notes, 'blocked at the edge', 'absent notes keep the stored ones');
    const history = (await call('GET', `/v1/alerts/${alertId}`)).json().history;
    assert.deepEqual(history.map((x: { to: string }) => x.to), ['new', 'acknowledged', 'resolved', 'new']);
    assert.equal(history[2].notes, 'blocked at the edge');
    assert.equal(history[1].by, 'ana');
  });

  it('validates status and answers 404 for unknown alerts', async () => {
    assert.equal((await call('PATCH', `/v1/alerts/${alertId}/status`, { status: 'closed' })).json().details[0].type, 'enum');
    assert.equal((await call('PATCH', '/v1/alerts/ffffffffffffffffffffffff/status', { status: 'new' })).json().message, 'Alert not found');
    assert.equal((await call('GET', '/v1/alerts/nope')).statusCode, 404);
    assert.equal((await call('GET', '/v1/alerts/stream/')).statusCode, 404);
  });

  it('dashboard overview counts alerts', async () => {
    const o = (await call('GET', '/v1/dashboard')).json();
    assert.ok(o.total_alerts >= 1);
    assert.equal(o.open_alerts, o.total_alerts - (o.alerts_by_status.resolved ?? 0) - (o.alerts_by_status.false_positive ?? 0));
  });

  it('a deleted rule keeps its alerts', async () => {
    const rule = (await call('GET', '/v1/rules')).json().find((r: { name: string }) => r.name === 'Live brute force');
    assert.deepEqual((await call('DELETE', `/v1/rules/${rule.id}`)).json(), { deleted: true });
    assert.equal((await call('GET', `/v1/alerts/${alertId}`)).statusCode, 200);
  });
});
