// GET /v1/scenarios/available: the playbook catalogue, invalid files included with why.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { PlaybookInfoSchema } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const getAvailable = () => apiRequest('/scenarios/available', { schema: z.array(PlaybookInfoSchema) });

export const availableQueryOptions = () => queryOptions({ queryKey: ['scenarios', 'available'] as const, queryFn: getAvailable, staleTime: 60_000 });

export const useAvailable = () => useQuery(availableQueryOptions());
