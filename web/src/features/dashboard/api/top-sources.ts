// GET /v1/dashboard/top-sources: the busiest source addresses.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { TopSourceSchema } from '@siem/contracts';
import { z } from 'zod';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const getTopSources = (limit: number) => apiRequest('/dashboard/top-sources', { query: { limit }, schema: z.array(TopSourceSchema) });

export const topSourcesQueryOptions = (limit = 10) =>
  queryOptions({ queryKey: ['dashboard', 'top-sources', { limit }] as const, queryFn: () => getTopSources(limit), refetchInterval: POLL.dashboardMs });

export const useTopSources = (limit = 10) => useQuery(topSourcesQueryOptions(limit));
