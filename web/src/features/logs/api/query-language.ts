// The search query language for the search bar: POST /v1/logs/query/validate as the analyst
// types (debounced by the caller; the answer is the canonical form or the located error),
// and POST /v1/rules/from-query, the draft rule "Create detection" opens the editor with.
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { QueryValidateAnswerSchema, RuleDraftBodySchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const validateQuery = (query: string, signal?: AbortSignal) =>
  apiRequest('/logs/query/validate', { method: 'POST', body: { query }, schema: QueryValidateAnswerSchema, signal });

export const queryValidationOptions = (query: string) =>
  queryOptions({
    queryKey: ['logs', 'query-validate', query] as const,
    queryFn: ({ signal }) => validateQuery(query, signal),
    staleTime: Infinity,
  });

/** The validation of `query`; idle for an empty one. */
export const useQueryValidation = (query: string) => useQuery({ ...queryValidationOptions(query), enabled: query.trim() !== '' });

export const ruleFromQuery = (query: string) => apiRequest('/rules/from-query', { method: 'POST', body: { query }, schema: RuleDraftBodySchema });

export const useRuleFromQuery = () => useMutation({ mutationFn: ruleFromQuery, meta: { inlineErrors: true } });
