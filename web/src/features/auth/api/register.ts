// POST /v1/auth/register, then GET /auth/me with the new token; the server's messages
// ("Username already taken") reach the form unchanged.
import { useMutation } from '@tanstack/react-query';
import { TokenSchema } from '@siem/contracts';
import type { RegisterBody } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { useSession } from '../../../lib/session.ts';
import { getMe } from './me.ts';

export async function register(body: RegisterBody) {
  const token = await apiRequest('/auth/register', { method: 'POST', body, schema: TokenSchema, anonymous: true, keepSessionOn401: true });
  const user = await getMe(token.access_token);
  useSession.getState().signIn(token.access_token, user);
  return user;
}

export const useRegister = () => useMutation({ mutationFn: register, meta: { inlineErrors: true } });
