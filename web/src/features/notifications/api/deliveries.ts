// GET /v1/notifications/deliveries (admin): recent deliveries with their attempts, newest
// first, optionally for one channel or status. Refreshed every 5 s while shown.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { DeliverySchema } from '@siem/contracts';
import type { DeliveryStatus } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export interface DeliveryFilter {
  channelId: string;
  status: DeliveryStatus | '';
}

export const deliveriesKey = (f: DeliveryFilter) => ['notifications', 'deliveries', f.channelId, f.status] as const;

export const getDeliveries = (f: DeliveryFilter) =>
  apiRequest('/notifications/deliveries', { query: { channel_id: f.channelId || undefined, status: f.status || undefined, limit: 50 }, schema: z.array(DeliverySchema) });

export const deliveriesQueryOptions = (f: DeliveryFilter) =>
  queryOptions({ queryKey: deliveriesKey(f), queryFn: () => getDeliveries(f), refetchInterval: 5000 });

export const useDeliveries = (f: DeliveryFilter) => useQuery(deliveriesQueryOptions(f));
