// An alert outlives its events: once retention has removed the matched events, the alert
// detail still lists them from the snapshots taken when the alert was raised (marked
// `expired`), while the events themselves are gone and the dashboard counts stay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createPartitionsRepo } from '../../src/store/partitions-repo.ts';
import { createRetentionService } from '../../src/services/retention.ts';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

const DAY_MS = 86_400_000;

function snapshotSuite(name: string, env: () => Record<string, string>, skip: string | false) {
  describe(`alert snapshots of expired events (${name})`, { skip }, () => {
    let sys: TestSystem;
    let h: Record<string, string>;
    before(async () => {
      // Unlimited: the test polls for the alert.
      sys = await startTestSystem({ RATELIMIT_DEFAULT: '', ...env() });
      h = { authorization: `Bearer ${await registerUser(sys.app, { role: 'engineer' })}` };
    });
    after(async () => sys?.stop());

    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      sys.app.inject({ method, url, headers: h, ...(payload === undefined ? {} : { payload }) });

    it('after retention removed the matched events, the alert detail shows their snapshots, marked expired', async () => {
      const rule = await call('POST', '/v1/rules', {
        name: `Old failures ${uniqueName('r')}`,
        rule_type: 'threshold',
        severity: 'high',
        conditions: { event_filter: { event_type: 'login_failure', username: 'snapshot-victim' }, threshold: 3, window_seconds: 60, group_by: 'source_ip' },
        mitre_technique: 'T1110',
      });
      assert.equal(rule.statusCode, 201, rule.body);
      const ruleId = rule.json().id as string;

      // Ten days old: retention of 3 days removes them (they sit in the DEFAULT partition).
      const base = Date.now() - 10 * DAY_MS;
      const events = Array.from({ length: 3 }, (_, i) => ({
        source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.23', username: 'snapshot-victim', hostname: 'bastion-1',
        message: `Failed password for snapshot-victim attempt ${i}`, timestamp: new Date(base + i * 1000).toISOString(), result: 'failure',
      }));
      const recent = { ...events[0]!, username: 'someone-else', timestamp: new Date().toISOString() };
      const bulk = await call('POST', '/v1/logs/bulk', [...events, recent] as unknown as object);
      assert.equal(bulk.statusCode, 201, bulk.body);

      // Bounded wait for correlation (a PostgreSQL deployment first elects its correlating process).
      let alertId: string | undefined;
      for (let i = 0; i < 600 && !alertId; i++) {
        const page = await call('GET', `/v1/alerts?rule_id=${ruleId}`);
        assert.equal(page.statusCode, 200, page.body);
        alertId = page.json().items[0]?.id;
        if (!alertId) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(alertId, 'the rule raised its alert');
      const live = (await call('GET', `/v1/alerts/${alertId}`)).json();
      assert.equal(live.matched_events.length, 3);
      assert.ok(live.matched_events.every((e: { expired?: boolean; raw: object }) => e.expired === undefined && Object.keys(e.raw).length > 0));
      const breakdown = (await call('GET', '/v1/dashboard/severity-breakdown')).json();

      // Another process (any may run it) applies a retention of three days.
      const retention = createRetentionService({ partitions: createPartitionsRepo(sys.deps.db), log: pino({ level: 'silent' }), retentionDays: 3 });
      const run = await retention.runOnce();
      assert.ok(run.deletedDefaultRows >= 3, JSON.stringify(run));

      for (const id of live.alert.matched_event_ids) assert.equal((await call('GET', `/v1/logs/${id}`)).statusCode, 404);
      const res = await call('GET', `/v1/alerts/${alertId}`);
      assert.equal(res.statusCode, 200);
      const detail = res.json();
      assert.deepEqual(detail.alert, live.alert);
      assert.deepEqual(detail.history, live.history);
      assert.equal(detail.matched_events.length, 3);
      const byId = new Map(live.matched_events.map((e: { id: string }) => [e.id, e]));
      for (const e of detail.matched_events) {
        const was = byId.get(e.id) as Record<string, unknown>;
        assert.ok(was, 'the same events');
        assert.equal(e.expired, true);
        for (const key of ['timestamp', 'source_type', 'severity', 'event_type', 'source_ip', 'dest_ip', 'hostname', 'username', 'mitre_tactic', 'mitre_technique', 'normalized', 'matched_alert_ids', 'created_at']) {
          assert.deepEqual(e[key], was[key], key);
        }
        assert.match(e.message, /^Failed password for snapshot-victim attempt \d$/);
        assert.deepEqual(e.raw, {});
      }
      // Newest first, like stored events.
      assert.deepEqual(detail.matched_events.map((e: { id: string }) => e.id), live.matched_events.map((e: { id: string }) => e.id));
      // Counts are rollups: retention does not touch them.
      assert.deepEqual((await call('GET', '/v1/dashboard/severity-breakdown')).json(), breakdown);
      // The recent event stays.
      assert.equal((await call('GET', '/v1/logs?username=someone-else')).json().total, 1);
    });
  });
}

snapshotSuite('PGlite', () => ({}), false);
snapshotSuite('PostgreSQL server', () => ({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('snap').toLowerCase() }), skipWithoutPostgres);
