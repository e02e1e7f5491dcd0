// The daily partitions of log_events (log_events_pYYYYMMDD, one UTC day of event time each)
// and the DEFAULT partition that takes every day without one. Every change runs under one
// advisory lock per schema, so processes sharing a store may all run the maintenance:
// they take turns, and whoever comes second finds the work done. Table names are built
// from checked calendar days only (DDL takes no parameters).
import type { Db, Queryable } from './db.ts';

const PARENT = 'log_events';
const DEFAULT_PARTITION = 'log_events_default';
const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const NAME_PATTERN = /^log_events_p(\d{4})(\d{2})(\d{2})$/;
/**
 * Creating or dropping a partition briefly locks log_events (or its DEFAULT partition)
 * against writers; behind a long query it would wait, and every insert would queue behind
 * it. Past this wait it gives up, and the next run tries again.
 */
const LOCK_TIMEOUT = '5s';

/** A daily partition: its table name and the UTC day it holds ([startMs, startMs + 1 day)). */
export interface DailyPartition {
  name: string;
  day: string;
  startMs: number;
}

/** `YYYY-MM-DD` of the UTC day holding `ms`. */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

function partitionOf(day: string): DailyPartition {
  // The name becomes an identifier: only a well-formed, real calendar day gets that far.
  const startMs = Date.parse(`${day}T00:00:00Z`);
  if (!DAY_PATTERN.test(day) || !Number.isFinite(startMs) || utcDay(startMs) !== day) {
    throw new Error(`not a UTC day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  }
  return { name: `${PARENT}_p${day.replaceAll('-', '')}`, day, startMs };
}

async function lock(tx: Queryable): Promise<void> {
  // Per schema: deployments sharing a database do not wait on each other.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':log_events partitions'))");
  await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
}

async function exists(tx: Queryable, table: string): Promise<boolean> {
  // A query on pg_class, not to_regclass: the relation cache may not yet know of a change
  // committed by the process that held the lock before us; a fresh snapshot does.
  const { rows } = await tx.query<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace) AS found',
    [table],
  );
  return rows[0]?.found === true;
}

export function createPartitionsRepo(db: Db) {
  async function list(tx: Queryable = db): Promise<DailyPartition[]> {
    const { rows } = await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = '${PARENT}'::regclass ORDER BY c.relname`,
    );
    const out: DailyPartition[] = [];
    for (const { name } of rows) {
      const m = NAME_PATTERN.exec(name);
      if (m) out.push(partitionOf(`${m[1]}-${m[2]}-${m[3]}`));
    }
    return out;
  }

  return {
    /** The daily partitions, oldest first (the DEFAULT partition is not one of them). */
    list,

    /**
     * Creates the partition of `day` unless it exists; rows of that day already in the
     * DEFAULT partition move into it in the same transaction. Says whether it was created
     * and how many rows moved.
     * Built apart and then attached: attaching locks log_events less than CREATE ...
     * PARTITION OF would (inserts go on), and it needs the DEFAULT partition to hold no
     * row of the day, which the move guarantees.
     */
    async ensureDay(day: string): Promise<{ created: boolean; moved: number }> {
      const p = partitionOf(day);
      return db.transaction(async (tx) => {
        await lock(tx);
        if (await exists(tx, p.name)) return { created: false, moved: 0 };
        const from = new Date(p.startMs).toISOString();
        const to = new Date(p.startMs + DAY_MS).toISOString();
        // The locks ATTACH takes, taken first and in the order queries take them (parent,
        // then partition): no insert can reach the DEFAULT partition between the move and
        // the attach, which would make the attach fail.
        await tx.query(`LOCK TABLE ONLY ${PARENT} IN SHARE UPDATE EXCLUSIVE MODE`);
        await tx.query(`LOCK TABLE ${DEFAULT_PARTITION} IN ACCESS EXCLUSIVE MODE`);
        await tx.query(`CREATE TABLE ${p.name} (LIKE ${PARENT} INCLUDING DEFAULTS)`);
        // Same columns in the same order (LIKE copies the parent's), so SELECT * lines up.
        const { rowCount: moved } = await tx.query(
          `WITH moved AS (DELETE FROM ${DEFAULT_PARTITION} WHERE ts >= $1 AND ts < $2 RETURNING *)
           INSERT INTO ${p.name} SELECT * FROM moved`,
          [from, to],
        );
        await tx.query(`ALTER TABLE ${PARENT} ATTACH PARTITION ${p.name} FOR VALUES FROM ('${from}') TO ('${to}')`);
        return { created: true, moved };
      });
    },

    /** Drops the daily partitions that end at or before `cutoffMs`; returns their days. */
    async dropEndingBefore(cutoffMs: number): Promise<string[]> {
      const dropped: string[] = [];
      for (const p of await list()) {
        if (p.startMs + DAY_MS > cutoffMs) continue;
        // One transaction per partition: a lock wait on one does not undo the others.
        const done = await db.transaction(async (tx) => {
          await lock(tx);
          if (!(await exists(tx, p.name))) return false;
          await tx.query(`DROP TABLE ${p.name}`);
          return true;
        });
        if (done) dropped.push(p.day);
      }
      return dropped;
    },

    /**
     * Makes the space of rows moved or deleted from the DEFAULT partition reusable. Only
     * embedded PGlite needs it: it has no autovacuum, which a PostgreSQL server runs.
     */
    async reclaimDefault(): Promise<void> {
      if (db.kind === 'pglite') await db.exec(`VACUUM ${DEFAULT_PARTITION}`);
    },

    /** Deletes up to `limit` rows older than `cutoffMs` from the DEFAULT partition; returns how many. */
    async deleteDefaultBefore(cutoffMs: number, limit: number): Promise<number> {
      const { rowCount } = await db.query(
        `DELETE FROM ${DEFAULT_PARTITION} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${DEFAULT_PARTITION} WHERE ts < $1 LIMIT $2))`,
        [new Date(cutoffMs).toISOString(), limit],
      );
      return rowCount;
    },
  };
}
export type PartitionsRepo = ReturnType<typeof createPartitionsRepo>;
