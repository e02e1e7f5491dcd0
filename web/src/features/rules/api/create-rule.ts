// POST /v1/rules. Errors stay on the form (422 details at their fields, 409 at the name);
// the answer may carry warnings (see rule-answer.ts).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { RuleAnswerSchema } from './rule-answer.ts';

export const createRule = (body: Record<string, unknown>) => apiRequest('/rules', { method: 'POST', body, schema: RuleAnswerSchema });

export function useCreateRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createRule,
    meta: { inlineErrors: true },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['rules', 'list'] }),
  });
}
