// DELETE /v1/rules/{id}; its alerts remain.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DeletedSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { rulesKey } from './rules.ts';

export const deleteRule = (id: string) => apiRequest(`/rules/${encodeURIComponent(id)}`, { method: 'DELETE', schema: DeletedSchema });

export function useDeleteRule() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteRule, onSuccess: () => void qc.invalidateQueries({ queryKey: rulesKey }) });
}
