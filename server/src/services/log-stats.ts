// The analyst's views of a log filter's matches: a histogram over time (bucket width from the
// range, see engine/search/histogram.ts) and field statistics (top values, field coverage)
// of the newest matches. Both run as bounded reads (SEARCH_TIMEOUT_MS, cancelled with the client).
import {
  FIELD_STATS_LIMITS,
  HISTOGRAM_LIMITS,
  STAT_COLUMNS,
  type FieldStats,
  type FieldStatsQuery,
  type Histogram,
  type HistogramBucket,
  type HistogramQuery,
  type StatColumn,
} from '@siem/contracts';
import { bucketStarts, chooseInterval, intervalLabel } from '../engine/search/histogram.ts';
import { validationError } from '../errors.ts';
import { queryCancelledError, type BoundedSession } from '../store/db.ts';
import type { EventFilters } from '../store/events-repo.ts';
import type { EventsToolsRepo } from '../store/events-tools-repo.ts';
import { eventFiltersOf } from './logs.ts';
import type { BoundedRead } from './search-bounded.ts';

/** Buckets one statement counts on PGlite, which cannot stop a statement: the budget is checked between slices. */
export const HISTOGRAM_SLICE_BUCKETS = 10;

const isColumn = (name: string): name is StatColumn => (STAT_COLUMNS as readonly string[]).includes(name);
const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 10_000);

export function createLogStatsService(deps: { repo: EventsToolsRepo; read: BoundedRead; now?: () => number }) {
  const { repo, read } = deps;
  const now = deps.now ?? Date.now;

  /**
   * One statement where the database enforces the budget; else slices of
   * HISTOGRAM_SLICE_BUCKETS buckets, the budget checked and the event loop let through
   * between them, so a long range on the embedded store cannot hold it past the budget
   * by more than one slice.
   */
  async function countBuckets(s: BoundedSession, filters: EventFilters, starts: number[], width: number, bySeverity: boolean) {
    if (s.timed) return repo.histogram(s, filters, width, bySeverity);
    const rows: Awaited<ReturnType<EventsToolsRepo['histogram']>> = [];
    for (let i = 0; i < starts.length; i += HISTOGRAM_SLICE_BUCKETS) {
      if (s.remainingMs() === 0) throw queryCancelledError('canceling statement due to statement timeout');
      const from = Math.max(filters.sinceMs ?? -Infinity, starts[i]!);
      const to = Math.min(filters.untilMs ?? Infinity, starts[i]! + HISTOGRAM_SLICE_BUCKETS * width);
      rows.push(...(await repo.histogram(s, { ...filters, sinceMs: from, untilMs: to }, width, bySeverity)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return rows;
  }

  return {
    /** Matches per bucket over [since, until) (default: the last 24 hours), every bucket present. */
    async histogram(query: HistogramQuery, signal?: AbortSignal): Promise<Histogram> {
      const { buckets, by_severity: bySeverity, ...filterInput } = query;
      const until = filterInput.until ?? now();
      const since = filterInput.since ?? until - HISTOGRAM_LIMITS.defaultRangeMs;
      if (since >= until) {
        throw validationError([{ field: 'since', message: 'since must be before until', type: 'value_error' }], 'since must be before until');
      }
      const width = chooseInterval(since, until, buckets);
      const filters = eventFiltersOf({ ...filterInput, since, until });
      const starts = bucketStarts(since, until, width);
      const rows = await read((s) => countBuckets(s, filters, starts, width, bySeverity), signal);
      const first = starts[0] ?? 0;
      const out: HistogramBucket[] = starts.map((start) => ({ start: new Date(start).toISOString(), count: 0, ...(bySeverity ? { by_severity: {} } : {}) }));
      let total = 0;
      for (const row of rows) {
        const bucket = out[Math.round((row.bucket * width - first) / width)];
        if (!bucket) continue;
        bucket.count += row.n;
        total += row.n;
        if (bucket.by_severity && row.severity !== null) bucket.by_severity[row.severity] = (bucket.by_severity[row.severity] ?? 0) + row.n;
      }
      return { since: new Date(since).toISOString(), until: new Date(until).toISOString(), interval_ms: width, interval: intervalLabel(width), total, buckets: out };
    },

    /**
     * With `field`: top values of each field among the newest `sample` matches. Without:
     * the fields present in that sample, with the share of events carrying each.
     */
    async fieldStats(query: FieldStatsQuery, signal?: AbortSignal): Promise<FieldStats> {
      const { field, sample, top, ...filterInput } = query;
      const filters = eventFiltersOf(filterInput);
      const names = field ?? [];
      const base = { sampled: true as const, sample_limit: sample };
      if (names.length === 0) {
        const { sampleSize, fields } = await read((s) => repo.coverage(s, filters, STAT_COLUMNS, { sample, max: FIELD_STATS_LIMITS.maxListed }), signal);
        return {
          ...base,
          sample_size: sampleSize,
          stats: [],
          fields: fields.map((f) => ({ field: f.name, kind: f.kind, present: f.n, coverage: share(f.n, sampleSize) })),
        };
      }
      const wanted = names.map((name) => ({ name, column: isColumn(name) }));
      const rows = await read((s) => repo.topValues(s, filters, wanted, { sample, top, chars: FIELD_STATS_LIMITS.valueChars }), signal);
      const sampleSize = Number(rows[0]?.sample_n ?? 0);
      const stats = wanted.map((w) => ({ field: w.name, kind: w.column ? ('column' as const) : ('field' as const), present: 0, distinct: 0, top: [] as FieldStats['stats'][number]['top'] }));
      for (const r of rows) {
        if (r.i === null || r.v === null) continue;
        const stat = stats[Number(r.i)];
        if (!stat) continue;
        stat.present = Number(r.present);
        stat.distinct = Number(r.distinct_n);
        stat.top.push({ value: r.v, count: Number(r.n), share: share(Number(r.n), sampleSize) });
      }
      return { ...base, sample_size: sampleSize, stats, fields: [] };
    },
  };
}
export type LogStatsService = ReturnType<typeof createLogStatsService>;
