// One PostgreSQL dialect, two engines: embedded PGlite (a data directory, or memory) by
// default, a PostgreSQL server when DATABASE_URL is set. Repositories see only Queryable,
// so the same SQL runs on both and tests exercise real PostgreSQL semantics.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { openPglite } from './db-pglite.ts';
import { isStoreUnavailable, markUnavailable, queryCancelledError, sqlState } from './db-errors.ts';

export { acquireDataDirLock } from './db-pglite.ts';
export { isQueryCancelled, isStoreUnavailable, queryCancelledError, sqlState } from './db-errors.ts';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * `COPY ... FROM STDIN` fed with `data` (text format, already encoded); only a PostgreSQL
   * server's transaction offers it. Resolves with the rows copied.
   */
  copyFrom?(sql: string, data: readonly Buffer[]): Promise<number>;
}

/** A held session lock. `lost` turns true (and onLost listeners run) when its session dies. */
export interface SessionLock {
  readonly lost: boolean;
  onLost(listener: (err: Error) => void): void;
  release(): Promise<void>;
}

/** A read-only session with a time budget (see Db.bounded). */
export interface BoundedSession extends Queryable {
  /** Milliseconds left of the budget (0 when spent). */
  remainingMs(): number;
  /** Aborted when the caller gave up (its client went away). */
  readonly signal: AbortSignal | undefined;
  /**
   * True when the database itself stops a statement past the budget (statement_timeout,
   * failing with SQLSTATE 57014). False on PGlite, where statement_timeout has no effect
   * and a statement runs to its end: the caller bounds its work in rows instead.
   */
  readonly timed: boolean;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs read-only statements within `timeoutMs`, on a connection of their own (a server
   * store keeps a small separate pool for them, so a heavy read never holds a connection a
   * writer needs). Aborting `signal` cancels the statement in flight on the server.
   * Running out of time or being cancelled fails with SQLSTATE 57014 (isQueryCancelled).
   */
  bounded<T>(opts: { timeoutMs: number; signal?: AbortSignal | undefined }, fn: (session: BoundedSession) => Promise<T>): Promise<T>;
  /**
   * Takes a named session lock (leader election between processes sharing a server):
   * returns its release function, or null when another session holds it. The lock is
   * freed by the server if this process dies, and lost by this one when its session is
   * terminated (checked every `checkMs`). PGlite has one process: always granted.
   */
  tryLock(name: string, checkMs?: number): Promise<SessionLock | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  schema?: string | undefined;
  poolSize?: number;
  /** How long a statement waits for a free pooled connection before the store counts as unavailable. */
  connectTimeoutMs?: number;
  /** Connections of the separate pool bounded reads (search) use on a server store. */
  boundedPoolSize?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts.dataDir);
}

// ---- PostgreSQL server ------------------------------------------------------------------

const SAVEPOINT_COMMAND = /^\s*(SAVEPOINT|RELEASE|ROLLBACK)\b/i;

// int8 (counts, sums) as numbers: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** Runs fn between `begin` and COMMIT on one client; ROLLBACK (best effort) when it throws. */
async function inTransaction<T>(client: pg.PoolClient, begin: string, fn: () => Promise<T>): Promise<T> {
  await client.query(begin);
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

async function openPostgres(url: string, opts: DbOptions): Promise<Db> {
  const schema = opts.schema;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    // Names the sessions in pg_stat_activity (which deployment holds which connection).
    application_name: schema ? `siem:${schema}`.slice(0, 63) : 'siem',
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that dies (server restart) must not crash the process.
  pool.on('error', () => {});
  // Bounded reads (search) get connections of their own: however many run, and however
  // long, the writers' pool is untouched. Created on first use.
  let boundedPool: pg.Pool | undefined;
  const readPool = (): pg.Pool => {
    if (!boundedPool) {
      boundedPool = new pg.Pool({
        connectionString: url,
        max: opts.boundedPoolSize ?? 2,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
        application_name: `${schema ? `siem:${schema}` : 'siem'}:read`.slice(0, 63),
        ...(schema ? { options: `-c search_path=${schema}` } : {}),
      });
      boundedPool.on('error', () => {});
    }
    return boundedPool;
  };
  if (schema) {
    // Two processes starting together race on IF NOT EXISTS; the loser's error is benign.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((err: unknown) => {
      if (!['23505', '42P06'].includes(sqlState(err) ?? '')) throw err;
    });
  }
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async copyFrom(sql: string, data: readonly Buffer[]) {
      const stream = client.query(copyStreams.from(sql));
      await pipeline(Readable.from(data, { objectMode: false }), stream);
      return stream.rowCount;
    },
  });
  // pool.query would do the same, but its failures to get a connection (pool exhausted
  // past the timeout, server unreachable) could only be told apart by message text. A
  // checked-out client has no error listener of the pool's: without one, a backend that
  // dies mid-statement would crash the process; the error it emits (the same object the
  // statement fails with) is marked as "store unavailable".
  const acquire = async (): Promise<{ client: pg.PoolClient; done: (failure?: unknown) => void }> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw markUnavailable(err);
    }
    const onError = (err: unknown) => void markUnavailable(err);
    client.on('error', onError);
    return {
      client,
      done(failure?: unknown) {
        client.removeListener('error', onError);
        // A connection-level failure discards the client instead of pooling it again.
        client.release(failure !== undefined && isStoreUnavailable(failure) ? (failure as Error) : undefined);
      },
    };
  };
  const base: Queryable = {
    async query<T>(sql: string, params?: unknown[]) {
      const { client, done } = await acquire();
      let failure: unknown;
      try {
        const result = await client.query(sql, params as unknown[]);
        return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        done(failure);
      }
    },
    async exec(sql: string) {
      await base.query(sql);
    },
  };
  return {
    kind: 'postgres',
    ...base,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const { client, done } = await acquire();
      let failure: unknown;
      try {
        return await inTransaction(client, 'BEGIN', () => fn(wrap(client)));
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        done(failure);
      }
    },
    async bounded<T>(o: { timeoutMs: number; signal?: AbortSignal | undefined }, fn: (session: BoundedSession) => Promise<T>): Promise<T> {
      const deadline = Date.now() + o.timeoutMs;
      if (o.signal?.aborted) throw queryCancelledError();
      let client: pg.PoolClient;
      try {
        client = await readPool().connect();
      } catch (err) {
        throw markUnavailable(err);
      }
      const onError = (err: unknown) => void markUnavailable(err);
      client.on('error', onError);
      // A cancel is aimed at this backend while it runs our statement; afterwards the
      // connection is discarded, so a late cancel can never hit someone else's statement.
      const pid = (client as unknown as { processID?: number }).processID;
      let cancelled = false;
      const onAbort = () => {
        cancelled = true;
        if (pid) pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const remainingMs = () => Math.max(0, deadline - Date.now());
      const session: BoundedSession = {
        async query<R>(sql: string, params?: unknown[]) {
          if (o.signal?.aborted) throw queryCancelledError();
          // The statement gets what is left of the budget; 0 would mean "no limit". Not
          // before savepoint commands: after a stopped statement only ROLLBACK TO may run.
          if (!SAVEPOINT_COMMAND.test(sql)) {
            await client.query("SELECT set_config('statement_timeout', $1, true)", [String(Math.max(1, remainingMs()))]);
          }
          const result = await client.query(sql, params as unknown[]);
          return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
        },
        async exec(sql: string) {
          await session.query(sql);
        },
        remainingMs,
        signal: o.signal,
        timed: true,
      };
      let failure: unknown;
      try {
        return await inTransaction(client, 'BEGIN READ ONLY', () => fn(session));
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        o.signal?.removeEventListener('abort', onAbort);
        client.removeListener('error', onError);
        const discard = cancelled || (failure !== undefined && isStoreUnavailable(failure));
        client.release(discard ? (failure instanceof Error ? failure : new Error('cancelled')) : undefined);
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async tryLock(name: string, checkMs = 2000) {
      const client = await pool.connect();
      const key = `${schema ?? 'public'}:${name}`;
      // The lock lives as long as this session: a terminated backend (pg_terminate_backend,
      // a restart, a failover) surfaces as an error event on the checked-out client, which
      // must be listened to or it takes the whole process down.
      const listeners: ((err: Error) => void)[] = [];
      let lost = false;
      let released = false;
      const check: { timer?: NodeJS.Timeout } = {};
      const loseWith = (err: Error): void => {
        if (lost || released) return;
        lost = true;
        clearInterval(check.timer);
        client.release(err);
        for (const l of listeners) l(err);
      };
      client.on('error', loseWith);
      try {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
        if (!rows[0]?.ok) {
          client.off('error', loseWith);
          client.release();
          return null;
        }
      } catch (err) {
        client.off('error', loseWith);
        client.release(err as Error);
        throw err;
      }
      // A session can also vanish without an error event reaching us (a silent network
      // drop): ask it regularly whether it still holds the lock.
      let checking = false;
      check.timer = setInterval(() => {
        if (checking || lost || released) return;
        checking = true;
        client
          // This client holds nothing else, so any advisory lock of its session is this one.
          .query<{ held: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted) AS held")
          .then(
            ({ rows }) => {
              if (!rows[0]?.held) loseWith(new Error('the session no longer holds the lock'));
            },
            (err: unknown) => loseWith(err instanceof Error ? err : new Error(String(err))),
          )
          .finally(() => {
            checking = false;
          });
      }, checkMs);
      check.timer.unref();
      return {
        get lost() {
          return lost;
        },
        onLost(listener: (err: Error) => void) {
          listeners.push(listener);
        },
        async release() {
          if (released || lost) return;
          released = true;
          clearInterval(check.timer);
          try {
            await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
            client.off('error', loseWith);
            client.release();
          } catch (err) {
            client.release(err as Error);
          }
        },
      };
    },
    async close() {
      await Promise.all([pool.end(), boundedPool?.end()]);
    },
  };
}
