// GET /v1/alerts/{id}/context: the triage context beside an alert (rule guidance, addresses,
// related alerts within `hours`, pivots). `hours` is part of the key.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { AlertContextSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const RELATED_HOURS = [1, 6, 24, 72] as const;

export const alertContextKey = (id: string, hours: number) => ['alerts', 'context', id, hours] as const;

export const getAlertContext = (id: string, hours: number) =>
  apiRequest(`/alerts/${encodeURIComponent(id)}/context`, { schema: AlertContextSchema, query: { hours } });

export const alertContextQueryOptions = (id: string, hours: number) =>
  queryOptions({ queryKey: alertContextKey(id, hours), queryFn: () => getAlertContext(id, hours), placeholderData: keepPreviousData });

export const useAlertContext = (id: string, hours: number) => useQuery(alertContextQueryOptions(id, hours));
