// DELETE /v1/lists/{id}; a list that rules use answers 409 naming them (shown in place).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DeletedSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { listsKey } from './lists.ts';

export const deleteList = (id: string) => apiRequest(`/lists/${encodeURIComponent(id)}`, { method: 'DELETE', schema: DeletedSchema });

export function useDeleteList() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteList, meta: { inlineErrors: true }, onSuccess: () => void qc.invalidateQueries({ queryKey: listsKey }) });
}
