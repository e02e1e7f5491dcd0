// PATCH /v1/admin/users/{id}/role. Refusals (last admin) come back as 403 with a sentence.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UserSchema } from '@siem/contracts';
import type { Role } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { useSession } from '../../../lib/session.ts';

export const updateRole = (id: string, role: Role) =>
  apiRequest(`/admin/users/${encodeURIComponent(id)}/role`, { method: 'PATCH', body: { role }, schema: UserSchema });

export function useUpdateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => updateRole(id, role),
    meta: { inlineErrors: true },
    // Demoting yourself (allowed while another admin remains) takes effect on screen at once.
    onSuccess: (user) => {
      const session = useSession.getState();
      if (session.user?.id === user.id) session.setUser(user);
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: ['users', 'list'] }),
  });
}
