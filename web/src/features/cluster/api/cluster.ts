// GET /v1/cluster: the correlation processes and the partitions they own (admins only).
// Polled every 3 s while the page is open: heartbeats and lag move by the second.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ClusterViewSchema } from '@siem/contracts';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const getCluster = () => apiRequest('/cluster', { schema: ClusterViewSchema });

export const clusterQueryOptions = () =>
  queryOptions({ queryKey: ['cluster'] as const, queryFn: getCluster, staleTime: 0, refetchInterval: POLL.clusterMs });

export const useCluster = () => useQuery(clusterQueryOptions());
