// Shared pieces of the fault tests: a brute-force rule written straight into the store,
// attack events for it, bulk ingest over real HTTP, and alert counts read from the store.
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { START_CURSOR, createCorrelationRepo } from '../../src/store/correlation-repo.ts';

/** Threshold `threshold` failures of `eventType` per source address within 10 minutes. */
export async function insertBruteForceRule(db: Db, eventType: string, threshold: number): Promise<string> {
  const rule = await createRulesRepo(db).insert({
    id: newObjectId(), name: `fault ${eventType}`, description: '', rule_type: 'threshold', severity: 'high', enabled: true,
    conditions: { event_filter: { event_type: eventType }, threshold, window_seconds: 600, group_by: 'source_ip' },
    mitre_tactic: null, mitre_technique: null, cooldown_seconds: null, builtin_key: null,
  });
  return rule.id;
}

/** The address of attack number `n` (distinct for n < 65,536). */
export const attacker = (n: number): string => `10.${200 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;

/** `perAttack` failures for each of `attacks` sources, interleaved, at event time t (+1 ms each). */
export function attackEvents(eventType: string, attacks: number, perAttack: number, t: number, from = 0): object[] {
  const out: object[] = [];
  for (let i = 0; i < perAttack; i++) {
    for (let a = 0; a < attacks; a++) {
      out.push({ source_type: 'auth', event_type: eventType, source_ip: attacker(from + a), username: 'root', timestamp: new Date(t + out.length).toISOString() });
    }
  }
  return out;
}

/** POSTs events to /v1/logs/bulk in chunks; returns the answers' statuses. */
export async function bulk(base: string, events: object[], chunk = 500): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < events.length; i += chunk) {
    const res = await fetch(`${base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events.slice(i, i + chunk)) });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

/** Alerts of a rule: how many, and over how many distinct group values. */
export async function alertCounts(db: Db, ruleId: string): Promise<{ alerts: number; groups: number }> {
  const { rows } = await db.query<{ n: string; g: string }>(
    'SELECT count(*)::text AS n, count(DISTINCT group_value)::text AS g FROM alerts WHERE rule_id = $1',
    [ruleId],
  );
  return { alerts: Number(rows[0]?.n ?? 0), groups: Number(rows[0]?.g ?? 0) };
}

/** Stored events not yet correlated. */
export async function lagEvents(db: Db): Promise<number> {
  const repo = createCorrelationRepo(db);
  const cp = await repo.slowest();
  return (await repo.lag(cp?.cursor ?? START_CURSOR, 10_000_000)).events;
}

/** Drops a test's schema and Redis keys from the shared servers. */
export async function dropShared(opts: { databaseUrl?: string | undefined; schema?: string; redisUrl?: string | undefined; prefix?: string }): Promise<void> {
  if (opts.databaseUrl && opts.schema) {
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${opts.schema} CASCADE`);
    await client.end();
  }
  if (opts.redisUrl && opts.prefix) {
    const redis = new Redis(opts.redisUrl);
    const keys = await redis.keys(`${opts.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}
