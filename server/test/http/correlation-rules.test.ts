// Per-rule correlation figures through the whole server: after events, each running rule
// has its series on GET /metrics (matched events, alerts, errors, groups, its name in
// siem_correlation_rule_info) and its row in GET /v1/correlation/rules; a rule that cannot
// run shows why; a disabled rule's series go away.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { waitFor } from '../helpers/detection.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let engineer: Record<string, string>;
let analyst: Record<string, string>;
before(async () => {
  sys = await startTestSystem();
  engineer = { authorization: `Bearer ${await registerUser(sys.app, { role: 'engineer' })}` };
  analyst = { authorization: `Bearer ${await registerUser(sys.app)}` };
});
after(async () => sys.stop());

const metricsText = async () => (await sys.app.inject({ method: 'GET', url: '/metrics' })).body;
const view = async () => (await sys.app.inject({ method: 'GET', url: '/v1/correlation/rules', headers: analyst })).json();

describe('per-rule correlation figures', () => {
  let ruleId: string;
  let brokenId: string;

  it('after events, the rule has its series on /metrics and its row in /v1/correlation/rules', async () => {
    const created = await sys.app.inject({
      method: 'POST', url: '/v1/rules', headers: engineer,
      payload: { name: 'probe burst', rule_type: 'threshold', severity: 'medium', conditions: { event_filter: { event_type: 'probe' }, threshold: 3, window_seconds: 60, group_by: 'source_ip' } },
    });
    assert.equal(created.statusCode, 201, created.body);
    ruleId = created.json().id;
    for (let i = 0; i < 4; i++) {
      const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic', event_type: 'probe', source_ip: '198.51.100.9', message: `probe ${i}` } });
      assert.equal(res.statusCode, 201, res.body);
    }
    await waitFor(async () => (await metricsText()).includes(`siem_correlation_rule_events_total{rule_id="${ruleId}"} 4`));
    const text = await metricsText();
    assert.ok(text.includes(`siem_correlation_rule_alerts_total{rule_id="${ruleId}"} 1`), 'one alert (then the cooldown)');
    assert.ok(text.includes(`siem_correlation_rule_errors_total{rule_id="${ruleId}"} 0`));
    assert.ok(text.includes(`siem_correlation_rule_groups{rule_id="${ruleId}"} 1`));
    assert.ok(text.includes(`siem_correlation_rule_info{rule_id="${ruleId}",rule_name="probe burst",rule_type="threshold"} 1`));
    assert.match(text, /^siem_correlation_event_lag_seconds \d/m);
    assert.match(text, /^siem_correlation_processing_lag_seconds \d/m);
    assert.match(text, /^siem_correlation_groups [1-9]/m);

    const body = await view();
    assert.ok(body.updated_at && body.since);
    const row = body.rules.find((r: { rule_id: string }) => r.rule_id === ruleId);
    assert.deepEqual(row, { rule_id: ruleId, rule_name: 'probe burst', events_matched: 4, alerts: 1, errors: 0, groups: 1, last_error: null, last_error_at: null });
  });

  it('a stored rule that cannot run is listed with the reason', async () => {
    brokenId = newObjectId();
    await createRulesRepo(sys.deps.db).insert({
      id: brokenId, name: 'broken', description: '', rule_type: 'threshold', severity: 'low', enabled: true,
      conditions: { event_filter: {}, threshold: 'x' }, mitre_tactic: null, mitre_technique: null, cooldown_seconds: null, builtin_key: null,
    });
    await sys.deps.rules.announceChange();
    await waitFor(async () => (await view()).rules.some((r: { rule_id: string }) => r.rule_id === brokenId));
    const row = (await view()).rules.find((r: { rule_id: string }) => r.rule_id === brokenId);
    assert.match(row.last_error, /^cannot run: .*threshold/);
    assert.ok(!(await metricsText()).includes(`rule_id="${brokenId}"`), 'no series for a rule that does not run');
  });

  it('a disabled rule loses its series and its row', async () => {
    const res = await sys.app.inject({ method: 'PATCH', url: `/v1/rules/${ruleId}`, headers: engineer, payload: { enabled: false } });
    assert.equal(res.statusCode, 200);
    await waitFor(async () => !(await metricsText()).includes(`rule_id="${ruleId}"`));
    assert.equal((await view()).rules.some((r: { rule_id: string }) => r.rule_id === ruleId), false);
  });

  it('needs a login', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/v1/correlation/rules' });
    assert.equal(res.statusCode, 401);
  });
});
