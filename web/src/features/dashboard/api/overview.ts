// GET /v1/dashboard: the stat-card counts.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { OverviewSchema } from '@siem/contracts';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const getOverview = () => apiRequest('/dashboard', { schema: OverviewSchema });

export const overviewQueryOptions = () =>
  queryOptions({ queryKey: ['dashboard', 'overview'] as const, queryFn: getOverview, refetchInterval: POLL.dashboardMs });

export const useOverview = () => useQuery(overviewQueryOptions());
