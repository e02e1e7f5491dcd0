// GET /v1/dashboard/severity-breakdown: event counts per severity (events, not alerts).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { SeverityCountSchema } from '@siem/contracts';
import { z } from 'zod';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const getSeverityBreakdown = () => apiRequest('/dashboard/severity-breakdown', { schema: z.array(SeverityCountSchema) });

export const severityBreakdownQueryOptions = () =>
  queryOptions({ queryKey: ['dashboard', 'severity-breakdown'] as const, queryFn: getSeverityBreakdown, refetchInterval: POLL.dashboardMs });

export const useSeverityBreakdown = () => useQuery(severityBreakdownQueryOptions());
