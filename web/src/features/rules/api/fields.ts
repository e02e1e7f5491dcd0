// GET /v1/fields: field names the stored events carry, for the field picker. The server
// caches its measurement for 30 s; the client keeps it as long, and falls back to the
// fixed event columns when the list cannot be loaded.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { FieldInfoSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const FIELDS_LIMIT = 1000;
export const fieldsKey = ['fields', 'list', FIELDS_LIMIT] as const;

export const getFields = () => apiRequest('/fields', { query: { limit: FIELDS_LIMIT }, schema: z.array(FieldInfoSchema) });

export const fieldsQueryOptions = () => queryOptions({ queryKey: fieldsKey, queryFn: getFields, staleTime: 30_000, retry: false });

export const useFields = () => useQuery(fieldsQueryOptions());
