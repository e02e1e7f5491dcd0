// A private redis-server is killed (SIGKILL) in the middle of attacks and restarted empty
// on the same port: ingest goes on without stalling while it is down, correlation (which
// reads the store) misses nothing, /health says the bus is down and recovers by itself, and
// the events stored meanwhile are published on the new stream once it is back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { freePort, startRedis, waitUntil } from '../helpers/processes.ts';
import { startTestSystem } from '../helpers/system.ts';
import { alertCounts, attackEvents, insertBruteForceRule, lagEvents } from './fault-kit.ts';

const ATTACKS = 10;

describe('Redis killed and restarted empty', () => {
  it('loses no correlation, does not stall ingest, and republishes what the bus missed', { timeout: 120_000 }, async (t) => {
    let redis;
    try {
      redis = await startRedis(await freePort());
    } catch (err) {
      t.skip(`redis-server cannot run here: ${(err as Error).message}`);
      return;
    }
    const url = `redis://127.0.0.1:${redis.port}`;
    const sys = await startTestSystem({ REDIS_URL: url, REDIS_PREFIX: 'fault:', CORRELATION_RULE_CACHE_SECONDS: '1' });
    try {
      const { db, detection } = sys.deps;
      await waitUntil(() => detection.state() === 'running', 20_000, 'leadership');
      const ruleId = await insertBruteForceRule(db, 'fault_redis_failure', 6);
      detection.rulesChanged();
      const base = Date.now() - 60_000;
      const send = async (events: object[]) => {
        const started = performance.now();
        const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: events });
        return { status: res.statusCode, ms: performance.now() - started };
      };

      assert.equal((await send(attackEvents('fault_redis_failure', ATTACKS, 2, base))).status, 201);
      await redis.kill();
      const during: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await send(attackEvents('fault_redis_failure', ATTACKS, 1, base + 10_000 + i * 1000));
        assert.equal(r.status, 201, 'ingest keeps acknowledging while the bus is down');
        during.push(r.ms);
      }
      await waitUntil(async () => (await sys.app.inject({ method: 'GET', url: '/health' })).statusCode === 503, 10_000, 'health to report the bus');
      await waitUntil(async () => (await alertCounts(db, ruleId)).alerts === ATTACKS, 20_000, 'alerts raised while Redis is down');

      redis = await startRedis(redis.port);
      assert.equal((await send(attackEvents('fault_redis_failure', ATTACKS, 1, base + 20_000))).status, 201);
      await waitUntil(async () => (await lagEvents(db)) === 0, 20_000, 'correlation to catch up');
      await waitUntil(async () => (await sys.app.inject({ method: 'GET', url: '/health' })).statusCode === 200, 20_000, 'health to recover');
      // What was stored while Redis was down reaches the new stream (outbox drained).
      const client = new Redis(url);
      try {
        await waitUntil(async () => (await client.xlen('fault:logs')) >= ATTACKS * 5, 20_000, 'the parked events on the new stream');
      } finally {
        client.disconnect();
      }
      const counts = await alertCounts(db, ruleId);
      console.log(`# redis restart: ${ATTACKS} alerts expected, ${counts.alerts} raised; ingest while down took ${during.map((ms) => Math.round(ms)).join(', ')} ms per bulk`);
      assert.deepEqual(counts, { alerts: ATTACKS, groups: ATTACKS }, 'each attack alerted exactly once');
    } finally {
      await sys.stop();
      await redis.kill();
    }
  });
});
