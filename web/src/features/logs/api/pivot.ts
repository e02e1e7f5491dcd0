// GET /v1/logs/pivot: the most recent events sharing one indicator (source address,
// user or host), shown in the event drawer before pivoting the whole view.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { LogEventSchema } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export type PivotKind = 'ip' | 'username' | 'hostname';
export const PIVOT_PREVIEW = 10;

export const getPivot = (kind: PivotKind, value: string) =>
  apiRequest('/logs/pivot', { query: { [kind]: value, limit: PIVOT_PREVIEW }, schema: z.array(LogEventSchema) });

export const pivotQueryOptions = (kind: PivotKind, value: string) =>
  queryOptions({ queryKey: ['logs', 'pivot', { kind, value }] as const, queryFn: () => getPivot(kind, value) });

export const usePivot = (kind: PivotKind, value: string | null) => useQuery({ ...pivotQueryOptions(kind, value ?? ''), enabled: !!value });
