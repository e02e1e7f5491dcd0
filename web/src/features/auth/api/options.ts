// GET /v1/auth/options: whether self-registration is open (public; asked before sign-in).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { AuthOptionsSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const authOptionsKey = ['auth', 'options'] as const;

export const getAuthOptions = () => apiRequest('/auth/options', { schema: AuthOptionsSchema, anonymous: true });

export const authOptionsQueryOptions = () => queryOptions({ queryKey: authOptionsKey, queryFn: getAuthOptions, staleTime: 60_000 });

export const useAuthOptions = () => useQuery(authOptionsQueryOptions());
