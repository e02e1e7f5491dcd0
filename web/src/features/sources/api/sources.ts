// GET /v1/sources: the inputs, top hosts and formats, unparsed samples. Polled every 5 s
// while the page is open (the counters move with every event).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { SourcesSnapshotSchema } from '@siem/contracts';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const getSources = () => apiRequest('/sources', { schema: SourcesSnapshotSchema });

export const sourcesQueryOptions = () =>
  queryOptions({ queryKey: ['sources'] as const, queryFn: getSources, staleTime: 0, refetchInterval: POLL.sourcesMs });

export const useSources = () => useQuery(sourcesQueryOptions());
