// DELETE /v1/intel/lists/{id}: the list and its indicators.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DeletedSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { intelListsKey } from './intel-lists.ts';

export const deleteIntelList = (id: string) => apiRequest(`/intel/lists/${encodeURIComponent(id)}`, { method: 'DELETE', schema: DeletedSchema });

export function useDeleteIntelList() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteIntelList, meta: { inlineErrors: true }, onSuccess: () => void qc.invalidateQueries({ queryKey: ['intel'] }) });
}
