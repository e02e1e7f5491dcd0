// GET /v1/intel/lists/{id}/indicators: one page, searched by value prefix.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { IndicatorSchema, PageSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export interface IndicatorQuery {
  page: number;
  q: string;
}

export const indicatorsKey = (id: string, query: IndicatorQuery) => ['intel', 'indicators', id, query] as const;

export const getIndicators = (id: string, query: IndicatorQuery) =>
  apiRequest(`/intel/lists/${encodeURIComponent(id)}/indicators`, { query: { page: query.page, per_page: 50, q: query.q }, schema: PageSchema(IndicatorSchema) });

export const indicatorsQueryOptions = (id: string, query: IndicatorQuery) =>
  queryOptions({ queryKey: indicatorsKey(id, query), queryFn: () => getIndicators(id, query), placeholderData: keepPreviousData });

export const useIndicators = (id: string, query: IndicatorQuery) => useQuery(indicatorsQueryOptions(id, query));
