// GET /v1/logs/histogram: matches per time bucket for the chart above the log list.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { HistogramSchema } from '@siem/contracts';
import type { Histogram } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import type { LogFilters } from './filters.ts';
import { toolQuery } from './tool-query.ts';

export const HISTOGRAM_BUCKETS = 60;

export function getHistogram(f: LogFilters, signal?: AbortSignal): Promise<Histogram> {
  return apiRequest('/logs/histogram', { query: { ...toolQuery(f), buckets: HISTOGRAM_BUCKETS, by_severity: true }, schema: HistogramSchema, signal });
}

export const histogramQueryOptions = (f: LogFilters, enabled: boolean) =>
  queryOptions({ queryKey: ['logs', 'histogram', f] as const, queryFn: ({ signal }) => getHistogram(f, signal), staleTime: 30_000, enabled });

export const useHistogram = (f: LogFilters, enabled = true) => useQuery(histogramQueryOptions(f, enabled));
