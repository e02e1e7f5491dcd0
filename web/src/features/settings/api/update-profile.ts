// PATCH /v1/auth/me: change own username, email or password, current password required.
// A 401 means the current password is wrong (the form says so; the session goes on).
// A new token comes back when the username or the password changed (a password change
// revokes every older token): it replaces the stored one.
import { useMutation } from '@tanstack/react-query';
import { ProfileUpdateSchema } from '@siem/contracts';
import type { ProfileUpdate } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { useSession } from '../../../lib/session.ts';

export interface ProfileChanges {
  current_password: string;
  username?: string;
  email?: string;
  password?: string;
}

export const updateProfile = (body: ProfileChanges) =>
  apiRequest('/auth/me', { method: 'PATCH', body, schema: ProfileUpdateSchema, keepSessionOn401: true });

export function applyProfileUpdate(res: ProfileUpdate): void {
  const session = useSession.getState();
  if (res.access_token) session.setToken(res.access_token);
  session.setUser(res.user);
}

export const useUpdateProfile = () => useMutation({ mutationFn: updateProfile, meta: { inlineErrors: true }, onSuccess: applyProfileUpdate });
