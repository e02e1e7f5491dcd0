// GET /v1/auth/me: the caller. Refreshed on focus so a role changed by an admin shows up
// without a new login.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { UserSchema } from '@siem/contracts';
import type { User } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const getMe = (token?: string): Promise<User> => apiRequest('/auth/me', { schema: UserSchema, token });

export const meQueryOptions = () => queryOptions({ queryKey: ['auth', 'me'] as const, queryFn: () => getMe(), staleTime: 60_000 });

export const useMe = (enabled: boolean) => useQuery({ ...meQueryOptions(), enabled });
