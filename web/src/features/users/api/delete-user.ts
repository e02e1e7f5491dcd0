// DELETE /v1/admin/users/{id} (refused for your own account).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DeletedSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const deleteUser = (id: string) => apiRequest(`/admin/users/${encodeURIComponent(id)}`, { method: 'DELETE', schema: DeletedSchema });

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteUser, meta: { inlineErrors: true }, onSettled: () => void qc.invalidateQueries({ queryKey: ['users', 'list'] }) });
}
