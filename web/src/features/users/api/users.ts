// GET /v1/admin/users: one page of accounts, newest first (admins only).
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { PageSchema, UserSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const USERS_PER_PAGE = 25;
export const usersKey = (page: number) => ['users', 'list', { page, per_page: USERS_PER_PAGE }] as const;

export const getUsers = (page: number) => apiRequest('/admin/users', { query: { page, per_page: USERS_PER_PAGE }, schema: PageSchema(UserSchema) });

export const usersQueryOptions = (page: number) => queryOptions({ queryKey: usersKey(page), queryFn: () => getUsers(page), placeholderData: keepPreviousData });

export const useUsers = (page: number) => useQuery(usersQueryOptions(page));
