// GET /v1/scenarios/recent: finished runs (completed, stopped, error), newest first.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ScenarioRunSchema } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const recentKey = ['scenarios', 'recent'] as const;

export const getRecent = (limit = 20) => apiRequest('/scenarios/recent', { query: { limit }, schema: z.array(ScenarioRunSchema) });

export const recentQueryOptions = () => queryOptions({ queryKey: recentKey, queryFn: () => getRecent() });

export const useRecent = () => useQuery(recentQueryOptions());
