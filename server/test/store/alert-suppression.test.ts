// Suppression decided in the store: a repeat of an open alert's (rule, key) within the
// duration is counted on it; another key, a repeat after the duration or after the alert
// was resolved raises a new alert; a redelivered firing counts nothing; concurrent
// persisters (transactions of one store, or two stores on one PostgreSQL schema) raise
// one alert per key. On PGlite and on the PostgreSQL server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../src/store/db.ts';
import type { Db } from '../../src/store/db.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createAlertSuppressionRepo } from '../../src/store/alert-suppression-repo.ts';
import type { SuppressedFiring } from '../../src/store/alert-suppression-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { DATABASE_URL, skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const MINUTE = 60_000;

let serial = 0;
function firing(ruleId: string, key: Record<string, string | null>, atMs: number, ids: string[] = [newObjectId()]): SuppressedFiring {
  return {
    id: newObjectId(), firing_key: `${ruleId}:g:${++serial}`, rule_id: ruleId, rule_name: 'r', severity: 'high', title: 'r [g]',
    matched_event_ids: ids, matched_event_count: ids.length, group_value: 'g', mitre_tactic: null, mitre_technique: null,
    firedAtMs: atMs, suppression_key: JSON.stringify(key), durationMs: 10 * MINUTE,
  };
}

async function persist(db: Db, f: SuppressedFiring) {
  const suppression = createAlertSuppressionRepo(createAlertsRepo(db));
  return db.transaction(async (tx) => {
    await suppression.lockKeys(tx, [{ rule_id: f.rule_id, key: f.suppression_key }]);
    return suppression.record(tx, f, 1000);
  });
}

async function alertsOf(db: Db, ruleId: string) {
  const { items } = await createAlertsRepo(db).list({ rule_id: ruleId }, 0, 100);
  return items;
}

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`alert suppression on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let schema: string | undefined;
    let drop: () => Promise<void>;
    before(async () => ({ db, schema, drop } = await openTestDb(kind)));
    after(async () => drop());

    it('counts repeats within the duration on the open alert instead of raising new ones', async () => {
      const rule = newObjectId();
      const key = { source_ip: '10.0.0.1' };
      const first = await persist(db, firing(rule, key, T0, ['a'.repeat(24)]));
      assert.equal(first.kind, 'created');
      const second = await persist(db, firing(rule, key, T0 + 5 * MINUTE, ['a'.repeat(24), 'b'.repeat(24)]));
      const third = await persist(db, firing(rule, key, T0 + 14 * MINUTE, ['c'.repeat(24)]));
      assert.equal(second.kind, 'counted');
      assert.equal(third.kind, 'counted', 'within the duration of the last sighting, not of the first');
      const [alert, ...others] = await alertsOf(db, rule);
      assert.equal(others.length, 0);
      assert.equal(alert!.occurrences, 3);
      assert.equal(alert!.last_seen_at, new Date(T0 + 14 * MINUTE).toISOString());
      assert.equal(alert!.fired_at, new Date(T0).toISOString());
      assert.deepEqual(alert!.matched_event_ids, ['a'.repeat(24), 'b'.repeat(24), 'c'.repeat(24)]);
      assert.equal(alert!.matched_event_count, 3, 'an event of overlapping windows counts once');
      assert.equal(alert!.suppression_key, JSON.stringify(key));
      assert.ok(alert!.updated_at >= alert!.created_at, 'a repeat moves updated_at forward');
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_history WHERE alert_id = $1', [alert!.id]);
      assert.equal(Number(rows[0]!.n), 1, 'repeats leave the status history alone');
      const late = await persist(db, firing(rule, key, T0 + 2 * MINUTE));
      assert.equal(late.kind, 'counted');
      assert.equal((await alertsOf(db, rule))[0]!.last_seen_at, new Date(T0 + 14 * MINUTE).toISOString(), 'a late firing never moves last_seen back');
    });

    it('raises a new alert for another key, after the duration, and after the alert was resolved', async () => {
      const rule = newObjectId();
      const alerts = createAlertsRepo(db);
      const a = await persist(db, firing(rule, { source_ip: '10.0.0.1' }, T0));
      assert.equal((await persist(db, firing(rule, { source_ip: '10.0.0.2' }, T0 + MINUTE))).kind, 'created', 'another key');
      assert.equal((await persist(db, firing(rule, { source_ip: null }, T0 + MINUTE))).kind, 'created', 'a missing value is a key of its own');
      assert.equal((await persist(db, firing(newObjectId(), { source_ip: '10.0.0.1' }, T0 + MINUTE))).kind, 'created', 'another rule');
      const expired = await persist(db, firing(rule, { source_ip: '10.0.0.1' }, T0 + 11 * MINUTE));
      assert.equal(expired.kind, 'created', 'the duration passed since the alert was last seen');
      assert.ok(a.kind === 'created' && expired.kind === 'created');
      assert.equal((await persist(db, firing(rule, { source_ip: '10.0.0.1' }, T0 + 12 * MINUTE))).kind, 'counted');
      await alerts.changeStatus(expired.alert.id, { status: 'resolved', notes: null, by: 'ana', nowMs: T0 + 13 * MINUTE });
      const afterResolve = await persist(db, firing(rule, { source_ip: '10.0.0.1' }, T0 + 13 * MINUTE));
      assert.equal(afterResolve.kind, 'created', 'a resolved alert counts nothing more');
      // The first alert is still open but was last seen more than the duration ago.
      const counts = (await alertsOf(db, rule)).map((x) => x.occurrences).sort();
      assert.deepEqual(counts, [1, 1, 1, 1, 2]);
    });

    it('counts a redelivered firing once', async () => {
      const rule = newObjectId();
      const key = { username: 'root' };
      const first = firing(rule, key, T0);
      const repeat = firing(rule, key, T0 + MINUTE);
      await persist(db, first);
      assert.equal((await persist(db, repeat)).kind, 'counted');
      assert.equal((await persist(db, { ...repeat, id: newObjectId() })).kind, 'duplicate');
      assert.equal((await persist(db, { ...first, id: newObjectId() })).kind, 'duplicate', 'the firing that raised the alert');
      assert.equal((await alertsOf(db, rule))[0]!.occurrences, 2);
    });

    it('twenty concurrent persisters of one key raise one alert and count the rest', async () => {
      const rule = newObjectId();
      const key = { source_ip: '192.0.2.9', username: 'admin' };
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => persist(db, firing(rule, key, T0 + i * 1000))));
      assert.equal(outcomes.filter((o) => o.kind === 'created').length, 1);
      assert.equal(outcomes.filter((o) => o.kind === 'counted').length, 19);
      const list = await alertsOf(db, rule);
      assert.equal(list.length, 1);
      assert.equal(list[0]!.occurrences, 20);
    });

    it('two stores on one schema (two processes) raise one alert per key', { skip: kind === 'pglite' ? 'one process per embedded store' : false }, async () => {
      const other = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema: schema!, poolSize: 4 });
      try {
        const rule = newObjectId();
        const keys = [{ hostname: 'web-1' }, { hostname: 'web-2' }];
        // Each firing names both keys in opposite orders across the stores: the sorted lock order keeps them deadlock-free.
        const outcomes = await Promise.all(Array.from({ length: 24 }, (_, i) => {
          const store = i % 2 === 0 ? db : other;
          const suppression = createAlertSuppressionRepo(createAlertsRepo(store));
          const batch = [firing(rule, keys[i % 2]!, T0 + i * 1000), firing(rule, keys[(i + 1) % 2]!, T0 + i * 1000)];
          return store.transaction(async (tx) => {
            await suppression.lockKeys(tx, batch.map((f) => ({ rule_id: f.rule_id, key: f.suppression_key })));
            const out = [];
            for (const f of batch) out.push(await suppression.record(tx, f, 1000));
            return out;
          });
        }));
        const flat = outcomes.flat();
        assert.equal(flat.filter((o) => o.kind === 'created').length, 2);
        assert.equal(flat.filter((o) => o.kind === 'counted').length, 46);
        const list = await alertsOf(db, rule);
        assert.deepEqual(list.map((a) => a.occurrences), [24, 24]);
      } finally {
        await other.close();
      }
    });
  });
}
