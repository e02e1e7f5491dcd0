// Two real server processes on PostgreSQL and Redis: the one correlating is killed with
// SIGKILL between the halves of 40 brute-force attacks; the other takes correlation over,
// rebuilds the open windows from the store and raises each attack's alert exactly once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../src/store/db.ts';
import { DATABASE_URL, REDIS_URL, skipWithoutPostgres, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { metric, startServer, waitUntil } from '../helpers/processes.ts';
import { alertCounts, attackEvents, bulk, dropShared, insertBruteForceRule, lagEvents } from './fault-kit.ts';

const ATTACKS = 40;

describe('SIGKILL of the correlating process', { skip: skipWithoutPostgres || skipWithoutRedis }, () => {
  it('the standby takes over and each attack straddling the kill raises exactly one alert', { timeout: 240_000 }, async () => {
    const schema = uniqueName('kill').toLowerCase();
    const env = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, REDIS_URL: REDIS_URL!, REDIS_PREFIX: `${schema}:`, CORRELATION_RULE_CACHE_SECONDS: '1' };
    const first = await startServer(env);
    const second = await startServer(env);
    const db = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema, poolSize: 2 });
    try {
      const isLeader = async (base: string) => metric(await (await fetch(`${base}/metrics`)).text(), 'siem_correlation_leader') === 1;
      await waitUntil(async () => (await isLeader(first.base)) !== (await isLeader(second.base)), 30_000, 'one leader');
      const [leader, standby] = (await isLeader(first.base)) ? [first, second] : [second, first];
      const ruleId = await insertBruteForceRule(db, 'fault_kill_failure', 6);
      await new Promise((r) => setTimeout(r, 2500)); // the leader reloads rules every second

      const t = Date.now() - 120_000;
      assert.deepEqual([...new Set(await bulk(standby.base, attackEvents('fault_kill_failure', ATTACKS, 3, t)))], [201]);
      await waitUntil(async () => (await lagEvents(db)) === 0, 30_000, 'the first halves to be correlated');
      assert.equal((await alertCounts(db, ruleId)).alerts, 0, 'no attack is complete yet');

      await leader.kill();
      assert.deepEqual([...new Set(await bulk(standby.base, attackEvents('fault_kill_failure', ATTACKS, 3, t + 10_000)))], [201]);
      await waitUntil(() => isLeader(standby.base), 30_000, 'the standby to take over');
      await waitUntil(async () => (await lagEvents(db)) === 0, 60_000, 'the second halves to be correlated');

      const counts = await alertCounts(db, ruleId);
      console.log(`# takeover after SIGKILL: ${ATTACKS} attacks expected, ${counts.alerts} alerts raised over ${counts.groups} sources`);
      assert.deepEqual(counts, { alerts: ATTACKS, groups: ATTACKS });
      assert.equal((await fetch(`${standby.base}/health`)).status, 200);
    } finally {
      await first.kill();
      await second.kill();
      await db.close();
      await dropShared({ databaseUrl: DATABASE_URL, schema, redisUrl: REDIS_URL, prefix: `${schema}:` });
    }
  });
});
