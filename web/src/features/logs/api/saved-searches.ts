// /v1/saved-searches: list, save and delete named searches; a saved search turns into the
// log view's filters and back.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { DeletedSchema, SavedSearchSchema } from '@siem/contracts';
import type { SavedSearch, SavedSearchParams, Severity, SourceType } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { EMPTY_FILTERS, TEXT_FILTERS } from './filters.ts';
import type { LogFilters, RangeKey } from './filters.ts';

const RANGE_SECONDS: Record<'15m' | '1h' | '24h' | '7d', number> = { '15m': 900, '1h': 3600, '24h': 86_400, '7d': 604_800 };

export function filtersToSaved(f: LogFilters): SavedSearchParams {
  const filters: SavedSearchParams['filters'] = {};
  if (f.source_type) filters.source_type = f.source_type;
  if (f.severity) filters.severity = f.severity;
  for (const k of TEXT_FILTERS) if (f[k]) filters[k] = f[k] ?? undefined;
  const params: SavedSearchParams = { filters };
  // The search bar's query and the literal text search are kept apart: each reads back as itself.
  if (f.query) params.query = f.query;
  if (f.q) params.text = f.q;
  if (f.range === 'custom') params.range = { type: 'absolute', since: f.since ?? undefined, until: f.until ?? undefined };
  else if (f.range) params.range = { type: 'relative', seconds: RANGE_SECONDS[f.range] };
  return params;
}

export function savedToFilters(p: SavedSearchParams, now = Date.now()): LogFilters {
  const f: LogFilters = { ...EMPTY_FILTERS, query: p.query ?? null, q: p.text ?? null };
  const given = p.filters ?? {};
  f.source_type = (given.source_type as SourceType | undefined) ?? null;
  f.severity = (given.severity as Severity | undefined) ?? null;
  for (const k of TEXT_FILTERS) f[k] = given[k] ?? null;
  if (p.range?.type === 'absolute') {
    return { ...f, range: 'custom', since: p.range.since ? new Date(p.range.since).toISOString() : null, until: p.range.until ? new Date(p.range.until).toISOString() : null };
  }
  if (p.range?.type === 'relative') {
    const seconds = p.range.seconds;
    const key = (Object.keys(RANGE_SECONDS) as (keyof typeof RANGE_SECONDS)[]).find((k) => RANGE_SECONDS[k] === seconds);
    if (key) return { ...f, range: key as RangeKey };
    return { ...f, range: 'custom', since: new Date(now - seconds * 1000).toISOString(), until: null };
  }
  return f;
}

const KEY = ['saved-searches'] as const;
export const savedSearchesQueryOptions = () =>
  queryOptions({ queryKey: KEY, queryFn: ({ signal }) => apiRequest('/saved-searches', { schema: z.array(SavedSearchSchema), signal }), staleTime: 30_000 });

export const useSavedSearches = (enabled = true) => useQuery({ ...savedSearchesQueryOptions(), enabled });

export function useSaveSearch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; shared: boolean; params: SavedSearchParams }): Promise<SavedSearch> =>
      apiRequest('/saved-searches', { method: 'POST', body, schema: SavedSearchSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteSavedSearch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest(`/saved-searches/${id}`, { method: 'DELETE', schema: DeletedSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
