// POST /v1/rules/{id}/test: replay stored history through the rule, raising nothing.
import { useMutation } from '@tanstack/react-query';
import { RuleTestResultSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const TEST_HOURS = [1, 6, 24, 72] as const;

export const testRule = (id: string, hours: number) =>
  apiRequest(`/rules/${encodeURIComponent(id)}/test`, { method: 'POST', body: { hours }, schema: RuleTestResultSchema });

export const useTestRule = (id: string) => useMutation({ mutationFn: (hours: number) => testRule(id, hours), meta: { inlineErrors: true } });
