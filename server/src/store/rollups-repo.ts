// Dashboard rollups, maintained in the same transaction as each inserted batch: counts
// per minute and per hour by severity, all-time counts by severity and by source address.
// Dashboard reads cost what the window holds, not what the store holds.
import type { Severity } from '@siem/contracts';
import type { Queryable } from './db.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Bins are aligned to multiples of the bin width counted from 2000-01-01T00:00:00Z. */
const EPOCH_2000_S = 946_684_800;

export interface RollupInput {
  timeMs: number;
  severity: Severity;
  source_ip: string | null;
}

function countBy<T>(items: T[], key: (item: T) => string | null): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  // Sorted keys: concurrent writers then lock rows in one order and cannot deadlock.
  return [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const timeKey = (ms: number, unit: number, severity: string) => `${new Date(Math.floor(ms / unit) * unit).toISOString()}|${severity}`;

export function createRollupsRepo(db: Queryable) {
  return {
    async applyBatch(tx: Queryable, events: RollupInput[]): Promise<void> {
      if (events.length === 0) return;
      const split = (entries: [string, number][]) =>
        JSON.stringify(entries.map(([k, count]) => {
          const [t, severity] = k.split('|');
          return { t, severity, count };
        }));
      const minutes = countBy(events, (e) => timeKey(e.timeMs, MINUTE, e.severity));
      const hours = countBy(events, (e) => timeKey(e.timeMs, HOUR, e.severity));
      const totals = countBy(events, (e) => e.severity).map(([severity, count]) => ({ severity, count }));
      const sources = countBy(events, (e) => e.source_ip).map(([source_ip, count]) => ({ source_ip, count }));
      await tx.query(
        `INSERT INTO event_counts_minute (minute, severity, count)
         SELECT t, severity, count FROM jsonb_to_recordset($1::jsonb) AS x(t timestamptz, severity text, count bigint)
         ON CONFLICT (minute, severity) DO UPDATE SET count = event_counts_minute.count + EXCLUDED.count`,
        [split(minutes)],
      );
      await tx.query(
        `INSERT INTO event_counts_hour (hour, severity, count)
         SELECT t, severity, count FROM jsonb_to_recordset($1::jsonb) AS x(t timestamptz, severity text, count bigint)
         ON CONFLICT (hour, severity) DO UPDATE SET count = event_counts_hour.count + EXCLUDED.count`,
        [split(hours)],
      );
      await tx.query(
        `INSERT INTO event_counts_total (severity, count)
         SELECT severity, count FROM jsonb_to_recordset($1::jsonb) AS x(severity text, count bigint)
         ON CONFLICT (severity) DO UPDATE SET count = event_counts_total.count + EXCLUDED.count`,
        [JSON.stringify(totals)],
      );
      if (sources.length > 0) {
        await tx.query(
          `INSERT INTO event_counts_source_ip (source_ip, count)
           SELECT source_ip, count FROM jsonb_to_recordset($1::jsonb) AS x(source_ip text, count bigint)
           ON CONFLICT (source_ip) DO UPDATE SET count = event_counts_source_ip.count + EXCLUDED.count`,
          [JSON.stringify(sources)],
        );
      }
    },

    async severityTotals(): Promise<{ severity: Severity; count: number }[]> {
      const { rows } = await db.query<{ severity: Severity; count: number }>(
        'SELECT severity, count FROM event_counts_total WHERE count > 0 ORDER BY count DESC, severity',
      );
      return rows.map((r) => ({ severity: r.severity, count: Number(r.count) }));
    },

    /**
     * Per-bin, per-severity counts since `sinceMs` (floored to the table's unit). Hour rows
     * serve wide windows whose bins are whole hours; minute rows everything else.
     */
    async timeline(sinceMs: number, nowMs: number, bucketMinutes: number): Promise<{ bucketMs: number; severity: Severity; count: number }[]> {
      const useHours = bucketMinutes % 60 === 0 && nowMs - sinceMs > 48 * HOUR;
      const [table, column, unit] = useHours ? ['event_counts_hour', 'hour', HOUR] : ['event_counts_minute', 'minute', MINUTE];
      const width = bucketMinutes * 60;
      const { rows } = await db.query<{ bucket: number; severity: Severity; count: number }>(
        `SELECT (${EPOCH_2000_S} + floor((extract(epoch FROM ${column}) - ${EPOCH_2000_S}) / $2) * $2)::float8 AS bucket,
                severity, sum(count)::float8 AS count
         FROM ${table} WHERE ${column} >= $1
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [new Date(Math.floor(sinceMs / unit) * unit).toISOString(), width],
      );
      return rows.map((r) => ({ bucketMs: Number(r.bucket) * 1000, severity: r.severity, count: Number(r.count) }));
    },

    async topSources(limit: number): Promise<{ source_ip: string; count: number }[]> {
      const { rows } = await db.query<{ source_ip: string; count: number }>(
        'SELECT source_ip, count FROM event_counts_source_ip ORDER BY count DESC, source_ip LIMIT $1',
        [limit],
      );
      return rows.map((r) => ({ source_ip: r.source_ip, count: Number(r.count) }));
    },
  };
}
export type RollupsRepo = ReturnType<typeof createRollupsRepo>;
