// GET /v1/coverage: techniques the rules name, with enabled rules and alerts in a period.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { CoverageSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const COVERAGE_PERIODS = [
  { hours: 24, label: '24 h' },
  { hours: 24 * 7, label: '7 days' },
  { hours: 24 * 30, label: '30 days' },
] as const;

export const coverageKey = (hours: number) => ['coverage', hours] as const;

export const getCoverage = (hours: number) => apiRequest('/coverage', { query: { hours }, schema: CoverageSchema });

export const coverageQueryOptions = (hours: number) =>
  queryOptions({ queryKey: coverageKey(hours), queryFn: () => getCoverage(hours), placeholderData: keepPreviousData, staleTime: 15_000 });

export const useCoverage = (hours: number) => useQuery(coverageQueryOptions(hours));
