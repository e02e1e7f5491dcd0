// Log text search: a case-insensitive literal substring of event_type, source_ip, dest_ip,
// username, hostname or message, newest first. Backed by the trigram index of migration
// 013, bounded in time (the session's budget) and never counting past SEARCH_COUNT_CAP.
import type { LogEvent } from '@siem/contracts';
import { queryCancelledError, type BoundedSession } from './db.ts';

export interface SearchRange {
  sinceMs?: number | undefined;
  untilMs?: number | undefined;
}

/** A page of matches; `totalExact` false when `total` is a lower bound (capped or out of time). */
export interface SearchResult {
  items: LogEvent[];
  total: number;
  totalExact: boolean;
}

/** Matches counted at most: past it, the total is reported as "at least SEARCH_COUNT_CAP + 1". */
export const SEARCH_COUNT_CAP = 10_000;
/** A time range holding at most this many events is read rather than searched through the index. */
export const SEARCH_RANGE_SCAN_ROWS = 50_000;
/** Rows one slice of an unindexed PGlite search reads between two checks of budget and client. */
export const SEARCH_SLICE_ROWS = 10_000;

// The expression migration 013 indexes, written identically so the planner matches it.
// U+001F joins the columns: a term without it can only match inside one column, so this
// one predicate means exactly "some column contains the term".
const SEPARATOR = '\x1f';
// (Exported: the query language matches free text on this same expression, so it uses the index too.)
export const SEARCH_TEXT = `(coalesce(event_type, '') || E'\\x1f' || coalesce(source_ip, '') || E'\\x1f' || coalesce(dest_ip, '') || E'\\x1f' || coalesce(username, '') || E'\\x1f' || coalesce(hostname, '') || E'\\x1f' || coalesce(message, ''))`;
const ANY_COLUMN = '(event_type ILIKE $1 OR source_ip ILIKE $1 OR dest_ip ILIKE $1 OR username ILIKE $1 OR hostname ILIKE $1 OR message ILIKE $1)';

/** Escapes LIKE wildcards so user text is matched literally. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Whether trigrams can narrow the search: pg_trgm needs three word characters in a row.
 * Shorter terms ("ab", "a.b") match too many rows for an index to help.
 */
export function searchUsesIndex(q: string): boolean {
  return !q.includes(SEPARATOR) && /[\p{L}\p{N}]{3}/u.test(q);
}

/**
 * Whether the time range holds at most SEARCH_RANGE_SCAN_ROWS events (counted on the ts
 * index, stopping past it). Then reading the range beats the trigram index, which the
 * planner was measured to prefer anyway: 1.3 s instead of 70 ms for a common term over one
 * hour of a 10-million-event store.
 */
async function rangeIsSmall(session: BoundedSession, q: string, range: SearchRange): Promise<boolean> {
  const { filters, params } = conditions(q, range);
  if (filters.length === 0) return false;
  const { rows } = await session.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM log_events WHERE $1::text IS NOT NULL AND ${filters.join(' AND ')} LIMIT $${params.length + 1}) r`,
    [...params, SEARCH_RANGE_SCAN_ROWS + 1],
  );
  return Number(rows[0]?.n ?? 0) <= SEARCH_RANGE_SCAN_ROWS;
}

/**
 * The page statement (ids, one more than `limit`) and the capped count, as searchEvents
 * runs them; `scanRange` keeps the trigram index out (the range is read instead).
 */
export function searchStatements(q: string, range: SearchRange, offset: number, limit: number, scanRange = false) {
  const { match, filters, params } = conditions(q, range);
  // `|| ''` leaves the meaning alone but no longer matches the indexed expression.
  const where = [scanRange ? match.replace(`${SEARCH_TEXT} ILIKE`, `(${SEARCH_TEXT} || '') ILIKE`) : match, ...filters].join(' AND ');
  const n = params.length;
  return {
    sql: `SELECT id FROM log_events WHERE ${where} ORDER BY ts DESC, seq DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
    params: [...params, limit + 1, offset],
    countSql: `SELECT count(*)::int AS n FROM (SELECT 1 FROM log_events WHERE ${where} LIMIT $${n + 1}) m`,
    countParams: [...params, SEARCH_COUNT_CAP + 1],
  };
}

type PageLoader = (ids: string[]) => Promise<LogEvent[]>;

/** The text match, the time-range conditions and their parameters ($1 is the pattern). */
function conditions(q: string, range: SearchRange): { match: string; filters: string[]; params: unknown[] } {
  const params: unknown[] = [`%${likeLiteral(q)}%`];
  const match = q.includes(SEPARATOR) ? ANY_COLUMN : `${SEARCH_TEXT} ILIKE $1`;
  const filters: string[] = [];
  if (range.sinceMs !== undefined) {
    params.push(new Date(range.sinceMs).toISOString());
    filters.push(`ts >= $${params.length}`);
  }
  if (range.untilMs !== undefined) {
    params.push(new Date(range.untilMs).toISOString());
    filters.push(`ts < $${params.length}`);
  }
  return { match, filters, params };
}

/**
 * The page is read with one row more than asked (is there a next page?); the total is
 * only counted when the page does not settle it, and then at most SEARCH_COUNT_CAP + 1
 * matches. A count the budget cuts short leaves the page intact with what is known as
 * a lower bound. PGlite cannot stop a statement, so there a term the index cannot
 * narrow is read in slices (searchSliced).
 */
export async function searchEvents(session: BoundedSession, load: PageLoader, q: string, range: SearchRange, offset: number, limit: number): Promise<SearchResult> {
  if (!session.timed && !searchUsesIndex(q)) return searchSliced(session, load, q, range, offset, limit);
  const page = searchStatements(q, range, offset, limit, await rangeIsSmall(session, q, range));
  const { rows } = await session.query<{ id: string }>(page.sql, page.params);
  const more = rows.length > limit;
  const ids = rows.slice(0, limit).map((r) => r.id);
  const items = await load(ids);
  // Matches the page proves exist (none when it lies past the end).
  const known = ids.length > 0 ? offset + ids.length + (more ? 1 : 0) : 0;
  // A short page settles the total, unless it is past the end (then: count).
  if (!more && (offset === 0 || ids.length > 0)) return { items, total: known, totalExact: true };

  const { countSql, countParams } = page;
  let counted: number | null;
  if (session.timed) {
    // The count gets what the page left of the budget; running out of it must not lose the page.
    await session.query('SAVEPOINT search_count');
    try {
      counted = Number((await session.query<{ n: number }>(countSql, countParams)).rows[0]?.n ?? 0);
      await session.query('RELEASE SAVEPOINT search_count');
    } catch (err) {
      if (session.signal?.aborted || (err as { code?: unknown }).code !== '57014') throw err;
      await session.query('ROLLBACK TO SAVEPOINT search_count');
      counted = null;
    }
  } else {
    counted = Number((await session.query<{ n: number }>(countSql, countParams)).rows[0]?.n ?? 0);
  }
  if (counted === null) return { items, total: known, totalExact: false };
  return { items, total: Math.max(counted, known), totalExact: counted <= SEARCH_COUNT_CAP };
}

interface SliceRow {
  hits: string[] | null;
  scanned: number;
  last_ts: string | null;
  last_seq: number | string | null;
}

/**
 * Newest first, SEARCH_SLICE_ROWS rows per statement (an index walk on ts), with the
 * budget and the client checked between slices and the event loop let through, so a
 * PGlite server keeps ingesting and answering meanwhile. Stops when the page is full and
 * the count passed the cap, at the end of the range, or when the budget is spent: then
 * a full page is answered with a lower-bound total, an unfilled one fails like a timeout.
 */
async function searchSliced(session: BoundedSession, load: PageLoader, q: string, range: SearchRange, offset: number, limit: number): Promise<SearchResult> {
  const { match, filters: rangeFilters, params } = conditions(q, range);
  const want = offset + limit + 1;
  const ids: string[] = [];
  let matched = 0;
  let cursor: { ts: string; seq: number } | null = null;
  let exhausted = false;
  for (;;) {
    if (session.signal?.aborted) throw queryCancelledError();
    if (session.remainingMs() === 0) break;
    const sliceParams = [...params, SEARCH_SLICE_ROWS];
    const filters = [...rangeFilters];
    if (cursor) {
      sliceParams.push(cursor.ts, cursor.seq);
      const t = `$${sliceParams.length - 1}::timestamptz`;
      filters.push(`ts <= ${t} AND (ts < ${t} OR seq < $${sliceParams.length}::bigint)`);
    }
    const { rows } = await session.query<SliceRow>(
      `WITH slice AS (
         SELECT id, ts, seq, ${match} AS hit FROM log_events
         ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}
         ORDER BY ts DESC, seq DESC LIMIT $${params.length + 1})
       SELECT (SELECT array_agg(id ORDER BY ts DESC, seq DESC) FROM slice WHERE hit) AS hits,
              (SELECT count(*)::int FROM slice) AS scanned,
              last.ts::text AS last_ts, last.seq AS last_seq
       FROM (SELECT 1) one LEFT JOIN (SELECT ts, seq FROM slice ORDER BY ts, seq LIMIT 1) last ON true`,
      sliceParams,
    );
    const slice = rows[0];
    for (const id of slice?.hits ?? []) {
      matched++;
      if (ids.length < want) ids.push(id);
    }
    if (!slice || Number(slice.scanned) < SEARCH_SLICE_ROWS || slice.last_ts === null) {
      exhausted = true;
      break;
    }
    if (ids.length >= want && matched > SEARCH_COUNT_CAP) break;
    cursor = { ts: slice.last_ts, seq: Number(slice.last_seq) };
    await new Promise((resolve) => setImmediate(resolve));
  }
  const pageFull = ids.length >= offset + limit;
  if (!exhausted && !pageFull) throw queryCancelledError('canceling statement due to statement timeout');
  const items = await load(ids.slice(offset, offset + limit));
  if (exhausted) return { items, total: matched, totalExact: true };
  return { items, total: Math.max(matched, ids.length), totalExact: false };
}
