// Deduplication and the COPY path on real stores (PGlite, and the PostgreSQL server when
// DATABASE_URL is set): duplicates stored once, not counted in rollups, not published;
// concurrent writers on one server; expiry and pruning; COPY text round-trips nasty values
// exactly as the INSERT path stores them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { STREAMS } from '../../src/bus/bus.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createEventWriter } from '../../src/services/event-writer.ts';
import { createDedupPruner, dedupKeyOf } from '../../src/services/event-dedup.ts';
import { openDb } from '../../src/store/db.ts';
import type { Db } from '../../src/store/db.ts';
import { createDedupRepo } from '../../src/store/dedup-repo.ts';
import { copyValue } from '../../src/store/event-copy.ts';
import { createEventsRepo } from '../../src/store/events-repo.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { createRollupsRepo } from '../../src/store/rollups-repo.ts';
import { DATABASE_URL, skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

const log = pino({ level: 'silent' });
const HOUR = 3_600_000;

function event(over: Partial<NewEvent> = {}): NewEvent {
  const now = Date.now();
  return {
    id: newObjectId(now), timeMs: now, fields: null, source_type: 'generic', severity: 'info', event_type: null, source_ip: null,
    dest_ip: null, source_port: null, dest_port: null, hostname: null, username: null, mitre_tactic: null,
    mitre_technique: null, message: 'm', raw: { message: 'm' }, normalized: { message: 'm' }, metadata: {}, scenario_run_id: null,
    createdAtMs: now, ...over,
  };
}

async function storedCount(db: Db, ids: string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM log_events WHERE id = ANY($1::text[])', [ids]);
  return Number(rows[0]!.n);
}

async function severityTotal(db: Db, severity: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>('SELECT count FROM event_counts_total WHERE severity = $1', [severity]);
  return Number(rows[0]?.count ?? 0);
}

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`dedup and bulk writes on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let schema: string | undefined;
    let drop: () => Promise<void>;
    before(async () => ({ db, schema, drop } = await openTestDb(kind)));
    after(async () => drop());

    function setup(opts: { hashHorizonMs?: number; clock?: () => number; store?: Db; delayMs?: number } = {}) {
      const store = opts.store ?? db;
      const bus = createMemoryBus({ maxLen: 100_000 });
      const metrics = createMetrics();
      const writer = createEventWriter({
        db: store, events: createEventsRepo(store), rollups: createRollupsRepo(store), bus, metrics, log,
        batchMax: 1000, delayMs: opts.delayMs ?? 5, queueMax: 100_000,
        dedup: {
          repo: createDedupRepo(store),
          settings: { idHorizonMs: 24 * HOUR, hashHorizonMs: opts.hashHorizonMs ?? 0 },
          ...(opts.clock ? { clock: opts.clock } : {}),
        },
      });
      return { bus, metrics, writer };
    }

    it('stores a retried delivery once, leaves it out of rollups and off the bus, and names the original', async () => {
      const { writer, bus, metrics } = setup();
      const tag = newObjectId();
      const first = [event({ clientId: `${tag}-a`, severity: 'low' }), event({ clientId: `${tag}-b`, severity: 'low' })];
      const before = await severityTotal(db, 'low');
      assert.equal((await writer.submit(first)).duplicates.size, 0);
      const retry = first.map((e) => ({ ...e, id: newObjectId() }));
      const result = await writer.submit(retry);
      assert.deepEqual([...result.duplicates.entries()], retry.map((e, i) => [e.id, first[i]!.id]));
      assert.equal(await storedCount(db, [...first, ...retry].map((e) => e.id)), 2);
      assert.equal(await severityTotal(db, 'low'), before + 2, 'rollups count the first delivery only');
      const published = await bus.read(STREAMS.logs, '0-0', { count: 100 });
      assert.equal(published.length, 2, 'the duplicates are not published');
      const dup = (await metrics.eventsDuplicate.get()).values.find((v) => v.labels.key === 'id');
      assert.equal(dup?.value, 2);
      await writer.close();
    });

    it('keeps the first of one key within a batch, and the events without a key', async () => {
      const { writer } = setup({ delayMs: 50 });
      const key = `k-${newObjectId()}`;
      const a = event({ clientId: key });
      const b = event({ clientId: key });
      const plain = [event(), event()];
      const results = await Promise.all([writer.submit([a]), writer.submit([b, ...plain])]);
      assert.equal(results[1].duplicates.get(b.id), a.id);
      assert.equal(await storedCount(db, [a.id, b.id, ...plain.map((e) => e.id)]), 3);
      await writer.close();
    });

    it('hashes raw events only when a hash horizon is set, and forgets them after it', async () => {
      let now = Date.now();
      const off = setup();
      const line = { message: `sshd[1]: Failed password for root from 203.0.113.9 ${newObjectId()}` };
      const twice = [event({ raw: line }), event({ raw: line })];
      await off.writer.submit(twice);
      assert.equal(await storedCount(db, twice.map((e) => e.id)), 2, 'horizon 0: identical lines are genuine repeats');
      await off.writer.close();

      const on = setup({ hashHorizonMs: 60_000, clock: () => now });
      const other = { message: `${line.message} again` };
      const first = event({ raw: other });
      await on.writer.submit([first]);
      const retry = event({ raw: other });
      assert.equal((await on.writer.submit([retry])).duplicates.get(retry.id), first.id);
      now += 61_000;
      const later = event({ raw: other });
      assert.equal((await on.writer.submit([later])).duplicates.size, 0, 'past the horizon the key is claimed again');
      assert.equal(await storedCount(db, [first.id, retry.id, later.id]), 2);
      // A client id and a digest never share a key, and scenario events have none.
      assert.notEqual(dedupKeyOf(event({ clientId: 'x' }), { idHorizonMs: 1, hashHorizonMs: 1 })!.key, dedupKeyOf(event({ raw: { message: 'x' } }), { idHorizonMs: 1, hashHorizonMs: 1 })!.key);
      assert.equal(dedupKeyOf(event({ clientId: 'x', scenario_run_id: newObjectId() }), { idHorizonMs: 1, hashHorizonMs: 1 }), null);
      await on.writer.close();
    });

    it('prunes expired keys in bounded batches and keeps live ones', async () => {
      const repo = createDedupRepo(db);
      const now = Date.now();
      const tag = newObjectId();
      await db.transaction((tx) =>
        repo.claim(
          tx,
          [
            ...Array.from({ length: 25 }, (_, i) => ({ key: `id:${tag}-old-${i}`, eventId: newObjectId(), expiresMs: now - 1000 })),
            { key: `id:${tag}-live`, eventId: newObjectId(), expiresMs: now + HOUR },
          ],
          now,
        ),
      );
      const pruner = createDedupPruner({ dedup: repo, log, batch: 10, maxBatches: 2, clock: () => now });
      assert.equal(await pruner.pruneOnce(), 20, 'one round deletes at most batch x maxBatches');
      assert.equal(await pruner.pruneOnce(), 5);
      const { rows } = await db.query<{ key: string }>('SELECT key FROM event_dedup WHERE key LIKE $1', [`id:${tag}%`]);
      assert.deepEqual(rows.map((r) => r.key), [`id:${tag}-live`]);
    });

    it('writes nasty values through COPY exactly as the INSERT path does', { skip: kind === 'pglite' ? 'COPY FROM STDIN needs a PostgreSQL server' : false }, async () => {
      const events = createEventsRepo(db);
      const nasty = ['back\\slash', 'tab\there', 'new\nline', 'cr\rlf\r\n', '\\N', '\\.', 'quote"\'', 'émoji 🚀 ひらがな', 'ctl\u0001\u0008\u001b', ' lead and trail ', '', '{"json":"text"}'];
      const at = Date.parse('2026-03-01T12:34:56.789Z');
      const make = (n: string, i: number) =>
        event({
          timeMs: at + i, createdAtMs: at, message: n, hostname: n, username: i % 2 ? null : n, source_port: i, dest_port: i % 3 ? null : 65535,
          raw: { message: n, [n]: [n, { nested: n }], num: 1.5, t: true, nul: null },
          normalized: { message: n }, metadata: { input: n }, fields: i % 2 ? null : { 'x.y': n },
        });
      const viaCopy = nasty.map(make);
      const viaInsert = nasty.map(make);
      await db.transaction((tx) => events.insertMany(tx, viaCopy, { method: 'copy' }));
      await db.transaction((tx) => events.insertMany(tx, viaInsert, { method: 'insert' }));
      const strip = ({ id: _id, ...rest }: Record<string, unknown>) => rest;
      for (let i = 0; i < nasty.length; i++) {
        const c = await events.findById(viaCopy[i]!.id);
        const n = await events.findById(viaInsert[i]!.id);
        assert.ok(c && n);
        assert.deepEqual(strip(c), strip(n), `value ${JSON.stringify(nasty[i])}`);
        assert.equal(c.hostname, nasty[i]);
        assert.deepEqual(c.raw[nasty[i]!], [nasty[i], { nested: nasty[i] }]);
      }
      const { rows } = await db.query<{ message: string }>('SELECT message FROM log_events WHERE id = ANY($1::text[]) ORDER BY ts, id', [viaCopy.map((e) => e.id)]);
      assert.deepEqual(rows.map((r) => r.message), nasty);
    });

    it('refuses a NUL through COPY as through INSERT, and an unpaired surrogate before sending it', { skip: kind === 'pglite' ? 'COPY FROM STDIN needs a PostgreSQL server' : false }, async () => {
      const events = createEventsRepo(db);
      for (const method of ['copy', 'insert'] as const) {
        await assert.rejects(db.transaction((tx) => events.insertMany(tx, [event({ message: 'a\u0000b' })], { method })), method);
        await assert.rejects(db.transaction((tx) => events.insertMany(tx, [event({ raw: { m: 'a\u0000b' } })], { method })), method);
      }
      assert.throws(() => copyValue('lone \ud800 surrogate'), /unpaired/);
      // The writer isolates the bad submission: the others coalesced with it are stored.
      const { writer } = setup({ delayMs: 30 });
      const good = [event(), event()];
      const results = await Promise.allSettled([writer.submit([good[0]!]), writer.submit([event({ message: 'x\u0000' })]), writer.submit([good[1]!])]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.equal(await storedCount(db, good.map((e) => e.id)), 2);
      await writer.close();
    });

    it('stores each key once when two processes write overlapping batches at the same time', { skip: kind === 'pglite' ? 'one process per PGlite store' : false }, async () => {
      const other = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema, poolSize: 4 });
      try {
        const one = setup({ delayMs: 0 });
        const two = setup({ delayMs: 0, store: other });
        const tag = newObjectId();
        const keys = Array.from({ length: 200 }, (_, i) => `${tag}-${i}`);
        // Same keys, opposite orders, several rounds: sorted claiming keeps them deadlock-free.
        const rounds = [];
        let deliveries = 0;
        for (let r = 0; r < 5; r++) {
          const slice = keys.slice(r * 40, r * 40 + 80);
          deliveries += 2 * slice.length;
          rounds.push(one.writer.submit(slice.map((k) => event({ clientId: k }))));
          rounds.push(two.writer.submit([...slice].reverse().map((k) => event({ clientId: k }))));
        }
        const results = await Promise.all(rounds);
        const submitted = results.reduce((n, r) => n + r.duplicates.size, 0);
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM log_events l JOIN event_dedup d ON d.event_id = l.id WHERE d.key LIKE $1`,
          [`id:${tag}-%`],
        );
        assert.equal(Number(rows[0]!.n), keys.length, 'one stored event per key');
        assert.equal(submitted, deliveries - keys.length, 'every other delivery is a duplicate');
        await one.writer.close();
        await two.writer.close();
      } finally {
        await other.close();
      }
    });
  });
}
