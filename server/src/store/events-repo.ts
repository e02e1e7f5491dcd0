// log_events: batched inserts (one jsonb_to_recordset statement per batch, whatever its
// size), lookups, filtered listing, literal text search and pivots. Newest first
// everywhere, `seq` breaking timestamp ties so pages are stable.
import type { LogEvent } from '@siem/contracts';
import type { EventCore, EventRecord } from '../engine/event.ts';
import type { BoundedSession, Queryable } from './db.ts';
import { COPY_EVENTS_SQL, eventsCopyData } from './event-copy.ts';
import { searchEvents, type SearchRange, type SearchResult } from './events-search.ts';
import type { QueryNode } from '../engine/query/index.ts';
import { compileQuery } from './query-sql.ts';

export { likeLiteral } from './events-search.ts';

/**
 * An event ready to store: prepared by the engine, id and receipt time assigned by the
 * service. `clientId`, the id its sender gave it (dedup), is not a column.
 */
export type NewEvent = EventRecord & { clientId?: string | undefined };

export interface EventFilters {
  source_type?: string | undefined;
  severity?: string | undefined;
  source_ip?: string | undefined;
  dest_ip?: string | undefined;
  event_type?: string | undefined;
  username?: string | undefined;
  hostname?: string | undefined;
  scenario_run_id?: string | undefined;
  sinceMs?: number | undefined;
  untilMs?: number | undefined;
  /** A parsed search query (the `query` parameter), ANDed with the other filters. */
  query?: QueryNode | undefined;
}

export const COLUMNS = `id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
  hostname, username, mitre_tactic, mitre_technique, raw, normalized, metadata, fields, scenario_run_id,
  ARRAY(SELECT ae.alert_id FROM alert_events ae WHERE ae.event_id = log_events.id ORDER BY ae.alert_id) AS matched_alert_ids,
  created_at, updated_at`;

/** Where a replay page ended: the last row's exact time (as the store prints it) and seq. */
export interface ReplayCursor {
  ts: string;
  seq: number;
}

/** Only what correlation reads (the event core): no metadata or alert ids, raw only on request. */
const REPLAY_COLUMNS = `id, ts, ts::text AS ts_text, seq, source_type, severity, event_type, source_ip, dest_ip,
  source_port, dest_port, hostname, username, message, mitre_tactic, mitre_technique, scenario_run_id, normalized, fields`;

type ReplayRow = Omit<EventCore, 'timeMs'> & { ts: Date | string; ts_text: string; seq: number | string };

/** A row as the drivers return it: LogEvent with Date columns and a nullable array. */
export type EventRow = Omit<LogEvent, 'timestamp' | 'created_at' | 'updated_at' | 'matched_alert_ids' | 'fields'> & {
  ts: Date;
  fields: Record<string, unknown> | null;
  matched_alert_ids: string[] | null;
  created_at: Date;
  updated_at: Date;
};

/** The fixed fields of a serialized LogEvent besides its three documents, roughly. */
const EVENT_OVERHEAD_BYTES = 600;
const DOCUMENT_BYTES = "octet_length(raw::text) + octet_length(normalized::text) + octet_length(metadata::text) + coalesce(octet_length(fields::text), 0)";

/** Events within a byte budget; `truncated` when the budget left some out. */
export interface BudgetedEvents {
  items: LogEvent[];
  truncated: boolean;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const msOf = (d: Date | string) => (d instanceof Date ? d.getTime() : Date.parse(d));

export function toLogEvent(row: EventRow): LogEvent {
  const { ts, created_at, updated_at, fields, ...rest } = row;
  return {
    ...rest,
    timestamp: iso(ts),
    raw: row.raw ?? {},
    normalized: row.normalized ?? {},
    metadata: row.metadata ?? {},
    fields: fields ?? {},
    matched_alert_ids: row.matched_alert_ids ?? [],
    created_at: iso(created_at),
    updated_at: iso(updated_at),
  };
}

/** Stored form of a new event, without reading it back. */
export function newEventToLogEvent(e: NewEvent): LogEvent {
  const { timeMs, createdAtMs, message: _message, fields, clientId: _clientId, ...rest } = e;
  const created = new Date(createdAtMs).toISOString();
  return { ...rest, timestamp: new Date(timeMs).toISOString(), fields: fields ?? {}, matched_alert_ids: [], created_at: created, updated_at: created };
}

/** The WHERE clause (or '') of `filters`, their values appended to `params`. */
export function whereClause(filters: EventFilters, params: unknown[]): string {
  const parts: string[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    parts.push(`${column} = $${params.length}`);
  };
  eq('source_type', filters.source_type);
  eq('severity', filters.severity);
  eq('source_ip', filters.source_ip);
  eq('dest_ip', filters.dest_ip);
  eq('event_type', filters.event_type);
  eq('username', filters.username);
  eq('hostname', filters.hostname);
  eq('scenario_run_id', filters.scenario_run_id);
  if (filters.sinceMs !== undefined) {
    params.push(new Date(filters.sinceMs).toISOString());
    parts.push(`ts >= $${params.length}`);
  }
  if (filters.untilMs !== undefined) {
    params.push(new Date(filters.untilMs).toISOString());
    parts.push(`ts < $${params.length}`);
  }
  if (filters.query) parts.push(compileQuery(filters.query, params));
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/** Events by id on `q` (a pool, a transaction, a search session), newest first. */
async function findByIdsOn(q: Queryable, ids: string[]): Promise<LogEvent[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<EventRow>(
    `SELECT ${COLUMNS} FROM log_events WHERE id = ANY($1::text[]) ORDER BY ts DESC, seq DESC`,
    [ids],
  );
  return rows.map(toLogEvent);
}

export function createEventsRepo(db: Queryable) {
  const findByIds = (ids: string[]) => findByIdsOn(db, ids);

  /**
   * Loads the events a size query lists (id, bytes; in answer order) up to about `maxBytes`
   * of JSON documents: sizes are measured in the database first, so a list of large events
   * never loads more than the budget (the first event always fits).
   */
  async function withinBudget(sizeSql: string, params: unknown[], maxBytes: number): Promise<BudgetedEvents> {
    const { rows } = await db.query<{ id: string; bytes: number }>(sizeSql, params);
    const ids: string[] = [];
    let total = 0;
    for (const row of rows) {
      total += Number(row.bytes) + EVENT_OVERHEAD_BYTES;
      if (ids.length > 0 && total > maxBytes) break;
      ids.push(row.id);
    }
    return { items: await findByIds(ids), truncated: ids.length < rows.length };
  }

  return {
    /**
     * Stores a batch: through COPY when the transaction offers it (a PostgreSQL server),
     * else one INSERT over jsonb_to_recordset (PGlite). `method` forces one (tests).
     */
    async insertMany(tx: Queryable, events: NewEvent[], opts: { method?: 'copy' | 'insert' } = {}): Promise<void> {
      if (events.length === 0) return;
      const method = opts.method ?? (tx.copyFrom ? 'copy' : 'insert');
      if (method === 'copy') {
        if (!tx.copyFrom) throw new Error('COPY needs a PostgreSQL server transaction');
        await tx.copyFrom(COPY_EVENTS_SQL, eventsCopyData(events));
        return;
      }
      // The record's own names are the columns; only the two times change form.
      const rows = events.map(({ timeMs, createdAtMs, clientId: _clientId, ...columns }) => ({
        ...columns,
        ts: new Date(timeMs).toISOString(),
        created_at: new Date(createdAtMs).toISOString(),
      }));
      await tx.query(
        `INSERT INTO log_events (id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port,
           dest_port, hostname, username, mitre_tactic, mitre_technique, message, raw, normalized, metadata,
           fields, scenario_run_id, created_at, updated_at)
         SELECT id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
           hostname, username, mitre_tactic, mitre_technique, message, raw, normalized, metadata,
           fields, scenario_run_id, created_at, created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, ts timestamptz, source_type text, severity text,
           event_type text, source_ip text, dest_ip text, source_port int, dest_port int, hostname text,
           username text, mitre_tactic text, mitre_technique text, message text, raw jsonb, normalized jsonb,
           metadata jsonb, fields jsonb, scenario_run_id text, created_at timestamptz)`,
        [JSON.stringify(rows)],
      );
    },

    async findById(id: string): Promise<LogEvent | null> {
      const { rows } = await db.query<EventRow>(`SELECT ${COLUMNS} FROM log_events WHERE id = $1`, [id]);
      return rows[0] ? toLogEvent(rows[0]) : null;
    },

    /** Events by id, newest first; missing ids are skipped. */
    findByIds,

    /** `on`: where to run it (a bounded session for queries); the repo's store by default. */
    async list(filters: EventFilters, offset: number, limit: number, on: Queryable = db): Promise<LogEvent[]> {
      const params: unknown[] = [];
      const where = whereClause(filters, params);
      params.push(limit, offset);
      const { rows } = await on.query<EventRow>(
        `SELECT ${COLUMNS} FROM log_events ${where} ORDER BY ts DESC, seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      return rows.map(toLogEvent);
    },

    async count(filters: EventFilters, on: Queryable = db): Promise<number> {
      const params: unknown[] = [];
      const where = whereClause(filters, params);
      const { rows } = await on.query<{ n: number }>(`SELECT count(*)::int AS n FROM log_events ${where}`, params);
      return Number(rows[0]?.n ?? 0);
    },

    /**
     * Case-insensitive literal substring search over the text fields analysts look for,
     * newest first, within the session's budget (see search.ts).
     */
    search(session: BoundedSession, q: string, range: SearchRange, offset: number, limit: number): Promise<SearchResult> {
      // The page's rows are read in the session too: same connection, same budget.
      return searchEvents(session, (ids) => findByIdsOn(session, ids), q, range, offset, limit);
    },

    /** Whether the trigram index of migration 013 exists (pg_trgm may have been unavailable). */
    async searchIndexed(): Promise<boolean> {
      const { rows } = await db.query<{ ok: boolean }>("SELECT to_regclass('log_events_search_idx') IS NOT NULL AS ok");
      return rows[0]?.ok === true;
    },

    /** Newest events sharing one indicator: at most `limit`, and about `maxBytes` (see withinBudget). */
    async pivot(field: 'source_ip' | 'username' | 'hostname', value: string, limit: number, maxBytes: number): Promise<BudgetedEvents> {
      // `field` comes from a fixed union, never from the request.
      return withinBudget(`SELECT id, ${DOCUMENT_BYTES} AS bytes FROM log_events WHERE ${field} = $1 ORDER BY ts DESC, seq DESC LIMIT $2`, [value, limit], maxBytes);
    },

    /** Events by id, newest first, about `maxBytes` of them (see withinBudget); missing ids are skipped. */
    async findByIdsWithin(ids: string[], maxBytes: number): Promise<BudgetedEvents> {
      if (ids.length === 0) return { items: [], truncated: false };
      return withinBudget(`SELECT id, ${DOCUMENT_BYTES} AS bytes FROM log_events WHERE id = ANY($1::text[]) ORDER BY ts DESC, seq DESC`, [ids], maxBytes);
    },

    /**
     * One page of events with ts >= since in ascending event time after `cursor`, holding
     * only the fields correlation reads: replays (rule tests) walk history page by page
     * instead of loading it whole.
     */
    async replayPage(
      sinceMs: number,
      cursor: ReplayCursor | null,
      limit: number,
      opts: { raw?: boolean } = {},
    ): Promise<{ events: EventCore[]; next: ReplayCursor | null }> {
      const params: unknown[] = [new Date(sinceMs).toISOString(), limit];
      let after = '';
      if (cursor) {
        params.push(cursor.ts, cursor.seq);
        after = 'AND (ts, seq) > ($3::timestamptz, $4::bigint)';
      }
      const { rows } = await db.query<ReplayRow>(
        `SELECT ${REPLAY_COLUMNS}${opts.raw === true ? ', raw' : ''} FROM log_events WHERE ts >= $1 ${after} ORDER BY ts ASC, seq ASC LIMIT $2`,
        params,
      );
      const last = rows.at(-1);
      return {
        events: rows.map(({ ts, ts_text: _text, seq: _seq, ...core }) => ({ ...core, timeMs: msOf(ts) })),
        next: last && rows.length === limit ? { ts: last.ts_text, seq: Number(last.seq) } : null,
      };
    },

    /** Events with ts >= since in ascending event time, for replays (rule tests). */
    async listSince(sinceMs: number, limit: number): Promise<LogEvent[]> {
      const { rows } = await db.query<EventRow>(
        `SELECT ${COLUMNS} FROM log_events WHERE ts >= $1 ORDER BY ts ASC, seq ASC LIMIT $2`,
        [new Date(sinceMs).toISOString(), limit],
      );
      return rows.map(toLogEvent);
    },
  };
}
export type EventsRepo = ReturnType<typeof createEventsRepo>;
