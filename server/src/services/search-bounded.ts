// One bounded read for the search tools: runs in Db.bounded with SEARCH_TIMEOUT_MS and maps
// running out of time to 503 SEARCH_TIMEOUT and a client gone to SEARCH_CANCELLED, as the
// log search does.
import { AppError } from '../errors.ts';
import { isQueryCancelled, type BoundedSession, type Db } from '../store/db.ts';

export type BoundedRead = <T>(fn: (session: BoundedSession) => Promise<T>, signal?: AbortSignal) => Promise<T>;

export function createBoundedRead(db: Pick<Db, 'bounded'>, timeoutMs: number, what: string): BoundedRead {
  return async (fn, signal) => {
    try {
      return await db.bounded({ timeoutMs, signal }, fn);
    } catch (err) {
      if (signal?.aborted) throw new AppError('SEARCH_CANCELLED', `The ${what} was cancelled: the client went away`);
      if (!isQueryCancelled(err)) throw err;
      throw new AppError('SEARCH_TIMEOUT', `The ${what} did not finish within ${timeoutMs / 1000} s: narrow it with filters or a shorter time range (since, until)`, {
        retryAfter: Math.max(1, Math.ceil(timeoutMs / 1000)),
      });
    }
  };
}
