// POST /v1/admin/users/{id}/deactivate (refused for your own account).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UserSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const deactivateUser = (id: string) => apiRequest(`/admin/users/${encodeURIComponent(id)}/deactivate`, { method: 'POST', schema: UserSchema });

export function useDeactivateUser() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deactivateUser, meta: { inlineErrors: true }, onSettled: () => void qc.invalidateQueries({ queryKey: ['users', 'list'] }) });
}
