// PostgreSQL terminates every session of the server (pg_terminate_backend, as a restart
// or failover does): the process survives, its correlation goes on from its partitions'
// checkpoints (reads and writes are retried on fresh connections), and an attack that
// straddles the cut is alerted once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { startTestSystem } from '../helpers/system.ts';
import { waitUntil } from '../helpers/processes.ts';
import { alertCounts, insertBruteForceRule, lagEvents } from './fault-kit.ts';

describe('PostgreSQL sessions terminated under the server', { skip: skipWithoutPostgres }, () => {
  it('survives, keeps correlating its partitions and keeps alerting', { timeout: 120_000 }, async () => {
    const schema = uniqueName('term').toLowerCase();
    const sys = await startTestSystem({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, CORRELATION_RULE_CACHE_SECONDS: '1' });
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      const { db, detection } = sys.deps;
      await waitUntil(() => detection.state() === 'running' && detection.partitions().length === 16, 20_000, 'the partitions');
      const ruleId = await insertBruteForceRule(db, 'fault_term_failure', 4);
      await new Promise((r) => setTimeout(r, 2500)); // written straight to the store: picked up by the reload every second
      const ingest = (ip: string) =>
        sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'auth', event_type: 'fault_term_failure', source_ip: ip } });

      for (let i = 0; i < 2; i++) assert.equal((await ingest('203.0.113.7')).statusCode, 201);
      await waitUntil(async () => (await lagEvents(db)) === 0, 20_000, 'the first events to be correlated');

      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [`siem:${schema}`],
      );
      assert.ok(rows[0]!.n >= 1, 'the server held sessions');

      // The store answers again through fresh connections; ingest and correlation go on.
      await waitUntil(async () => (await ingest('203.0.113.7')).statusCode === 201, 20_000, 'ingest to work again');
      assert.equal((await ingest('203.0.113.7')).statusCode, 201);
      await waitUntil(async () => (await alertCounts(db, ruleId)).alerts >= 1, 20_000, 'the alert');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(await alertCounts(db, ruleId), { alerts: 1, groups: 1 }, 'the windows survived: one alert');
      await waitUntil(async () => (await sys.app.inject({ method: 'GET', url: '/health' })).statusCode === 200, 20_000, 'health');
    } finally {
      await admin.end();
      await sys.stop();
    }
  });
});
