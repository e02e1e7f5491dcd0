// GET /v1/cluster over a real socket, on PGlite and on the PostgreSQL server: a login and
// the admin role are required (also under /api/v1); with members and partition checkpoints
// in the store, the view names who is alive, who owns what and how many events each
// partition has left, and how long the oldest has waited.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterViewSchema } from '@siem/contracts';
import type { ClusterView } from '@siem/contracts';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

function clusterSuite(label: string, store: 'pglite' | 'postgres', env: () => Record<string, string>, skip: string | false) {
  describe(`GET /v1/cluster on ${label}`, { skip }, () => {
    let sys: TestSystem;
    let base: string;
    let admin: Record<string, string>;
    before(async () => {
      // Correlation stays off: the test writes the members and checkpoints itself.
      sys = await startTestSystem(env(), { detection: false });
      admin = { authorization: `Bearer ${await registerUser(sys.app, { role: 'admin' })}` };
      await sys.app.listen({ host: '127.0.0.1', port: 0 });
      const address = sys.app.server.address();
      assert.ok(address && typeof address === 'object');
      base = `http://127.0.0.1:${address.port}`;
    });
    after(async () => sys?.stop());

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
    const view = async (): Promise<ClusterView> => {
      const res = await get('/v1/cluster', admin);
      assert.equal(res.status, 200);
      return ClusterViewSchema.parse(await res.json());
    };
    // The live members beat as a running process would (every second), so a slow machine
    // between the inserts and the read does not turn them dead.
    const beat = () => sys.deps.db.query(
      `UPDATE correlation_members SET heartbeat_at = now() - CASE consumer WHEN 'peer-b' THEN interval '1 second' ELSE interval '0' END
       WHERE consumer <> 'peer-dead'`,
    );

    it('answers 401 without a token and 403 to analysts and engineers, under /v1 and /api/v1', async () => {
      for (const path of ['/v1/cluster', '/api/v1/cluster']) {
        const anon = await get(path);
        assert.equal(anon.status, 401);
        assert.equal((await anon.json()).error, 'AuthenticationError');
        for (const role of ['analyst', 'engineer'] as const) {
          const res = await get(path, { authorization: `Bearer ${await registerUser(sys.app, { role })}` });
          assert.equal(res.status, 403, `${role} on ${path}`);
          assert.equal((await res.json()).error, 'ForbiddenError');
        }
      }
    });

    it('answers admins with this process, the store and bus, and all 16 partitions before anything is registered', async () => {
      const body = await view();
      assert.equal(body.partitions_total, 16);
      assert.equal(body.store, store);
      assert.equal(body.bus, 'memory');
      assert.match(body.this_process, /-\d+-[0-9a-f]{6}$/);
      assert.equal(body.member_ttl_seconds, 5);
      assert.equal(body.lag_count_max, 100_000);
      assert.match(body.checked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(body.members, []);
      assert.deepEqual(body.partitions.map((p) => p.partition), Array.from({ length: 16 }, (_, i) => i));
      for (const p of body.partitions) {
        // The health sampler of every process creates the checkpoint rows, unowned at the start of the log.
        assert.deepEqual(p, { partition: p.partition, owner: null, owner_alive: false, epoch: 0, high_water: null, checkpoint_at: p.checkpoint_at,
          heartbeat_at: p.heartbeat_at, lag_events: 0, lag_seconds: 0, lag_capped: false });
      }
      const doc = await (await get('/docs/json')).json();
      assert.ok(doc.paths['/v1/cluster']?.get?.responses?.['200'], 'the route is in the OpenAPI document');
      const prefixed = await get('/api/v1/cluster', admin);
      assert.equal(prefixed.status, 200);
      assert.equal((await prefixed.json()).partitions.length, 16);
    });

    it('reports members alive or dead, their partitions, each partition\'s owner and its lag in events and seconds', async () => {
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${base}/v1/logs/ingest`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ source_type: 'generic', event_type: 'probe', message: `event ${i}` }),
        });
        assert.equal(res.status, 201);
      }
      const db = sys.deps.db;
      const { rows: log } = await db.query<{ cursor_tx: string; cursor_seq: string }>(
        'SELECT tx_id::text AS cursor_tx, seq::text AS cursor_seq FROM log_events ORDER BY tx_id, seq',
      );
      assert.equal(log.length, 12);
      // The first five events were stored two minutes ago, the others one minute ago.
      await db.query(
        `UPDATE log_events SET created_at = now() - CASE WHEN (tx_id, seq) <= ($1::xid8, $2::bigint) THEN interval '120 seconds' ELSE interval '60 seconds' END`,
        [log[4]!.cursor_tx, log[4]!.cursor_seq],
      );
      const me = (await view()).this_process;
      await db.query(
        `INSERT INTO correlation_members (consumer, host, pid, started_at, heartbeat_at, partitions, state) VALUES
         ($1, 'node-a', 101, now() - interval '1 minute', now(), '{7,6,5,4,3,2,1,0}', 'running'),
         ('peer-b', 'node-b', 202, now() - interval '1 hour', now() - interval '1 second', '{8,9,10,11,12,13,14}', 'replaying'),
         ('peer-dead', 'node-c', 303, now() - interval '1 day', now() - interval '30 seconds', '{15}', 'running')`,
        [me],
      );
      const newest = log[11]!;
      const mid = log[4]!;
      for (let p = 0; p < 16; p++) {
        const [owner, at, epoch] = p < 8 ? [me, newest, 1] : p < 15 ? ['peer-b', mid, 2] : ['peer-dead', { cursor_tx: '0', cursor_seq: '0' }, 5];
        await db.query(
          `INSERT INTO correlation_checkpoints (name, tx_id, seq, owner, epoch, high_water, heartbeat_at, advanced_at)
           VALUES ($1, $2::xid8, $3::bigint, $4, $5, '2026-03-01T12:00:00.250Z', now(), now() - interval '10 seconds')
           ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, seq = EXCLUDED.seq, owner = EXCLUDED.owner, epoch = EXCLUDED.epoch,
             high_water = EXCLUDED.high_water, heartbeat_at = EXCLUDED.heartbeat_at, advanced_at = EXCLUDED.advanced_at`,
          [`correlation/${p}`, at.cursor_tx, at.cursor_seq, owner, epoch],
        );
      }

      await beat();
      const body = await view();
      // Longest-running first.
      assert.deepEqual(body.members.map((m) => [m.consumer, m.host, m.pid, m.alive, m.state, m.this_process]), [
        ['peer-dead', 'node-c', 303, false, 'running', false],
        ['peer-b', 'node-b', 202, true, 'replaying', false],
        [me, 'node-a', 101, true, 'running', true],
      ]);
      assert.deepEqual(body.members[2]!.partitions, [0, 1, 2, 3, 4, 5, 6, 7]);
      assert.deepEqual(body.members[0]!.partitions, [15]);
      assert.ok(body.members[0]!.heartbeat_age_seconds >= 30 && body.members[0]!.heartbeat_age_seconds < 90);
      assert.ok(body.members[2]!.heartbeat_age_seconds < 5);

      const byPartition = body.partitions;
      assert.deepEqual(byPartition.map((p) => p.owner), [...Array(8).fill(me), ...Array(7).fill('peer-b'), 'peer-dead']);
      assert.deepEqual(byPartition.map((p) => p.owner_alive), [...Array(15).fill(true), false]);
      assert.deepEqual(byPartition.map((p) => p.epoch), [...Array(8).fill(1), ...Array(7).fill(2), 5]);
      assert.deepEqual(byPartition.map((p) => p.lag_events), [...Array(8).fill(0), ...Array(7).fill(7), 12]);
      assert.ok(byPartition.every((p) => !p.lag_capped));
      const seconds = byPartition.map((p) => p.lag_seconds);
      assert.ok(seconds.slice(0, 8).every((s) => s === 0), 'caught up: no wait');
      assert.ok(seconds.slice(8, 15).every((s) => s >= 60 && s < 110), `oldest pending stored a minute ago: ${seconds[8]}`);
      assert.ok(seconds[15]! >= 120 && seconds[15]! < 170, `oldest pending stored two minutes ago: ${seconds[15]}`);
      assert.equal(byPartition[0]!.high_water, '2026-03-01T12:00:00.250Z');
      const checkpointAge = Date.parse(body.checked_at) - Date.parse(byPartition[0]!.checkpoint_at!);
      assert.ok(checkpointAge >= 10_000 && checkpointAge < 60_000);
      assert.match(byPartition[0]!.heartbeat_at!, /Z$/);
    });

    it('prunes members dead for longer than asked, never live ones', async () => {
      await beat();
      assert.equal(await sys.deps.cluster.pruneDeadMembers(20_000), 1);
      assert.deepEqual((await view()).members.map((m) => m.consumer).sort(), ['peer-b', (await view()).this_process].sort());
      // The liveness bound is the floor: a member within it is never pruned.
      await beat();
      assert.equal(await sys.deps.cluster.pruneDeadMembers(0), 0);
    });
  });
}

clusterSuite('PGlite', 'pglite', () => ({}), false);
clusterSuite('PostgreSQL server', 'postgres', () => ({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('cl').toLowerCase() }), skipWithoutPostgres);
