// Real server processes on PostgreSQL and Redis sharing the correlation partitions. Every
// attack is six failures from one source: two before a third process joins (it takes
// partitions from the other two), two after, and two sent while one process is killed with
// SIGKILL (the survivors take its partitions over and rebuild its open windows from the
// store). Each attack must raise exactly one alert, whoever held its partition when.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../src/store/db.ts';
import { DATABASE_URL, REDIS_URL, skipWithoutPostgres, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { metric, startServer, waitUntil } from '../helpers/processes.ts';
import { alertCounts, attackEvents, bulk, dropShared, insertBruteForceRule, lagEvents } from './fault-kit.ts';

const ATTACKS = 60;

/** Partitions a server process owns now, from its metrics (0 when it does not answer). */
async function owned(base: string): Promise<number> {
  try {
    return metric(await (await fetch(`${base}/metrics`)).text(), 'siem_correlation_partitions_owned');
  } catch {
    return 0;
  }
}

describe('correlation partitions across processes', { skip: skipWithoutPostgres || skipWithoutRedis }, () => {
  it('a process joining takes partitions and a SIGKILLed one is taken over; each attack raises exactly one alert', { timeout: 300_000 }, async () => {
    const schema = uniqueName('kill').toLowerCase();
    const env = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, REDIS_URL: REDIS_URL!, REDIS_PREFIX: `${schema}:`, CORRELATION_RULE_CACHE_SECONDS: '1' };
    const first = await startServer(env);
    const second = await startServer(env);
    let third: Awaited<ReturnType<typeof startServer>> | null = null;
    const db = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema, poolSize: 2 });
    try {
      await waitUntil(async () => (await owned(first.base)) === 8 && (await owned(second.base)) === 8, 30_000, 'two processes to own 8 partitions each');
      const ruleId = await insertBruteForceRule(db, 'fault_kill_failure', 6);
      await new Promise((r) => setTimeout(r, 2500)); // the processes reload rules every second
      const t = Date.now() - 120_000;
      const part = (k: number) => attackEvents('fault_kill_failure', ATTACKS, 2, t + k * 10_000);

      // Two failures per attack, spread over both processes.
      assert.deepEqual([...new Set(await bulk(first.base, part(0).slice(0, ATTACKS)))], [201]);
      assert.deepEqual([...new Set(await bulk(second.base, part(0).slice(ATTACKS)))], [201]);
      await waitUntil(async () => (await lagEvents(db)) === 0, 30_000, 'the first events to be correlated');

      // A third process joins: the partitions are split 6 / 5 / 5 without stopping anything.
      third = await startServer(env);
      const joined = third;
      await waitUntil(async () => {
        const shares = [await owned(first.base), await owned(second.base), await owned(joined.base)];
        return shares.reduce((a, b) => a + b, 0) === 16 && Math.min(...shares) >= 5;
      }, 30_000, 'the third process to take its share');
      assert.deepEqual([...new Set(await bulk(joined.base, part(1)))], [201]);
      await waitUntil(async () => (await lagEvents(db)) === 0, 30_000, 'the middle events to be correlated');
      assert.equal((await alertCounts(db, ruleId)).alerts, 0, 'no attack is complete yet');

      // The last two failures of every attack go to the survivors while the victim dies.
      const last = part(2);
      const sending = (async () => {
        for (let i = 0; i < last.length; i += 20) {
          const to = (i / 20) % 2 === 0 ? second.base : joined.base;
          assert.deepEqual([...new Set(await bulk(to, last.slice(i, i + 20)))], [201]);
        }
      })();
      const killedAt = Date.now();
      await first.kill();
      await sending;
      await waitUntil(async () => (await owned(second.base)) + (await owned(joined.base)) === 16, 60_000, 'the survivors to take every partition');
      const takeoverMs = Date.now() - killedAt;
      await waitUntil(async () => (await lagEvents(db)) === 0, 60_000, 'the last events to be correlated');

      const counts = await alertCounts(db, ruleId);
      console.log(`# partitions: ${ATTACKS} attacks expected, ${counts.alerts} alerts over ${counts.groups} sources; partitions taken over ${takeoverMs} ms after SIGKILL`);
      assert.deepEqual(counts, { alerts: ATTACKS, groups: ATTACKS });
      assert.equal((await fetch(`${second.base}/health`)).status, 200);
    } finally {
      await first.kill();
      await second.kill();
      await third?.kill();
      await db.close();
      await dropShared({ databaseUrl: DATABASE_URL, schema, redisUrl: REDIS_URL, prefix: `${schema}:` });
    }
  });
});
