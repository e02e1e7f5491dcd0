// GET /v1/rules/{id}/history: every change of the rule (who, when, what), oldest first.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { RuleHistoryEntrySchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const ruleHistoryKey = (id: string) => ['rules', 'history', id] as const;

export const getRuleHistory = (id: string) => apiRequest(`/rules/${encodeURIComponent(id)}/history`, { schema: z.array(RuleHistoryEntrySchema) });

export const ruleHistoryQueryOptions = (id: string) => queryOptions({ queryKey: ruleHistoryKey(id), queryFn: () => getRuleHistory(id) });

export const useRuleHistory = (id: string) => useQuery(ruleHistoryQueryOptions(id));
