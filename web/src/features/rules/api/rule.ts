// GET /v1/rules/{id}: one rule, for the edit form.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { RuleSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const ruleKey = (id: string) => ['rules', 'detail', id] as const;

export const getRule = (id: string) => apiRequest(`/rules/${encodeURIComponent(id)}`, { schema: RuleSchema });

export const ruleQueryOptions = (id: string) => queryOptions({ queryKey: ruleKey(id), queryFn: () => getRule(id) });

export const useRule = (id: string | undefined) => useQuery({ ...ruleQueryOptions(id ?? ''), enabled: !!id });
