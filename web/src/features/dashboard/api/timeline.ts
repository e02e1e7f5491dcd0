// GET /v1/dashboard/timeline for one of the selectable ranges; bins the server omits
// (no events) are filled with zeros so the time axis is continuous.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { TimelineBucketSchema } from '@siem/contracts';
import type { Severity, TimelineBucket } from '@siem/contracts';
import { z } from 'zod';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const TIMELINE_RANGES = {
  '1h': { hours: 1, bucket_minutes: 1 },
  '24h': { hours: 24, bucket_minutes: 15 },
  '7d': { hours: 168, bucket_minutes: 120 },
} as const;
export type TimelineRange = keyof typeof TIMELINE_RANGES;

export const getTimeline = (range: TimelineRange) =>
  apiRequest('/dashboard/timeline', { query: TIMELINE_RANGES[range], schema: z.array(TimelineBucketSchema) });

export const timelineQueryOptions = (range: TimelineRange) =>
  queryOptions({
    queryKey: ['dashboard', 'timeline', TIMELINE_RANGES[range]] as const,
    queryFn: () => getTimeline(range),
    refetchInterval: POLL.dashboardMs,
    placeholderData: (prev) => prev,
  });

export const useTimeline = (range: TimelineRange) => useQuery(timelineQueryOptions(range));

export type TimelinePoint = { t: number } & Record<Severity, number>;

/** Bins are aligned from 2000-01-01T00:00Z, which epoch alignment matches for these sizes. */
export function fillTimeline(buckets: readonly TimelineBucket[], range: TimelineRange, now = Date.now()): TimelinePoint[] {
  const { hours, bucket_minutes } = TIMELINE_RANGES[range];
  const size = bucket_minutes * 60_000;
  const origin = Date.UTC(2000, 0, 1);
  const start = origin + Math.floor((now - hours * 3_600_000 - origin) / size) * size;
  const byTime = new Map<number, TimelineBucket>();
  for (const b of buckets) {
    const t = Date.parse(b.bucket);
    if (Number.isFinite(t)) byTime.set(t, b);
  }
  const points: TimelinePoint[] = [];
  for (let t = start; t <= now; t += size) {
    const b = byTime.get(t);
    const s = b?.by_severity ?? {};
    points.push({ t, critical: s.critical ?? 0, high: s.high ?? 0, medium: s.medium ?? 0, low: s.low ?? 0, info: s.info ?? 0 });
  }
  return points;
}
