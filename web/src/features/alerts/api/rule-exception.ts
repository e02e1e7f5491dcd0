// What the "never alert on this value" dialog needs: the alert's rule (its group_by), the
// shared lists to choose from, and POST /v1/rules/{id}/exceptions.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ListSummarySchema, RuleExceptionResultSchema, RuleSchema } from '@siem/contracts';
import type { RuleExceptionRequest } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const alertRuleKey = (ruleId: string) => ['alerts', 'rule', ruleId] as const;
export const exceptionListsKey = ['alerts', 'exception-lists'] as const;

export const alertRuleQueryOptions = (ruleId: string) =>
  queryOptions({ queryKey: alertRuleKey(ruleId), queryFn: () => apiRequest(`/rules/${encodeURIComponent(ruleId)}`, { schema: RuleSchema }) });

export const useAlertRule = (ruleId: string, enabled: boolean) => useQuery({ ...alertRuleQueryOptions(ruleId), enabled });

export const useExceptionLists = (enabled: boolean) =>
  useQuery({ queryKey: exceptionListsKey, queryFn: () => apiRequest('/lists', { schema: z.array(ListSummarySchema) }), enabled });

export const addRuleException = (ruleId: string, body: RuleExceptionRequest) =>
  apiRequest(`/rules/${encodeURIComponent(ruleId)}/exceptions`, { method: 'POST', body, schema: RuleExceptionResultSchema });

export function useAddRuleException(ruleId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RuleExceptionRequest) => addRuleException(ruleId, body),
    meta: { inlineErrors: true },
    onSuccess: (result) => {
      qc.setQueryData(alertRuleKey(ruleId), result.rule);
      // The rule and list screens read these; they refetch when next shown.
      void qc.invalidateQueries({ queryKey: ['rules'] });
      void qc.invalidateQueries({ queryKey: ['lists'] });
      void qc.invalidateQueries({ queryKey: exceptionListsKey });
    },
  });
}
