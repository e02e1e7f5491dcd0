// PATCH /v1/rules/{id}: the edit form and the enable/disable switch. The switch updates
// the list optimistically and rolls back if the server refuses.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Rule } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { RuleAnswerSchema } from './rule-answer.ts';
import { ruleKey } from './rule.ts';
import { ruleHistoryKey } from './rule-history.ts';
import { rulesKey } from './rules.ts';

export const updateRule = (id: string, body: Record<string, unknown>) =>
  apiRequest(`/rules/${encodeURIComponent(id)}`, { method: 'PATCH', body, schema: RuleAnswerSchema });

export function useUpdateRule(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => updateRule(id, body),
    meta: { inlineErrors: true },
    onSuccess: (rule) => {
      qc.setQueryData(ruleKey(id), rule);
      void qc.invalidateQueries({ queryKey: rulesKey });
      void qc.invalidateQueries({ queryKey: ruleHistoryKey(id) });
    },
  });
}

export function useToggleRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => updateRule(id, { enabled }),
    onMutate: async ({ id, enabled }) => {
      await qc.cancelQueries({ queryKey: rulesKey });
      const before = qc.getQueryData<Rule[]>(rulesKey);
      qc.setQueryData<Rule[]>(rulesKey, (cur) => cur?.map((r) => (r.id === id ? { ...r, enabled } : r)));
      return { before };
    },
    onError: (_e, _v, ctx) => qc.setQueryData(rulesKey, ctx?.before),
    onSettled: (_d, _e, { id }) => {
      void qc.invalidateQueries({ queryKey: rulesKey });
      void qc.invalidateQueries({ queryKey: ruleKey(id) });
      void qc.invalidateQueries({ queryKey: ruleHistoryKey(id) });
    },
  });
}
