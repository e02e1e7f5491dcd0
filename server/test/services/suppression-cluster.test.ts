// Suppression across processes: two servers share a PostgreSQL schema (and Redis) and split
// the correlation partitions; a rule grouped by source address and suppressed by host fires
// in both processes for one host. Whichever process stores first raises the alert; every
// other firing, from either process, is counted on it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { partitionOf } from '../../src/engine/correlation/partition.ts';
import { DATABASE_URL, REDIS_URL, skipWithoutPostgres, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { waitFor } from '../helpers/detection.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';

describe('suppression with two correlating processes', () => {
  it('raises one alert per host and counts the firings of both processes on it', { skip: skipWithoutPostgres || skipWithoutRedis }, async () => {
    const shared = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('sup').toLowerCase(), REDIS_URL: REDIS_URL!, REDIS_PREFIX: `${uniqueName('sup')}:`, RATELIMIT_DEFAULT: '' };
    const a = await startTestSystem(shared);
    await waitFor(async () => a.deps.detection.isLeader());
    const b = await startTestSystem(shared);
    try {
      await waitFor(async () => a.deps.detection.partitions().length === 8 && b.deps.detection.partitions().length === 8, 20_000);
      const h = { authorization: `Bearer ${await registerUser(a.app, { role: 'engineer' })}` };
      // Cooldown 0: the cooldown is per source address, and would hold back each source's second host.
      const created = await a.app.inject({
        method: 'POST', url: '/v1/rules', headers: h,
        payload: { name: 'db logins', rule_type: 'single', severity: 'high', conditions: { event_filter: { event_type: 'db_login' }, group_by: 'source_ip' }, cooldown_seconds: 0, suppression: { fields: ['hostname'], duration_seconds: 3600 } },
      });
      assert.equal(created.statusCode, 201, created.body);
      const ruleId = created.json().id as string;
      // Sources whose groups fall in partitions of both processes.
      const ownedByA = new Set(a.deps.detection.partitions());
      const ips = Array.from({ length: 40 }, (_, i) => `203.0.113.${i + 1}`);
      const inA = ips.filter((ip) => ownedByA.has(partitionOf(ruleId, ip))).slice(0, 6);
      const inB = ips.filter((ip) => !ownedByA.has(partitionOf(ruleId, ip))).slice(0, 6);
      assert.equal(inA.length + inB.length, 12);
      await new Promise((r) => setTimeout(r, 1000));
      const t0 = Date.now() - 60_000;
      const sources = [...inA, ...inB];
      await Promise.all(sources.flatMap((ip, i) => ['db-1', 'db-2'].map((host) =>
        b.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic', event_type: 'db_login', source_ip: ip, hostname: host, timestamp: new Date(t0 + i * 1000).toISOString() } }))));
      const list = async () => (await a.app.inject({ method: 'GET', url: `/v1/alerts?rule_id=${ruleId}`, headers: h })).json() as { items: { occurrences: number; suppression_key: string }[] };
      await waitFor(async () => (await list()).items.reduce((n, x) => n + x.occurrences, 0) === 24, 20_000).catch(async (err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify((await list()).items)} a=${JSON.stringify(a.deps.detection.stats())} b=${JSON.stringify(b.deps.detection.stats())}`);
      });
      const items = (await list()).items;
      assert.deepEqual(items.map((x) => [x.suppression_key, x.occurrences]).sort(), [['{"hostname":"db-1"}', 12], ['{"hostname":"db-2"}', 12]]);
      assert.equal(a.deps.detection.stats().alerts + b.deps.detection.stats().alerts, 2, 'two alerts raised in all');
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
