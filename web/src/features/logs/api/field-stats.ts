// GET /v1/logs/field-stats: the fields present in the newest matches (the sidebar) and the
// top values of one field (when it is opened).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { FieldStatsSchema } from '@siem/contracts';
import type { FieldStats } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import type { LogFilters } from './filters.ts';
import { toolQuery } from './tool-query.ts';

export const FIELD_SAMPLE = 10_000;

export function getFieldStats(f: LogFilters, field: string | null, signal?: AbortSignal): Promise<FieldStats> {
  return apiRequest('/logs/field-stats', { query: { ...toolQuery(f), sample: FIELD_SAMPLE, field: field ?? undefined, top: 10 }, schema: FieldStatsSchema, signal });
}

export const fieldStatsQueryOptions = (f: LogFilters, field: string | null, enabled: boolean) =>
  queryOptions({ queryKey: ['logs', 'field-stats', f, field] as const, queryFn: ({ signal }) => getFieldStats(f, field, signal), staleTime: 30_000, enabled });

export const useFieldList = (f: LogFilters, enabled = true) => useQuery(fieldStatsQueryOptions(f, null, enabled));
export const useFieldTop = (f: LogFilters, field: string | null) => useQuery(fieldStatsQueryOptions(f, field, field !== null));
