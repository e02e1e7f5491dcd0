// Store suites on embedded PGlite and on the PostgreSQL server: migrations (twice, and
// from two openers at once), batched inserts with rollups, filters, literal search.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/store/db.ts';
import { openDb } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { createEventsRepo, likeLiteral } from '../../src/store/events-repo.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { createRollupsRepo } from '../../src/store/rollups-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { DATABASE_URL, skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

function event(over: Partial<NewEvent> = {}): NewEvent {
  const now = Date.parse('2026-02-01T10:00:30Z');
  return {
    id: newObjectId(now), timeMs: now, fields: null, source_type: 'auth', severity: 'medium', event_type: 'login_failure',
    source_ip: '192.0.2.1', dest_ip: null, source_port: null, dest_port: 22, hostname: 'web-1', username: 'alice',
    mitre_tactic: null, mitre_technique: null, message: null, raw: { source_type: 'auth' }, normalized: { result: 'failure' },
    metadata: {}, scenario_run_id: null, createdAtMs: now, ...over,
  };
}

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`store on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let schema: string | undefined;

    before(async () => {
      ({ db, drop, schema } = await openTestDb(kind));
    });
    after(async () => drop());

    it('migrations are recorded and a second run applies nothing', async () => {
      assert.deepEqual(await migrate(db), []);
      const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), loadMigrations().map((m) => m.version));
    });

    if (kind === 'postgres') {
      it('two processes migrating a fresh schema at once apply each migration once', async () => {
        const fresh = `${schema}_twin`;
        const open = () => openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema: fresh, poolSize: 2 });
        const [a, b] = await Promise.all([open(), open()]);
        try {
          const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
          assert.equal(ra.length + rb.length, loadMigrations().length);
        } finally {
          await a.query(`DROP SCHEMA ${fresh} CASCADE`);
          await Promise.all([a.close(), b.close()]);
        }
      });
    }

    it('inserts a batch in one statement and keeps the rollups in step', async () => {
      const events = createEventsRepo(db);
      const rollups = createRollupsRepo(db);
      const batch = [
        event(),
        event({ severity: 'high', source_ip: '192.0.2.2', timeMs: Date.parse('2026-02-01T10:01:10Z') }),
        event({ severity: 'high', source_ip: null, raw: { quote: "it's \"fine\" \\ ok", emoji: '🔥' } }),
      ];
      await db.transaction(async (tx) => {
        await events.insertMany(tx, batch);
        await rollups.applyBatch(tx, batch);
      });
      const stored = await events.findById(batch[2]!.id);
      assert.deepEqual(stored?.raw, batch[2]!.raw);
      assert.deepEqual(
        (await rollups.severityTotals()).sort((a, b) => a.severity.localeCompare(b.severity)),
        [{ severity: 'high', count: 2 }, { severity: 'medium', count: 1 }],
      );
      assert.deepEqual(await rollups.topSources(10), [{ source_ip: '192.0.2.1', count: 1 }, { source_ip: '192.0.2.2', count: 1 }]);
      const since = Date.parse('2026-02-01T09:00:00Z');
      const line = await rollups.timeline(since, Date.parse('2026-02-01T11:00:00Z'), 1);
      assert.deepEqual(line.map((r) => [new Date(r.bucketMs).toISOString(), r.severity, r.count]), [
        ['2026-02-01T10:00:00.000Z', 'high', 1],
        ['2026-02-01T10:00:00.000Z', 'medium', 1],
        ['2026-02-01T10:01:00.000Z', 'high', 1],
      ]);
    });

    it('a failed batch leaves neither events nor counts behind', async () => {
      const events = createEventsRepo(db);
      const rollups = createRollupsRepo(db);
      const before = await rollups.severityTotals();
      const dup = event();
      await db.transaction(async (tx) => events.insertMany(tx, [dup]));
      await assert.rejects(
        db.transaction(async (tx) => {
          await rollups.applyBatch(tx, [event()]);
          await events.insertMany(tx, [event(), dup]);
        }),
        (err: { code?: string }) => err.code === '23505',
      );
      const after = await rollups.severityTotals();
      assert.deepEqual(after, before);
    });

    it('filters, counts and searches literally', async () => {
      const events = createEventsRepo(db);
      await db.transaction(async (tx) =>
        events.insertMany(tx, [event({ message: '100%_match here', username: 'bob' }), event({ message: '100 match', username: 'bob' })]),
      );
      assert.equal(await events.count({ username: 'bob' }), 2);
      const search = (q: string) => db.bounded({ timeoutMs: 5000 }, (s) => events.search(s, q, {}, 0, 10));
      assert.equal((await search('100%_MATCH')).total, 1);
      assert.equal((await search('%_m')).total, 1, 'wildcards are literal');
      assert.equal(likeLiteral('a%b_c\\'), 'a\\%b\\_c\\\\');
      const page = await events.list({ username: 'bob' }, 0, 1);
      assert.equal(page.length, 1);
    });
  });
}
