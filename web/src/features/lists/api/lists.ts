// GET /v1/lists: every shared list without its items (kind, count, the rules using it).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ListSummarySchema } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const listsKey = ['lists', 'list'] as const;

export const getLists = () => apiRequest('/lists', { schema: z.array(ListSummarySchema) });

export const listsQueryOptions = () => queryOptions({ queryKey: listsKey, queryFn: getLists });

export const useLists = () => useQuery(listsQueryOptions());
