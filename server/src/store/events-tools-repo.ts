// Reads behind the search tools, over the same filters (whereClause) as GET /v1/logs: export
// chunks walked by keyset on (ts, seq), histogram counts per bucket, and top values and
// field coverage of the newest matches. Each statement is bounded in rows (a chunk, the
// sample) or runs in a bounded session whose budget the caller sets.
import type { LogEvent, StatColumn } from '@siem/contracts';
import type { Queryable } from './db.ts';
import { COLUMNS, toLogEvent, whereClause, type EventFilters, type EventRow } from './events-repo.ts';

/** Where an export chunk ended: the last row's exact time (as the store prints it) and seq. */
export interface ExportCursor {
  ts: string;
  seq: number;
}

/** The columns a CSV line is made of, plus the parsed fields when some were asked for. */
export interface CsvRow {
  id: string;
  ts: Date | string;
  severity: string;
  source_type: string;
  event_type: string | null;
  source_ip: string | null;
  dest_ip: string | null;
  hostname: string | null;
  username: string | null;
  message: string | null;
  fields?: Record<string, unknown> | null;
}

const CSV_SELECT = 'id, ts, severity, source_type, event_type, source_ip, dest_ip, hostname, username, message';

/** Newest first after `cursor`, at most `limit` rows of `select`. */
async function chunk<R>(q: Queryable, select: string, filters: EventFilters, cursor: ExportCursor | null, limit: number) {
  const params: unknown[] = [];
  let where = whereClause(filters, params);
  if (cursor) {
    // Placeholders are numbered after whereClause's, so the cursor's come afterwards.
    params.push(cursor.ts, cursor.seq);
    const after = `(ts, seq) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
    where = where ? `${where} AND ${after}` : `WHERE ${after}`;
  }
  params.push(limit);
  const { rows } = await q.query<R & { ts_text: string; seq: number | string }>(
    `SELECT ${select}, ts::text AS ts_text, seq FROM log_events ${where} ORDER BY ts DESC, seq DESC LIMIT $${params.length}`,
    params,
  );
  const last = rows.at(-1);
  return { rows, next: last && rows.length === limit ? { ts: last.ts_text, seq: Number(last.seq) } : null };
}

/** The SQL text of a column or a parsed field's value, cut to `chars` ($-placeholders pushed to params). */
function valueExpr(name: string, isColumn: boolean, params: unknown[], chars: string): string {
  // Column names come from the fixed STAT_COLUMNS list, never from the request as such.
  if (isColumn) return `left(${name}::text, ${chars})`;
  params.push(name);
  const k = `$${params.length}::text`;
  return `left(CASE jsonb_typeof(fields -> ${k}) WHEN 'string' THEN fields ->> ${k} WHEN 'null' THEN NULL ELSE (fields -> ${k})::text END, ${chars})`;
}

export interface TopRow {
  i: number | null;
  v: string | null;
  n: number | null;
  distinct_n: number | null;
  present: number | null;
  sample_n: number;
}

export function createEventsToolsRepo() {
  return {
    /** One export chunk of whole events (NDJSON). */
    async exportEvents(q: Queryable, filters: EventFilters, cursor: ExportCursor | null, limit: number): Promise<{ events: LogEvent[]; next: ExportCursor | null }> {
      const { rows, next } = await chunk<EventRow>(q, COLUMNS, filters, cursor, limit);
      return { events: rows.map(({ ts_text: _t, seq: _s, ...row }) => toLogEvent(row as unknown as EventRow)), next };
    },

    /** One export chunk of the CSV columns (and `fields` when `withFields`). */
    async exportCsvRows(q: Queryable, filters: EventFilters, cursor: ExportCursor | null, limit: number, withFields: boolean): Promise<{ rows: CsvRow[]; next: ExportCursor | null }> {
      return chunk<CsvRow>(q, withFields ? `${CSV_SELECT}, fields` : CSV_SELECT, filters, cursor, limit);
    },

    /** Matches per bucket of `widthMs` (aligned on the epoch), by severity when asked. */
    async histogram(q: Queryable, filters: EventFilters, widthMs: number, bySeverity: boolean): Promise<{ bucket: number; severity: string | null; n: number }[]> {
      const params: unknown[] = [];
      const where = whereClause(filters, params);
      params.push(widthMs);
      const w = `$${params.length}::bigint`;
      const sev = bySeverity ? 'severity' : 'NULL::text';
      const { rows } = await q.query<{ bucket: number | string; severity: string | null; n: number }>(
        `SELECT floor(extract(epoch FROM ts) * 1000 / ${w})::bigint AS bucket, ${sev} AS severity, count(*)::int AS n
         FROM log_events ${where} GROUP BY 1, 2`,
        params,
      );
      return rows.map((r) => ({ bucket: Number(r.bucket), severity: r.severity, n: Number(r.n) }));
    },

    /**
     * Top values of each field among the newest `sample` matches: per field (index `i`)
     * its `top` most frequent values with their counts, how many events of the sample
     * carry it and how many distinct values it has; `sample_n` is the sample's real size.
     */
    async topValues(
      q: Queryable,
      filters: EventFilters,
      fields: { name: string; column: boolean }[],
      opts: { sample: number; top: number; chars: number },
    ): Promise<TopRow[]> {
      const params: unknown[] = [opts.chars];
      const exprs = fields.map((f, i) => `${valueExpr(f.name, f.column, params, '$1::int')} AS f${i}`);
      const where = whereClause(filters, params);
      params.push(opts.sample);
      const sample = `SELECT ${exprs.join(', ')} FROM log_events ${where} ORDER BY ts DESC, seq DESC LIMIT $${params.length}`;
      params.push(opts.top);
      const top = `$${params.length}`;
      const groups = fields.map((_, i) => `SELECT ${i} AS i, f${i} AS v, count(*)::int AS n FROM sample WHERE f${i} IS NOT NULL GROUP BY f${i}`);
      const { rows } = await q.query<TopRow>(
        `WITH sample AS (${sample})
         SELECT s.sample_n, x.i, x.v, x.n, x.distinct_n, x.present
         FROM (SELECT count(*)::int AS sample_n FROM sample) s
         LEFT JOIN (
           SELECT i, v, n, distinct_n, present FROM (
             SELECT i, v, n, count(*) OVER (PARTITION BY i)::int AS distinct_n, (sum(n) OVER (PARTITION BY i))::int AS present,
                    row_number() OVER (PARTITION BY i ORDER BY n DESC, v) AS r
             FROM (${groups.join(' UNION ALL ')}) g
           ) ranked WHERE r <= ${top}
         ) x ON true
         ORDER BY x.i, x.n DESC, x.v`,
        params,
      );
      return rows;
    },

    /** Columns set and parsed fields present among the newest `sample` matches, most covered first. */
    async coverage(q: Queryable, filters: EventFilters, columns: readonly StatColumn[], opts: { sample: number; max: number }): Promise<{ sampleSize: number; fields: { kind: 'column' | 'field'; name: string; n: number }[] }> {
      const params: unknown[] = [];
      const where = whereClause(filters, params);
      params.push(opts.sample);
      const present = `jsonb_strip_nulls(jsonb_build_object(${columns.map((c) => `'${c}', ${c}`).join(', ')}))`;
      const sample = `SELECT ${present} AS cols, CASE WHEN jsonb_typeof(fields) = 'object' THEN fields ELSE '{}'::jsonb END AS fields
        FROM log_events ${where} ORDER BY ts DESC, seq DESC LIMIT $${params.length}`;
      params.push(opts.max);
      const { rows } = await q.query<{ sample_n: number; kind: 'column' | 'field' | null; name: string | null; n: number | null }>(
        `WITH sample AS (${sample})
         SELECT s.sample_n, x.kind, x.name, x.n
         FROM (SELECT count(*)::int AS sample_n FROM sample) s
         LEFT JOIN (
           SELECT kind, name, n FROM (
             SELECT 'column' AS kind, k AS name, count(*)::int AS n FROM sample, jsonb_object_keys(cols) k GROUP BY k
             UNION ALL
             SELECT 'field', k, count(*)::int FROM sample, jsonb_object_keys(fields) k GROUP BY k
           ) u ORDER BY n DESC, kind, name LIMIT $${params.length}
         ) x ON true
         ORDER BY x.n DESC, x.kind, x.name`,
        params,
      );
      const sampleSize = Number(rows[0]?.sample_n ?? 0);
      const fields = rows.filter((r) => r.name !== null).map((r) => ({ kind: r.kind!, name: r.name!, n: Number(r.n) }));
      return { sampleSize, fields };
    },
  };
}
export type EventsToolsRepo = ReturnType<typeof createEventsToolsRepo>;
