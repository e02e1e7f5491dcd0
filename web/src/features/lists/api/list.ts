// GET /v1/lists/{id}: one list with its items, for the editor.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ListSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const listKey = (id: string) => ['lists', 'detail', id] as const;

export const getList = (id: string) => apiRequest(`/lists/${encodeURIComponent(id)}`, { schema: ListSchema });

export const listQueryOptions = (id: string) => queryOptions({ queryKey: listKey(id), queryFn: () => getList(id) });

export const useList = (id: string | null) => useQuery({ ...listQueryOptions(id ?? ''), enabled: !!id });
