// The embedded store: PGlite in a data directory (or memory), owned by one process at a
// time through a lock file, with pg_trgm loaded. Same Db interface as the server store.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { AppError } from '../errors.ts';
import type { Db, Queryable } from './db.ts';
import { queryCancelledError } from './db-errors.ts';

const LOCK_FILE = 'siem.lock';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite belongs to one process: a second opener would corrupt the data directory. A lock
 * file with the owner's pid turns that into a plain message (this process included: PGlite
 * cannot open one directory twice either); a lock left by a dead process is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && pidAlive(owner)) {
        throw new AppError(
          'DATA_DIR_LOCKED',
          `The data directory ${dataDir} is in use by process ${owner} (a running SIEM server?). ` +
            'The embedded database allows one process at a time: stop that process first, ' +
            'or point both at a PostgreSQL server with DATABASE_URL.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('DATA_DIR_LOCKED', `Could not lock the data directory ${dataDir}`);
}

export async function openPglite(dataDir: string): Promise<Db> {
  const inMemory = dataDir === ':memory:';
  const release = inMemory ? () => {} : acquireDataDirLock(dataDir);
  let db: PGlite;
  try {
    // pg_trgm backs the log search index (migration 013).
    const extensions = { pg_trgm };
    db = inMemory ? new PGlite({ extensions }) : new PGlite(path.join(dataDir, 'pg'), { extensions });
    await db.waitReady;
  } catch (err) {
    release();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const result = await q.query<T>(sql, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  let closed = false;
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    // One engine on the main thread: nothing can interrupt a statement (statement_timeout
    // has no effect in the WASM build), so the budget and the signal are only checked
    // between statements and the caller keeps each statement's work bounded (timed: false).
    async bounded(o, fn) {
      const deadline = Date.now() + o.timeoutMs;
      const base = wrap(db);
      const check = () => {
        if (o.signal?.aborted) throw queryCancelledError();
      };
      return fn({
        async query<R>(sql: string, params?: unknown[]) {
          check();
          return base.query<R>(sql, params);
        },
        async exec(sql: string) {
          check();
          await base.exec(sql);
        },
        remainingMs: () => Math.max(0, deadline - Date.now()),
        signal: o.signal,
        timed: false,
      });
    },
    async ping() {
      if (closed) throw new Error('database closed');
      await db.query('SELECT 1');
    },
    async tryLock() {
      return { lost: false, onLost: () => {}, release: async () => {} };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}
