// GET /v1/correlation/rules: what the live correlation does with each enabled rule
// (events matched, alerts, errors, groups held, the last error), refreshed while shown.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { CorrelationRulesViewSchema } from '@siem/contracts';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const correlationRulesKey = ['rules', 'correlation'] as const;

export const getCorrelationRules = () => apiRequest('/correlation/rules', { schema: CorrelationRulesViewSchema });

export const correlationRulesQueryOptions = () =>
  queryOptions({ queryKey: correlationRulesKey, queryFn: getCorrelationRules, refetchInterval: POLL.listsMs });

export const useCorrelationRules = () => useQuery(correlationRulesQueryOptions());
