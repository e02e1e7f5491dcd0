// GET /v1/rules: every rule, enabled or not, newest first.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { RuleSchema } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const rulesKey = ['rules', 'list'] as const;

export const getRules = () => apiRequest('/rules', { schema: z.array(RuleSchema) });

export const rulesQueryOptions = () => queryOptions({ queryKey: rulesKey, queryFn: getRules });

export const useRules = () => useQuery(rulesQueryOptions());
