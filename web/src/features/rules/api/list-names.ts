// GET /v1/lists, for the in_list operand: the names of the shared lists. Same key and shape
// as the Lists page's query, so both read one cache entry.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ListSummarySchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const listNamesKey = ['lists', 'list'] as const;

export const getListNames = () => apiRequest('/lists', { schema: z.array(ListSummarySchema) });

export const useListNames = () => useQuery(queryOptions({ queryKey: listNamesKey, queryFn: getListNames, staleTime: 30_000, retry: false }));
