// The cluster view from a real PGlite store: past the lag bound a partition says "capped"
// with the bound as its figure; a state the view does not know reads as 'starting'; a
// member is alive strictly within the TTL; concurrent reads share one query.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { CLUSTER_MEMBER_TTL_MS, createClusterService } from '../../src/services/cluster.ts';
import { createClusterRepo } from '../../src/store/cluster-repo.ts';
import type { Db } from '../../src/store/db.ts';
import { createEventsRepo } from '../../src/store/events-repo.ts';
import { openTestDb } from '../helpers/store.ts';

describe('cluster service', () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => ({ db, drop } = await openTestDb('pglite')));
  after(async () => drop());

  it('exports the liveness bound the correlation processes share', () => {
    assert.equal(CLUSTER_MEMBER_TTL_MS, 5000);
  });

  it('caps the lag at the bound and says so; exact figures stay uncapped', async () => {
    const t = Date.now();
    const batch = Array.from({ length: 8 }, (_, i) => ({
      id: newObjectId(t), timeMs: t, fields: null, source_type: 'generic' as const, severity: 'info' as const, event_type: `e${i}`, source_ip: null,
      dest_ip: null, source_port: null, dest_port: null, hostname: null, username: null, mitre_tactic: null,
      mitre_technique: null, message: null, raw: {}, normalized: {}, metadata: {}, scenario_run_id: null, createdAtMs: t,
    }));
    await db.transaction((tx) => createEventsRepo(db).insertMany(tx, batch));
    const { rows } = await db.query<{ cursor_tx: string; cursor_seq: string }>(
      'SELECT tx_id::text AS cursor_tx, seq::text AS cursor_seq FROM log_events ORDER BY tx_id, seq',
    );
    await db.query(`INSERT INTO correlation_checkpoints (name, tx_id, seq) VALUES ('correlation/1', $1::xid8, $2::bigint)`, [rows[2]!.cursor_tx, rows[2]!.cursor_seq]);
    const service = createClusterService({ repo: createClusterRepo(db), store: 'pglite', bus: 'memory', consumer: 'me', partitions: 4, lagCountMax: 5 });
    const view = await service.view();
    assert.equal(view.lag_count_max, 5);
    assert.deepEqual(view.partitions.map((p) => [p.lag_events, p.lag_capped]), [[5, true], [5, false], [5, true], [5, true]]);
    await db.query(`UPDATE correlation_checkpoints SET tx_id = $1::xid8, seq = $2::bigint`, [rows[5]!.cursor_tx, rows[5]!.cursor_seq]);
    assert.deepEqual((await service.view()).partitions[1]!.lag_events, 2);
  });

  it('tells live from dead by the TTL, reads an unknown state as starting, and shares concurrent reads', async () => {
    await db.query(
      `INSERT INTO correlation_members (consumer, host, pid, heartbeat_at, state) VALUES
       ('me', 'h', 1, now(), 'running'), ('newer', 'h', 2, now(), 'rebalancing'), ('old', 'h', 3, now() - interval '6 seconds', 'standby')`,
    );
    const repo = createClusterRepo(db);
    let reads = 0;
    const counting = { ...repo, partitions: (n: number, max: number) => { reads++; return repo.partitions(n, max); } };
    const service = createClusterService({ repo: counting, store: 'pglite', bus: 'memory', consumer: 'me', partitions: 4 });
    const [a, b] = await Promise.all([service.view(), service.view()]);
    assert.equal(reads, 1);
    assert.equal(a, b);
    const byName = new Map(a.members.map((m) => [m.consumer, m]));
    assert.equal(byName.get('me')!.alive, true);
    assert.equal(byName.get('me')!.this_process, true);
    assert.equal(byName.get('newer')!.state, 'starting');
    assert.equal(byName.get('newer')!.this_process, false);
    assert.equal(byName.get('old')!.alive, false);
    await service.view();
    assert.equal(reads, 2, 'a later read queries again');
  });
});
