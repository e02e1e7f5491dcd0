// Dashboard shapes. Timeline buckets may carry a per-severity split
// (`by_severity`, an addition) so charts can stack without a second request.
import { z } from 'zod';
import { AlertStatusSchema, SeveritySchema, lenientInt } from './common.ts';

export const SeverityCountSchema = z.object({ severity: SeveritySchema, count: z.number().int() });
export type SeverityCount = z.infer<typeof SeverityCountSchema>;

export const OverviewSchema = z.object({
  total_events: z.number().int(),
  total_alerts: z.number().int(),
  open_alerts: z.number().int(),
  critical_alerts: z.number().int(),
  alerts_by_status: z.partialRecord(AlertStatusSchema, z.number().int()),
  severity_breakdown: z.array(SeverityCountSchema),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const TimelineBucketSchema = z.object({
  bucket: z.string(),
  count: z.number().int(),
  by_severity: z.partialRecord(SeveritySchema, z.number().int()),
});
export type TimelineBucket = z.infer<typeof TimelineBucketSchema>;

export const TopSourceSchema = z.object({ source_ip: z.string(), count: z.number().int() });
export type TopSource = z.infer<typeof TopSourceSchema>;

export function timelineQuery(defaults: { hours: number; bucketMinutes: number }) {
  return z.object({
    hours: lenientInt({ min: 1, max: 8760, source: 'query' }).optional().default(defaults.hours),
    bucket_minutes: lenientInt({ min: 1, max: 1440, source: 'query' }).optional().default(defaults.bucketMinutes),
  });
}

export function topSourcesQuery(defaultLimit: number) {
  return z.object({ limit: lenientInt({ min: 1, max: 100, source: 'query' }).optional().default(defaultLimit) });
}
