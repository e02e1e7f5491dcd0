// Correlation falls behind by far more than the bus stream keeps (30 times STREAM_MAXLEN):
// /health degrades with the reason and the metrics show the lag; once correlation runs
// again it catches up from the store and raises every expected alert, once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_URL, REDIS_URL, skipWithoutPostgres, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { metric, waitUntil } from '../helpers/processes.ts';
import { startTestSystem } from '../helpers/system.ts';
import { alertCounts, attackEvents, dropShared, insertBruteForceRule, lagEvents } from './fault-kit.ts';

const ATTACKS = 150;
const PER_ATTACK = 20;

const variants: [string, () => Record<string, string>, string | false][] = [
  ['PGlite and the memory bus', () => ({}), false],
  ['PostgreSQL and Redis', () => {
    const name = uniqueName('lag').toLowerCase();
    return { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: name, REDIS_URL: REDIS_URL!, REDIS_PREFIX: `${name}:` };
  }, skipWithoutPostgres || skipWithoutRedis],
];

for (const [name, env, skip] of variants) {
  describe(`correlation lag beyond the stream length on ${name}`, { skip }, () => {
    it('degrades /health while behind, then catches up from the store with every alert', { timeout: 180_000 }, async () => {
      const extra = env();
      const sys = await startTestSystem({ ...extra, STREAM_MAXLEN: '100', CORRELATION_MAX_LAG_SECONDS: '1', BULK_MAX_EVENTS: '10000' });
      try {
        const { db, detection, correlationHealth } = sys.deps;
        await waitUntil(() => detection.state() === 'running', 20_000, 'leadership');
        const ruleId = await insertBruteForceRule(db, 'fault_lag_failure', PER_ATTACK);
        await detection.stop(); // correlation stalls (an overloaded or dead correlating process)

        const events = attackEvents('fault_lag_failure', ATTACKS, PER_ATTACK, Date.now() - 300_000);
        for (let i = 0; i < events.length; i += 1000) {
          const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: events.slice(i, i + 1000) });
          assert.equal(res.statusCode, 201);
        }
        assert.equal(await lagEvents(db), ATTACKS * PER_ATTACK);
        await new Promise((r) => setTimeout(r, 1200));
        await correlationHealth.refresh();
        const health = await sys.app.inject({ method: 'GET', url: '/health' });
        assert.equal(health.statusCode, 503);
        assert.match(health.json().message, /correlation behind: .* \(3000 waiting\)/);
        const metrics = (await sys.app.inject({ method: 'GET', url: '/metrics' })).body;
        assert.equal(metric(metrics, 'siem_correlation_lag_events'), ATTACKS * PER_ATTACK);
        assert.equal(metric(metrics, 'siem_correlation_healthy'), 0);

        detection.start();
        await waitUntil(async () => (await lagEvents(db)) === 0, 120_000, 'correlation to catch up');
        const counts = await alertCounts(db, ruleId);
        console.log(`# lag of ${events.length} events (30x the stream length) on ${name}: ${ATTACKS} alerts expected, ${counts.alerts} raised`);
        assert.deepEqual(counts, { alerts: ATTACKS, groups: ATTACKS });
        await correlationHealth.refresh();
        assert.equal((await sys.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      } finally {
        await sys.stop();
        await dropShared({ redisUrl: extra.REDIS_URL, prefix: extra.REDIS_PREFIX });
      }
    });
  });
}
