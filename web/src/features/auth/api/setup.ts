// POST /v1/setup with the one-time token of the setup link, then GET /auth/me with the new
// administrator's token: the browser is signed in as the first administrator.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { TokenSchema } from '@siem/contracts';
import type { SetupBody } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { useSession } from '../../../lib/session.ts';
import { getMe } from './me.ts';
import { authOptionsKey } from './options.ts';

export async function completeSetup(body: SetupBody) {
  const token = await apiRequest('/setup', { method: 'POST', body, schema: TokenSchema, anonymous: true, keepSessionOn401: true });
  const user = await getMe(token.access_token);
  useSession.getState().signIn(token.access_token, user);
  return user;
}

export function useCompleteSetup() {
  const client = useQueryClient();
  return useMutation({ mutationFn: completeSetup, meta: { inlineErrors: true }, onSuccess: () => client.invalidateQueries({ queryKey: authOptionsKey }) });
}

/**
 * The token of the link (`/setup#token=...`; `?token=` also works), read once. The fragment
 * never reaches a server or a proxy's log; it is wiped from the address bar once read.
 */
export function takeSetupToken(location: { hash: string; search: string }): string {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  const token = fromHash ?? new URLSearchParams(location.search).get('token') ?? '';
  if (token && typeof window !== 'undefined') window.history.replaceState(window.history.state, '', window.location.pathname);
  return token;
}
