// GET /v1/alerts/{id}: the alert, its matched events (newest first) and status history.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { AlertDetailSchema } from '@siem/contracts';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const alertDetailKey = (id: string) => ['alerts', 'detail', id] as const;

export const getAlertDetail = (id: string) => apiRequest(`/alerts/${encodeURIComponent(id)}`, { schema: AlertDetailSchema });

// Polled: a suppressed repeat raises no feed message, so a count that grows shows up this way.
export const alertDetailQueryOptions = (id: string) => queryOptions({ queryKey: alertDetailKey(id), queryFn: () => getAlertDetail(id), refetchInterval: POLL.listsMs });

export const useAlertDetail = (id: string) => useQuery(alertDetailQueryOptions(id));
