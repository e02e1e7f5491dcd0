// The correlation cursor on both stores: pages walk every stored event once, in log order,
// across sequence numbers of different lengths; an event of a transaction still running is
// not passed over (PostgreSQL server: a later transaction commits first); the replay start
// keeps the newest events of the horizon.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { START_CURSOR, createCorrelationRepo } from '../../src/store/correlation-repo.ts';
import type { Cursor } from '../../src/store/correlation-repo.ts';
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

/**
 * Reads until `expected` events are seen: on a shared PostgreSQL server, other sessions'
 * transactions may hold the settled horizon back for a moment.
 */
async function readSettled(db: Db, pageSize: number, expected: number): Promise<string[]> {
  let seen: string[] = [];
  for (let i = 0; i < 200 && seen.length < expected; i++) {
    seen = await readAll(db, pageSize);
    if (seen.length < expected) await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

async function readAll(db: Db, pageSize: number, from: Cursor = START_CURSOR): Promise<string[]> {
  const repo = createCorrelationRepo(db);
  const types: string[] = [];
  for (let cursor = from; ; ) {
    const page = await repo.readAfter(cursor, pageSize);
    if (page.length === 0) return types;
    for (const e of page) types.push(e.event_type!);
    cursor = page[page.length - 1]!.cursor;
  }
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`correlation cursor on ${kind}`, { skip: kind === 'postgres' && skipWithoutPostgres }, () => {
    it('pages through every event once, in log order, past 9 -> 10 -> 1,000 -> 1,000+ sequence numbers', async () => {
      const { db, drop } = await openTestDb(kind);
      try {
        const events = createEventsRepo(db);
        const t = Date.now();
        let n = 0;
        for (const size of [7, 993, 1500]) {
          const batch = Array.from({ length: size }, () => event(n++, t + n));
          await db.transaction((tx) => events.insertMany(tx, batch));
        }
        const seen = await readSettled(db, 97, 2500);
        assert.equal(seen.length, 2500);
        assert.deepEqual(seen, Array.from({ length: 2500 }, (_, i) => `e${i}`));
      } finally {
        await drop();
      }
    });

    it('the replay start keeps the newest events after the horizon, up to the checkpoint', async () => {
      const { db, drop } = await openTestDb(kind);
      try {
        const events = createEventsRepo(db);
        const repo = createCorrelationRepo(db);
        const t = Date.now() - 100_000;
        const batch = Array.from({ length: 100 }, (_, i) => event(i, t + i * 1000));
        await db.transaction((tx) => events.insertMany(tx, batch));
        assert.equal((await readSettled(db, 1000, 100)).length, 100);
        const all = await repo.readAfter(START_CURSOR, 1000);
        const upTo = all[79]!.cursor; // checkpoint after e79
        const start = await repo.historyStart(upTo, t + 50_000, 20);
        assert.ok(start);
        assert.equal(start.total, 21, 'e50..e79 are within the horizon: more than 20, counted up to 21');
        const whole = await repo.historyStart(upTo, t + 50_000, 50);
        assert.equal(whole?.total, 30, 'all of them when they fit');
        const history = await repo.readHistory(start.after, upTo, t + 50_000, 1000);
        assert.deepEqual(history.map((e) => e.event_type), Array.from({ length: 20 }, (_, i) => `e${60 + i}`));
      } finally {
        await drop();
      }
    });
  });
}

describe('correlation cursor on a PostgreSQL server with concurrent writers', { skip: skipWithoutPostgres }, () => {
  it('does not pass over an event whose transaction commits after a later one', async () => {
    const { db, drop } = await openTestDb('postgres');
    try {
      const events = createEventsRepo(db);
      const t = Date.now();
      let releaseSlow!: () => void;
      const held = new Promise<void>((r) => (releaseSlow = r));
      let slowWrote!: () => void;
      const wrote = new Promise<void>((r) => (slowWrote = r));
      // The slow transaction writes first (older id), then stays open while a later one commits.
      const slow = db.transaction(async (tx) => {
        await events.insertMany(tx, [event(0, t)]);
        slowWrote();
        await held;
      });
      await wrote;
      await db.transaction((tx) => events.insertMany(tx, [event(1, t + 1)]));
      assert.deepEqual(await readAll(db, 10), [], 'nothing is settled while an older writer runs');
      releaseSlow();
      await slow;
      assert.deepEqual(await readSettled(db, 10, 2), ['e0', 'e1']);
    } finally {
      await drop();
    }
  });
});
