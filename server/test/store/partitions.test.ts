// Events partitioned by day, on embedded PGlite and on the PostgreSQL server: the upgrade
// of a populated unpartitioned table, partition maintenance, pruning of time-range
// queries, retention (what it drops and what it keeps), alert snapshots of expired events,
// and maintenance run by two processes at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import pino from 'pino';
import type { Db, Queryable } from '../../src/store/db.ts';
import { openDb } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { createEventsRepo } from '../../src/store/events-repo.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { createRollupsRepo } from '../../src/store/rollups-repo.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createPartitionsRepo } from '../../src/store/partitions-repo.ts';
import { createRetentionService } from '../../src/services/retention.ts';
import { createAlertService } from '../../src/services/alerts.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

const log = pino({ level: 'silent' });
const NOW = Date.parse('2026-03-10T12:00:00Z');

function event(iso: string, over: Partial<NewEvent> = {}): NewEvent {
  const timeMs = Date.parse(iso);
  return {
    id: newObjectId(timeMs), timeMs, fields: null, source_type: 'auth', severity: 'medium', event_type: 'login_failure',
    source_ip: '192.0.2.1', dest_ip: null, source_port: null, dest_port: 22, hostname: 'web-1', username: 'alice',
    mitre_tactic: null, mitre_technique: null, message: 'Failed password for alice', raw: { line: 'x' }, normalized: { result: 'failure' },
    metadata: {}, scenario_run_id: null, createdAtMs: timeMs, ...over,
  };
}

async function insert(db: Db, events: NewEvent[], opts: { rollups?: boolean } = {}): Promise<void> {
  const repo = createEventsRepo(db);
  const rollups = createRollupsRepo(db);
  await db.transaction(async (tx) => {
    await repo.insertMany(tx, events);
    if (opts.rollups !== false) await rollups.applyBatch(tx, events);
  });
}

/** The partition holding each event id. */
async function placement(db: Queryable): Promise<Map<string, string>> {
  return new Map([...(await placementWithTime(db))].map(([id, p]) => [id, p.part]));
}

async function placementWithTime(db: Queryable): Promise<Map<string, { part: string; tsMs: number }>> {
  const { rows } = await db.query<{ id: string; part: string; ts: Date }>('SELECT id, tableoid::regclass::text AS part, ts FROM log_events');
  return new Map(rows.map((r) => [r.id, { part: r.part.replace(/^.*\./, ''), tsMs: new Date(r.ts).getTime() }]));
}

/** Every relation an EXPLAIN (FORMAT JSON) plan reads. */
function relations(plan: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(plan)) for (const p of plan) relations(p, out);
  else if (plan && typeof plan === 'object') {
    for (const [k, v] of Object.entries(plan)) {
      if (k === 'Relation Name' && typeof v === 'string') out.add(v);
      else relations(v, out);
    }
  }
  return out;
}

async function explainRange(db: Queryable, fromIso: string, toIso: string): Promise<string[]> {
  // The shape of the repositories' range filters (parameters, not literals).
  const { rows } = await db.query<Record<string, unknown>>(
    'EXPLAIN (FORMAT JSON) SELECT id FROM log_events WHERE ts >= $1 AND ts < $2 ORDER BY ts DESC, seq DESC LIMIT 50',
    [fromIso, toIso],
  );
  const raw = Object.values(rows[0]!)[0];
  return [...relations(typeof raw === 'string' ? JSON.parse(raw) : raw)].sort();
}

async function openFresh(kind: StoreKind): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDb({ dataDir: ':memory:' });
    return { db, drop: () => db.close() };
  }
  const schema = uniqueName('tp').toLowerCase();
  const db = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema, poolSize: 4 });
  return {
    db,
    async drop() {
      await db.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`event partitions on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    it('upgrading a populated unpartitioned table keeps every row, its id, seq and tx_id, and the (tx_id, seq) order', async () => {
      const { db, drop } = await openFresh(kind);
      try {
        const all = loadMigrations();
        await migrate(db, all.filter((m) => m.version < '011'));
        // Three transactions: three tx_ids, the correlation cursor's order.
        const ids: string[] = [];
        for (let t = 0; t < 3; t++) {
          await db.transaction(async (tx) => {
            for (let i = 0; i < 4; i++) {
              const id = newObjectId(Date.parse('2026-01-05T00:00:00Z') + t * 10 + i);
              ids.push(id);
              // Event times out of order with seq: the cursor order must not come from ts.
              await tx.query(
                `INSERT INTO log_events (id, ts, source_type, severity, message, raw, normalized, fields) VALUES ($1, $2, 'auth', 'low', 'm', '{"a":1}', $3, $4)`,
                [id, new Date(Date.parse('2026-03-09T10:00:00Z') - (t * 4 + i) * 3_600_000).toISOString(), JSON.stringify({ n: i }), JSON.stringify({ 'x.y': t })],
              );
            }
          });
        }
        await db.query(
          `INSERT INTO alerts (id, firing_key, rule_id, rule_name, severity, title, matched_event_ids, matched_event_count, fired_at)
           VALUES ('a00000000000000000000001', 'k', 'r00000000000000000000001', 'R', 'high', 'R', $1, 1, now())`,
          [[ids[0]]],
        );
        await db.query(`INSERT INTO alert_events (event_id, alert_id) VALUES ($1, 'a00000000000000000000001')`, [ids[0]]);
        const snapshotOf = `SELECT id, seq::text, tx_id::text, ts, fields, normalized FROM log_events ORDER BY tx_id, seq`;
        const before = (await db.query(snapshotOf)).rows;
        assert.equal(before.length, 12);

        assert.deepEqual(await migrate(db), all.filter((m) => m.version >= '011').map((m) => m.version));
        assert.deepEqual((await db.query(snapshotOf)).rows, before);
        const { rows: kindRows } = await db.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = 'log_events'::regclass`);
        assert.equal(kindRows[0]!.relkind, 'p');
        const { rows: idx } = await db.query<{ indexname: string }>(
          `SELECT indexname FROM pg_indexes WHERE tablename = 'log_events' AND schemaname = current_schema() ORDER BY indexname`,
        );
        // (log_events_search_idx belongs to migration 013, tested with search.)
        assert.deepEqual(idx.map((r) => r.indexname).filter((n) => n !== 'log_events_search_idx'), [
          'log_events_cursor_idx', 'log_events_dest_ip_idx', 'log_events_event_type_idx', 'log_events_hostname_idx', 'log_events_pkey',
          'log_events_scenario_run_idx', 'log_events_severity_idx', 'log_events_source_ip_idx', 'log_events_source_type_idx',
          'log_events_ts_idx', 'log_events_username_idx',
        ]);
        // seq keeps growing from the same sequence; a new row's tx_id comes after the old ones.
        await insert(db, [event('2026-03-09T11:00:00Z')]);
        const oldMaxSeq = Math.max(...before.map((r) => Number(r.seq)));
        const { rows: last } = await db.query<{ n: string; newest: boolean }>(
          `SELECT e.seq::text AS n, e.tx_id > (SELECT max(tx_id) FROM log_events WHERE seq <= $1) AS newest FROM log_events e ORDER BY e.seq DESC LIMIT 1`,
          [oldMaxSeq],
        );
        assert.equal(Number(last[0]!.n), oldMaxSeq + 1);
        assert.equal(last[0]!.newest, true);
        // The existing alert got the snapshot of its event.
        const { rows: snap } = await db.query<{ snapshot: Record<string, unknown> }>('SELECT snapshot FROM alert_events');
        assert.equal(snap[0]!.snapshot.id, ids[0]);
        assert.equal(snap[0]!.snapshot.message, 'm');
        assert.deepEqual(snap[0]!.snapshot.normalized, { n: 0 });
      } finally {
        await drop();
      }
    });

    describe('with a migrated store', () => {
      let db: Db;
      let drop: () => Promise<void>;
      before(async () => {
        ({ db, drop } = await openTestDb(kind));
      });
      after(async () => drop());

      it('maintenance prepares yesterday to three days ahead, moves their rows out of DEFAULT, leaves other days there, and a second run does nothing', async () => {
        const early = [event('2026-03-09T08:00:00Z'), event('2026-03-09T23:59:59.999Z'), event('2026-03-01T08:00:00Z'), event('2026-03-14T00:00:00Z')];
        await insert(db, early);
        const retention = createRetentionService({ partitions: createPartitionsRepo(db), log, retentionDays: 0, clock: () => NOW });
        const first = await retention.runOnce();
        assert.deepEqual(first, { created: ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'], movedRows: 2, dropped: [], deletedDefaultRows: 0 });
        const where = await placement(db);
        assert.equal(where.get(early[0]!.id), 'log_events_p20260309');
        assert.equal(where.get(early[1]!.id), 'log_events_p20260309');
        assert.equal(where.get(early[2]!.id), 'log_events_default');
        assert.equal(where.get(early[3]!.id), 'log_events_default');
        assert.deepEqual(await retention.runOnce(), { created: [], movedRows: 0, dropped: [], deletedDefaultRows: 0 });
        const later = event('2026-03-11T00:00:00Z');
        await insert(db, [later]);
        assert.equal((await placement(db)).get(later.id), 'log_events_p20260311');
        // The partitions carry the parent's indexes.
        const count = async (table: string) =>
          Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = $1 AND schemaname = current_schema()`, [table])).rows[0]!.n);
        assert.ok((await count('log_events')) >= 11);
        assert.equal(await count('log_events_p20260311'), await count('log_events'));
      });

      it('a time-range query reads only the partitions of its days (EXPLAIN)', async () => {
        assert.deepEqual(await explainRange(db, '2026-03-10T00:00:00Z', '2026-03-10T12:00:00Z'), ['log_events_p20260310']);
        assert.deepEqual(await explainRange(db, '2026-03-09T18:00:00Z', '2026-03-11T06:00:00Z'), ['log_events_p20260309', 'log_events_p20260310', 'log_events_p20260311']);
        // Days without a partition of their own are in DEFAULT only.
        assert.deepEqual(await explainRange(db, '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z'), ['log_events_default']);
        // And the repository's own range listing answers from them.
        const events = createEventsRepo(db);
        const listed = await events.list({ sinceMs: Date.parse('2026-03-09T00:00:00Z'), untilMs: Date.parse('2026-03-10T00:00:00Z') }, 0, 10);
        assert.equal(listed.length, 2);
      });

      it('retention drops the partitions entirely past the cutoff and old DEFAULT rows in batches, and keeps newer events, rollups, alerts and their snapshots', async () => {
        const partitions = createPartitionsRepo(db);
        for (const d of ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']) await partitions.ensureDay(d);
        const perDay = ['03', '04', '05', '06', '07', '08', '09', '10'].map((d) => event(`2026-03-${d}T06:00:00Z`, { message: `day ${d}` }));
        const oldDefault = Array.from({ length: 5 }, (_, i) => event(`2026-02-0${i + 1}T06:00:00Z`));
        const farFuture = event('2027-01-01T00:00:00Z');
        await insert(db, [...perDay, ...oldDefault, farFuture]);

        // An alert on an event of a day that will be dropped, with a large normalized document.
        const alertsRepo = createAlertsRepo(db);
        const doomed = event('2026-03-04T07:00:00Z', {
          severity: 'high', username: 'mallory', source_ip: '203.0.113.9', mitre_technique: 'T1110',
          normalized: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v'.repeat(400)])),
        });
        const kept = event('2026-03-09T07:00:00Z', { severity: 'high', username: 'mallory' });
        await insert(db, [doomed, kept]);
        const alertId = newObjectId(NOW);
        await db.transaction(async (tx) => {
          await alertsRepo.insertFiring(tx, {
            id: alertId, firing_key: `k-${alertId}`, rule_id: newObjectId(NOW), rule_name: 'Brute force', severity: 'high', title: 'Brute force [mallory]',
            matched_event_ids: [doomed.id, kept.id], matched_event_count: 2, group_value: 'mallory', mitre_tactic: null, mitre_technique: 'T1110', firedAtMs: NOW,
          });
          await alertsRepo.linkEvents(tx, alertId, [doomed.id, kept.id]);
        });

        const rollups = createRollupsRepo(db);
        const totalsBefore = await rollups.severityTotals();
        const timelineBefore = await rollups.timeline(Date.parse('2026-02-01T00:00:00Z'), Date.parse('2026-03-11T00:00:00Z'), 60);
        const before = await placementWithTime(db);

        const retention = createRetentionService({ partitions, log, retentionDays: 3, clock: () => NOW, deleteBatch: 2 });
        const run = await retention.runOnce();
        // Cutoff 2026-03-07T12:00Z: days ending by then go; 03-07 straddles it and stays.
        const cutoffMs = Date.parse('2026-03-07T12:00:00Z');
        const droppedParts = new Set(['log_events_p20260303', 'log_events_p20260304', 'log_events_p20260305', 'log_events_p20260306']);
        const goneIds = [...before].filter(([, p]) => droppedParts.has(p.part) || (p.part === 'log_events_default' && p.tsMs < cutoffMs)).map(([id]) => id);
        for (const e of [...perDay.slice(0, 4), ...oldDefault, doomed]) assert.ok(goneIds.includes(e.id));
        assert.deepEqual(run, { created: [], movedRows: 0, dropped: ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'], deletedDefaultRows: goneIds.filter((id) => before.get(id)!.part === 'log_events_default').length });
        const afterRun = await placement(db);
        for (const [id, p] of before) {
          if (goneIds.includes(id)) assert.equal(afterRun.has(id), false, `${id} (${p.part}) should be gone`);
          else assert.equal(afterRun.get(id), p.part, `${id} should be kept where it was`);
        }
        assert.ok(afterRun.size > 0 && afterRun.size === before.size - goneIds.length);
        assert.equal(afterRun.get(farFuture.id), 'log_events_default');
        assert.deepEqual((await partitions.list()).map((p) => p.day), ['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
        assert.deepEqual(await rollups.severityTotals(), totalsBefore);
        assert.deepEqual(await rollups.timeline(Date.parse('2026-02-01T00:00:00Z'), Date.parse('2026-03-11T00:00:00Z'), 60), timelineBefore);
        assert.equal((await alertsRepo.findById(alertId))?.matched_event_count, 2);
        assert.equal((await alertsRepo.history(alertId)).length, 1);

        // The alert still shows both events: the stored one, and the snapshot of the dropped one.
        const service = createAlertService({ alerts: alertsRepo, events: createEventsRepo(db), eventListMaxBytes: 1_048_576 });
        const detail = await service.get(alertId);
        assert.deepEqual(detail.matched_events.map((e) => e.id), [kept.id, doomed.id]);
        const live = detail.matched_events[0] as Record<string, unknown>;
        const expired = detail.matched_events[1] as Record<string, unknown>;
        assert.equal(live.expired, undefined);
        assert.equal(expired.expired, true);
        assert.equal(expired.timestamp, '2026-03-04T07:00:00.000Z');
        assert.equal(expired.username, 'mallory');
        assert.equal(expired.source_ip, '203.0.113.9');
        assert.equal(expired.mitre_technique, 'T1110');
        assert.equal(expired.message, 'Failed password for alice');
        assert.deepEqual(expired.matched_alert_ids, [alertId]);
        assert.deepEqual(expired.raw, {});
        // normalized past 4 KiB: its first 32 keys, values cut to 256 characters.
        const normalized = expired.normalized as Record<string, string>;
        assert.equal(expired.normalized_truncated, true);
        assert.equal(Object.keys(normalized).length, 32);
        assert.equal(normalized.k00!.length, 256);
        assert.equal(normalized.k40, undefined);

        // A second run has nothing left to do.
        assert.deepEqual(await retention.runOnce(), { created: [], movedRows: 0, dropped: [], deletedDefaultRows: 0 });
      });

      it('RETENTION_DAYS=0 keeps everything', async () => {
        await createPartitionsRepo(db).ensureDay('2020-01-01');
        const ancient = event('2020-01-01T05:00:00Z');
        await insert(db, [ancient, event('1999-01-01T00:00:00Z')]);
        const retention = createRetentionService({ partitions: createPartitionsRepo(db), log, retentionDays: 0, clock: () => NOW });
        assert.deepEqual(await retention.runOnce(), { created: [], movedRows: 0, dropped: [], deletedDefaultRows: 0 });
        assert.equal((await placement(db)).get(ancient.id), 'log_events_p20200101');
      });

      it('refuses a malformed day rather than build a table name from it', async () => {
        const partitions = createPartitionsRepo(db);
        for (const bad of ['2026-02-30', '2026-3-1', "2026-01-01'; DROP TABLE users; --", '']) {
          await assert.rejects(partitions.ensureDay(bad), /not a UTC day/);
        }
      });
    });
  });
}

describe('event partition maintenance from two processes at once (PostgreSQL)', { skip: skipWithoutPostgres }, () => {
  let db: Db;
  let schema: string | undefined;
  let drop: () => Promise<void>;
  before(async () => {
    ({ db, schema, drop } = await openTestDb('postgres'));
  });
  after(async () => drop());

  it('both run every step without an error, each day is created once, and concurrent inserts land', async () => {
    const other = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema, poolSize: 4 });
    try {
      const base = Date.parse('2026-06-01T12:00:00Z');
      let created = 0;
      for (let round = 0; round < 4; round++) {
        const clock = () => base + round * 86_400_000;
        const a = createRetentionService({ partitions: createPartitionsRepo(db), log, retentionDays: 2, clock, deleteBatch: 3 });
        const b = createRetentionService({ partitions: createPartitionsRepo(other), log, retentionDays: 2, clock, deleteBatch: 3 });
        // Writers keep inserting into the days being prepared and dropped meanwhile.
        const day = new Date(clock()).toISOString().slice(0, 10);
        const writes = Array.from({ length: 4 }, (_, i) =>
          insert(i % 2 ? db : other, [event(`${day}T0${i}:00:00Z`), event(`2026-05-0${round + 1}T00:00:00Z`)], { rollups: false }),
        );
        const runs = await Promise.all([a.runOnce(), b.runOnce(), ...writes]);
        const [ra, rb] = runs as [Awaited<ReturnType<typeof a.runOnce>>, Awaited<ReturnType<typeof b.runOnce>>];
        assert.equal(new Set([...ra.created, ...rb.created]).size, ra.created.length + rb.created.length, 'a day created twice');
        assert.equal(new Set([...ra.dropped, ...rb.dropped]).size, ra.dropped.length + rb.dropped.length, 'a day dropped twice');
        created += ra.created.length + rb.created.length;
      }
      // Rounds 0..3: days May 31 .. June 7, each created once.
      assert.equal(created, 8);
      const days = (await createPartitionsRepo(db).list()).map((p) => p.day);
      // Retention of 2 days at the last round (June 4 12:00) drops days ending by June 2 12:00.
      assert.deepEqual(days, ['2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06', '2026-06-07']);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM log_events WHERE ts >= '2026-06-03'`);
      assert.equal(Number(rows[0]!.n), 8);
    } finally {
      await other.close();
    }
  });
});
