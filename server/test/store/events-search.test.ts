// Log search on both stores: the same answers as the plain ILIKE over the six columns
// (wildcards, backslashes, case, unicode, no match across columns), the trigram index in
// the plan, the capped count, and the time budget (statement_timeout on the server,
// slices on PGlite).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/store/db.ts';
import { isQueryCancelled } from '../../src/store/db.ts';
import { createEventsRepo, likeLiteral } from '../../src/store/events-repo.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { SEARCH_COUNT_CAP, SEARCH_SLICE_ROWS, searchStatements, searchUsesIndex } from '../../src/store/events-search.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

const BASE = Date.parse('2026-02-01T10:00:00Z');
let serial = 0;

function event(over: Partial<NewEvent> = {}): NewEvent {
  const t = BASE + ++serial * 1000;
  return {
    id: newObjectId(t), timeMs: t, fields: null, source_type: 'generic', severity: 'info', event_type: null,
    source_ip: null, dest_ip: null, source_port: null, dest_port: null, hostname: null, username: null,
    mitre_tactic: null, mitre_technique: null, message: null, raw: {}, normalized: {},
    metadata: {}, scenario_run_id: null, createdAtMs: t, ...over,
  };
}

const CRAFTED: Partial<NewEvent>[] = [
  { message: '50%_OFF sale today' },
  { message: 'path C:\\Temp\\back\\slash' },
  { username: 'Ünïcødé-User' },
  { hostname: 'MiXeD-Case.Example' },
  { event_type: 'privilege_escalation' },
  { source_ip: '198.51.100.23' },
  { dest_ip: '203.0.113.9' },
  { event_type: 'foo', hostname: 'bar' },
  { message: 'ab cd ef', username: 'zq' },
  { message: 'mimikatz.exe sekurlsa::logonpasswords' },
];

// Wildcards, backslash, case, short terms (1-2 characters: the unindexed path), a term
// spanning two columns, the column separator itself, unicode in and out of case.
const QUERIES = ['50%_off', '%_o', '%', '_', '\\', '\\back\\', 'c:\\temp', 'mixed-case', 'PRIVILEGE_esc', '51.100.2', '113.9', 'foobar', 'foo bar',
  'foo\x1fbar', 'ab', 'Zq', 'q', 'Ünïcødé', 'ünïcødé', 'ÜNÏCØDÉ', 'MIMIKATZ', 'nothing-like-this'];

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`log search on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const events = () => createEventsRepo(db);
    // Crafted event id -> its first set column, to read answers by content.
    const labels = new Map<string, string>();
    const search = (q: string, offset = 0, limit = 50, range = {}) => db.bounded({ timeoutMs: 30_000 }, (s) => events().search(s, q, range, offset, limit));

    before(async () => {
      ({ db, drop } = await openTestDb(kind));
      const crafted = CRAFTED.map((c) => event(c));
      for (const [i, e] of crafted.entries()) labels.set(e.id, String(Object.values(CRAFTED[i]!)[0]));
      await db.transaction((tx) => events().insertMany(tx, crafted));
      // Filler, older than the crafted events and matching none of the queries, so that
      // the planner has a reason to prefer the index and PGlite's slices have rows to walk.
      await db.query(
        `INSERT INTO log_events (id, ts, source_type, severity, hostname, message, raw, normalized)
         SELECT lpad(to_hex(i), 24, '0'), $1::timestamptz - i * interval '1 second', 'generic', 'info', 'host-' || i % 97,
           'filler line ' || i, '{}', '{}' FROM generate_series(1, 25000) AS i`,
        [new Date(BASE).toISOString()],
      );
      await db.exec('ANALYZE log_events');
    });
    after(async () => drop());

    it('answers what the plain ILIKE over the six columns answers, newest first', async () => {
      for (const q of QUERIES) {
        const { rows } = await db.query<{ id: string }>(
          `SELECT id FROM log_events WHERE event_type ILIKE $1 OR source_ip ILIKE $1 OR dest_ip ILIKE $1 OR username ILIKE $1
             OR hostname ILIKE $1 OR message ILIKE $1 ORDER BY ts DESC, seq DESC`,
          [`%${likeLiteral(q)}%`],
        );
        const got = await search(q);
        assert.deepEqual(got.items.map((e) => e.id), rows.map((r) => r.id), `q=${JSON.stringify(q)}`);
        assert.equal(got.total, rows.length, `total for q=${JSON.stringify(q)}`);
        assert.equal(got.totalExact, true);
      }
    });

    it('matches literally and case-insensitively, within one column only', async () => {
      const ids = async (q: string) => (await search(q)).items.map((e) => labels.get(e.id));
      assert.deepEqual(await ids('50%_OFF'), ['50%_OFF sale today']);
      assert.deepEqual(await ids('%_o'), ['50%_OFF sale today']);
      assert.deepEqual(await ids('\\back\\'), ['path C:\\Temp\\back\\slash']);
      assert.deepEqual(await ids('mixed-CASE.example'), ['MiXeD-Case.Example']);
      assert.deepEqual(await ids('Ünïcødé-'), ['Ünïcødé-User']);
      assert.deepEqual(await ids('foobar'), []);
      assert.deepEqual(await ids('foo\x1fbar'), [], 'the column separator is never matched across columns');
      assert.deepEqual(await ids('ZQ'), ['ab cd ef'], 'a 2-character term (its event labelled by its message)');
    });

    it('uses the trigram index for a term of three word characters or more', async () => {
      assert.equal(searchUsesIndex('mimikatz'), true);
      assert.equal(searchUsesIndex('ab'), false);
      assert.equal(searchUsesIndex('a.b'), false);
      // log_events is partitioned: the plan names the index of each partition it reads, a
      // child of log_events_search_idx.
      const { rows: children } = await db.query<{ relname: string }>(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'log_events_search_idx'::regclass`,
      );
      const searchIndex = new RegExp(`\\b(${['log_events_search_idx', ...children.map((c) => c.relname)].join('|')})\\b`);
      const { sql, params, countSql, countParams } = searchStatements('mimikatz', {}, 0, 50);
      for (const [statement, values] of [[sql, params], [countSql, countParams]] as const) {
        const { rows } = await db.query<Record<string, unknown>>(`EXPLAIN ${statement}`, [...values]);
        const plan = rows.map((r) => Object.values(r)[0]).join('\n');
        assert.match(plan, searchIndex, plan);
      }
      // Over a small time range the range is read instead (the page stays the same).
      const small = searchStatements('mimikatz', { sinceMs: BASE - 60_000, untilMs: BASE + 60_000 }, 0, 50, true);
      const { rows } = await db.query<Record<string, unknown>>(`EXPLAIN ${small.sql}`, small.params);
      assert.doesNotMatch(rows.map((r) => Object.values(r)[0]).join('\n'), searchIndex);
      const ranged = await search('MIMIKATZ', 0, 50, { sinceMs: BASE - 60_000, untilMs: BASE + 60_000 });
      assert.deepEqual([ranged.items.length, ranged.total], [1, 1]);
    });

    it('counts at most SEARCH_COUNT_CAP + 1 matches and says the total is a lower bound', async () => {
      await db.query(
        `INSERT INTO log_events (id, ts, source_type, severity, message, raw, normalized)
         SELECT 'c' || lpad(to_hex(i), 23, '0'), $1::timestamptz - i * interval '1 millisecond', 'generic', 'info', 'captest ' || i, '{}', '{}'
         FROM generate_series(1, $2::int) AS i`,
        [new Date(BASE - 86_400_000).toISOString(), SEARCH_COUNT_CAP + 50],
      );
      const first = await search('captest', 0, 50);
      assert.equal(first.items.length, 50);
      assert.equal(first.total, SEARCH_COUNT_CAP + 1);
      assert.equal(first.totalExact, false);
      const deep = await search('captest', SEARCH_COUNT_CAP + 20, 50);
      assert.equal(deep.items.length, 30, 'pages past the cap are still served');
      assert.ok(deep.total >= SEARCH_COUNT_CAP + 50);
      // A narrower range counts exactly again.
      const ranged = await search('captest', 0, 50, { sinceMs: BASE - 86_400_000 - 100, untilMs: BASE });
      assert.equal(ranged.total, 100);
      assert.equal(ranged.totalExact, true);
      // A page past the end of a small result still reports the exact total.
      const past = await search('mimikatz', 500, 50);
      assert.deepEqual([past.items.length, past.total, past.totalExact], [0, 1, true]);
    });

    it('stops when the budget is spent or the caller gave up, and the store stays usable', async () => {
      const gone = new AbortController();
      gone.abort();
      await assert.rejects(db.bounded({ timeoutMs: 30_000, signal: gone.signal }, (s) => events().search(s, 'mimikatz', {}, 0, 50)), isQueryCancelled);
      if (kind === 'pglite') {
        // More rows than one slice and a term found nowhere: the first slice spends a 1 ms budget.
        assert.ok(SEARCH_SLICE_ROWS < 25_000);
        await assert.rejects(db.bounded({ timeoutMs: 1 }, (s) => events().search(s, 'q!', {}, 0, 50)), isQueryCancelled);
      } else {
        // A term of punctuation (no trigram to narrow it) tried at every offset of long lines.
        await db.query(
          `INSERT INTO log_events (id, ts, source_type, severity, message, raw, normalized)
           SELECT 'd' || lpad(to_hex(i), 23, '0'), $1::timestamptz, 'generic', 'info', repeat('-', 60000), '{}', '{}' FROM generate_series(1, 200) AS i`,
          [new Date(BASE).toISOString()],
        );
        await assert.rejects(db.bounded({ timeoutMs: 200 }, (s) => events().search(s, `${'-'.repeat(255)}+`, {}, 0, 50)), isQueryCancelled);
        // What a count cut short relies on: back to the savepoint, the session goes on.
        const after = await db.bounded({ timeoutMs: 300 }, async (s) => {
          await s.query('SAVEPOINT before_count');
          await assert.rejects(s.query("SELECT count(*) FROM log_events WHERE message ILIKE '%' || repeat('-', 255) || '+%'"), isQueryCancelled);
          await s.query('ROLLBACK TO SAVEPOINT before_count');
          return (await s.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one;
        });
        assert.equal(after, 1);
        await db.query("DELETE FROM log_events WHERE id LIKE 'd%'");
      }
      assert.equal((await search('mimikatz')).total, 1);
    });
  });
}
