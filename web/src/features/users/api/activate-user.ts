// POST /v1/admin/users/{id}/activate (offered only for inactive accounts: an active one
// answers 404 "User is already active").
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UserSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const activateUser = (id: string) => apiRequest(`/admin/users/${encodeURIComponent(id)}/activate`, { method: 'POST', schema: UserSchema });

export function useActivateUser() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: activateUser, meta: { inlineErrors: true }, onSettled: () => void qc.invalidateQueries({ queryKey: ['users', 'list'] }) });
}
