// GET /v1/intel/lists: every indicator list with its count and last import.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { IndicatorListSchema } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const intelListsKey = ['intel', 'lists'] as const;

export const getIntelLists = () => apiRequest('/intel/lists', { schema: z.array(IndicatorListSchema) });

export const intelListsQueryOptions = () => queryOptions({ queryKey: intelListsKey, queryFn: getIntelLists });

export const useIntelLists = () => useQuery(intelListsQueryOptions());
