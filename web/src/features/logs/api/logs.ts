// GET /v1/logs (and GET /v1/logs/search when the text box is used) as an infinite list
// of 200-row pages for the virtualized table. Pages after the first are pinned with
// `until` just past the newest row, so events arriving meanwhile do not shift them.
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { LogEventSchema, PageSchema } from '@siem/contracts';
import type { LogEvent, Page } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { parseInstant } from '../../../lib/format.ts';
import { TEXT_FILTERS, timeBounds } from './filters.ts';
import type { LogFilters } from './filters.ts';

export const LOGS_PAGE_SIZE = 200;
const LogPage = PageSchema(LogEventSchema);
interface PageParam {
  page: number;
  until?: string;
}

export const logListKey = (f: LogFilters) => (f.q ? (['logs', 'search', f] as const) : (['logs', 'list', f] as const));

export function getLogPage(f: LogFilters, param: PageParam, signal?: AbortSignal): Promise<Page<LogEvent>> {
  const bounds = timeBounds(f);
  const until = param.until ?? bounds.until;
  const common = { page: param.page, per_page: LOGS_PAGE_SIZE, since: bounds.since, until };
  if (f.q) return apiRequest('/logs/search', { query: { ...common, q: f.q }, schema: LogPage, signal });
  const fields = Object.fromEntries(TEXT_FILTERS.map((k) => [k, f[k]]));
  return apiRequest('/logs', { query: { ...common, ...fields, source_type: f.source_type, severity: f.severity, query: f.query }, schema: LogPage, signal });
}

export const logsQueryOptions = (f: LogFilters) =>
  infiniteQueryOptions({
    queryKey: logListKey(f),
    queryFn: ({ pageParam, signal }) => getLogPage(f, pageParam, signal),
    initialPageParam: { page: 1 } as PageParam,
    getNextPageParam: (last, all): PageParam | undefined => {
      if (last.page >= last.pages) return undefined;
      const newest = parseInstant(all[0]?.items[0]?.timestamp);
      const pinned = newest === null ? undefined : new Date(newest + 1).toISOString();
      // A custom range's own `until` stays the bound when it is earlier.
      const bound = timeBounds(f).until;
      const until = bound && pinned && Date.parse(bound) < Date.parse(pinned) ? bound : pinned;
      return { page: last.page + 1, until };
    },
    // The live tail brings new rows; refetching dozens of loaded pages on focus would not.
    refetchOnWindowFocus: false,
    staleTime: 60_000,
  });

export const useLogs = (f: LogFilters) => useInfiniteQuery(logsQueryOptions(f));
