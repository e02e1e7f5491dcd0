// GET /v1/alerts/{id}: the alert, its matched events (newest first) and status history.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { AlertDetailSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const alertDetailKey = (id: string) => ['alerts', 'detail', id] as const;

export const getAlertDetail = (id: string) => apiRequest(`/alerts/${encodeURIComponent(id)}`, { schema: AlertDetailSchema });

export const alertDetailQueryOptions = (id: string) => queryOptions({ queryKey: alertDetailKey(id), queryFn: () => getAlertDetail(id) });

export const useAlertDetail = (id: string) => useQuery(alertDetailQueryOptions(id));
