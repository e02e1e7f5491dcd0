// GET /v1/logs/{id}: the full event (raw and normalized) for the drawer.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { LogEventSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const getLogEvent = (id: string) => apiRequest(`/logs/${encodeURIComponent(id)}`, { schema: LogEventSchema });

export const logEventQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['logs', 'event', id] as const, queryFn: () => getLogEvent(id), staleTime: Infinity });

export const useLogEvent = (id: string | null) => useQuery({ ...logEventQueryOptions(id ?? ''), enabled: !!id });
