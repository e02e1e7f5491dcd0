// The cluster reads on both stores: every partition listed whether or not it has a
// checkpoint, its lag equal to a plain count of the events after its cursor (and capped
// past the bound), members with their partitions, and pruning of long-dead members only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createClusterRepo } from '../../src/store/cluster-repo.ts';
import { createEventsRepo } from '../../src/store/events-repo.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import type { Db } from '../../src/store/db.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';

function event(i: number, t: number): NewEvent {
  return {
    id: newObjectId(t), timeMs: t, fields: null, source_type: 'generic', severity: 'info', event_type: `e${i}`, source_ip: null,
    dest_ip: null, source_port: null, dest_port: null, hostname: null, username: null, mitre_tactic: null,
    mitre_technique: null, message: null, raw: {}, normalized: { i }, metadata: {}, scenario_run_id: null, createdAtMs: t,
  };
}

async function storeEvents(db: Db, batches: number[], t0: number): Promise<{ tx: string; seq: string; createdMs: number }[]> {
  const events = createEventsRepo(db);
  let n = 0;
  for (const size of batches) {
    const batch = Array.from({ length: size }, () => event(n, t0 + n++ * 1000));
    await db.transaction((tx) => events.insertMany(tx, batch));
  }
  // (Aliases apart from the column names: ORDER BY seq would otherwise sort the text.)
  const { rows } = await db.query<{ cursor_tx: string; cursor_seq: string; created_at: Date }>(
    'SELECT tx_id::text AS cursor_tx, seq::text AS cursor_seq, created_at FROM log_events ORDER BY tx_id, seq',
  );
  return rows.map((r) => ({ tx: r.cursor_tx, seq: r.cursor_seq, createdMs: new Date(r.created_at).getTime() }));
}

async function checkpoint(db: Db, p: number, at: { tx: string; seq: string }, owner: string | null, epoch = 1): Promise<void> {
  await db.query(
    `INSERT INTO correlation_checkpoints (name, tx_id, seq, owner, epoch, high_water) VALUES ($1, $2::xid8, $3::bigint, $4, $5, now())`,
    [`correlation/${p}`, at.tx, at.seq, owner, epoch],
  );
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`cluster reads on ${kind}`, { skip: kind === 'postgres' && skipWithoutPostgres }, () => {
    // One store per kind (opening PGlite is the slow part); each test starts from empty tables.
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => ({ db, drop } = await openTestDb(kind)));
    after(async () => drop());
    const clear = () => db.exec('DELETE FROM correlation_checkpoints; DELETE FROM correlation_members; DELETE FROM log_events;');

    it('lists every partition with its checkpoint and a lag equal to the events after its cursor, capped past the bound', async () => {
      await clear();
      const t0 = Date.parse('2026-03-01T00:00:00Z');
      const log = await storeEvents(db, [30, 40, 50], t0);
      assert.equal(log.length, 120);
      // Partition 0 at the last event, 1 mid second batch, 2 on the first event, 3 nothing done
      // (row at the origin), 4 at the boundary of the bound; 5.. have no row at all.
      await checkpoint(db, 0, log[119]!, 'a', 3);
      await checkpoint(db, 1, log[49]!, 'b');
      await checkpoint(db, 2, log[0]!, 'a');
      await checkpoint(db, 3, { tx: '0', seq: '0' }, null, 0);
      await checkpoint(db, 4, log[119 - 50]!, 'b');
      const repo = createClusterRepo(db);
      const rows = await repo.partitions(16, 50);
      assert.deepEqual(rows.map((r) => r.partition), Array.from({ length: 16 }, (_, i) => i));
      const lag = rows.map((r) => r.lagEvents);
      // Up to the bound + 1: exact below it, "more than 50" above.
      assert.deepEqual(lag.slice(0, 5), [0, 51, 51, 51, 50]);
      for (const r of rows.slice(5)) assert.equal(r.lagEvents, 51, `partition ${r.partition} without a row counts from the start`);
      assert.deepEqual(rows.map((r) => r.hasCheckpoint), Array.from({ length: 16 }, (_, i) => i < 5));
      assert.equal(rows[0]!.owner, 'a');
      assert.equal(rows[0]!.epoch, 3);
      assert.equal(rows[0]!.oldestPendingMs, null);
      assert.equal(rows[1]!.oldestPendingMs, log[50]!.createdMs);
      assert.equal(rows[3]!.oldestPendingMs, log[0]!.createdMs);
      assert.equal(rows[5]!.owner, null);
      assert.equal(rows[5]!.advancedMs, null);
      assert.ok(rows[0]!.advancedMs! > 0 && rows[0]!.highWaterMs! > 0);

      // With a bound above the log, every figure is the exact count.
      const exact = await repo.partitions(16, 1000);
      assert.deepEqual(exact.slice(0, 5).map((r) => r.lagEvents), [0, 70, 119, 120, 50]);
      // A plain count agrees for every partition.
      for (const r of exact.filter((x) => x.hasCheckpoint)) {
        const { rows: c } = await db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM log_events e, correlation_checkpoints c
           WHERE c.name = $1 AND (e.tx_id, e.seq) > (c.tx_id, c.seq)`,
          [`correlation/${r.partition}`],
        );
        assert.equal(r.lagEvents, Number(c[0]!.n), `partition ${r.partition}`);
      }
    });

    it('on an empty store every partition has no lag', async () => {
      await clear();
      const rows = await createClusterRepo(db).partitions(16, 100_000);
      assert.equal(rows.length, 16);
      assert.ok(rows.every((r) => r.lagEvents === 0 && r.oldestPendingMs === null && !r.hasCheckpoint));
    });

    it('reads members with their partitions and the store clock; prunes only those dead longer than asked', async () => {
      await clear();
      const repo = createClusterRepo(db);
      const empty = await repo.members(10);
      assert.deepEqual(empty.members, []);
      assert.ok(Math.abs(empty.nowMs - Date.now()) < 60_000);
      await db.query(
        `INSERT INTO correlation_members (consumer, host, pid, started_at, heartbeat_at, partitions, state) VALUES
         ('live', 'h1', 11, now() - interval '1 minute', now(), '{3,1,2}', 'running'),
         ('dead-recently', 'h2', 12, now() - interval '2 hours', now() - interval '10 minutes', '{}', 'running'),
         ('dead-long', 'h3', 13, now() - interval '1 day', now() - interval '3 hours', '{0}', 'stopping')`,
      );
      const read = await repo.members(10);
      assert.deepEqual(read.members.map((m) => m.consumer), ['live', 'dead-recently', 'dead-long']);
      const live = read.members[0]!;
      assert.deepEqual(live.partitions, [1, 2, 3]);
      assert.equal(live.pid, 11);
      assert.equal(live.host, 'h1');
      assert.equal(live.state, 'running');
      assert.ok(read.nowMs - live.heartbeatMs < 5000 && read.nowMs - live.startedMs >= 59_000);
      assert.deepEqual((await repo.members(2)).members.map((m) => m.consumer), ['live', 'dead-recently'], 'bounded, newest heartbeat first');

      assert.equal(await repo.pruneMembers(60 * 60 * 1000), 1);
      assert.deepEqual((await repo.members(10)).members.map((m) => m.consumer), ['live', 'dead-recently']);
      assert.equal(await repo.pruneMembers(60 * 60 * 1000), 0);
    });
  });
}
