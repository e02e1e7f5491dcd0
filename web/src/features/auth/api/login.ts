// POST /v1/auth/login, then GET /auth/me with the new token. A 401 here is "wrong
// credentials" for the form, never a session end.
import { useMutation } from '@tanstack/react-query';
import { TokenSchema } from '@siem/contracts';
import type { LoginBody } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { useSession } from '../../../lib/session.ts';
import { getMe } from './me.ts';

export async function login(body: LoginBody) {
  const token = await apiRequest('/auth/login', { method: 'POST', body, schema: TokenSchema, anonymous: true, keepSessionOn401: true });
  const user = await getMe(token.access_token);
  useSession.getState().signIn(token.access_token, user);
  return user;
}

export const useLogin = () => useMutation({ mutationFn: login, meta: { inlineErrors: true } });
