// Case management calls: the case list and detail, the timeline, the assignee picker, and
// every change (case fields, comments, links, observables, alert assignment). Changes
// refresh the case, its timeline and the alert lists they show up in.
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  AlertSchema, AssigneeSchema, CASE_STATUSES, CaseCommentSchema, CaseDetailSchema, CaseLinkResultSchema, CaseObservableSchema,
  CaseObservablesAddedSchema, CaseSchema, CaseTimelineEntrySchema, DeletedSchema, PageSchema, SEVERITIES,
} from '@siem/contracts';
import type { CaseCreate, CaseObservableCreate, CaseStatus, CaseUpdate, Severity } from '@siem/contracts';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const CASES_PER_PAGE = 25;

export interface CaseFilters {
  /** A status, or `active` (open + in progress). */
  status?: CaseStatus | 'active';
  severity?: Severity;
  assignee?: string;
  mentioned?: string;
  q?: string;
  page: number;
}

export function caseFiltersFromParams(params: URLSearchParams): CaseFilters {
  const page = Number(params.get('page'));
  const f: CaseFilters = { page: Number.isInteger(page) && page > 0 ? page : 1 };
  const status = params.get('status');
  if (status === 'active' || (status && (CASE_STATUSES as readonly string[]).includes(status))) f.status = status as CaseFilters['status'];
  const severity = params.get('severity');
  if (severity && (SEVERITIES as readonly string[]).includes(severity)) f.severity = severity as Severity;
  for (const key of ['assignee', 'mentioned', 'q'] as const) {
    const v = params.get(key)?.trim();
    if (v) f[key] = v.slice(0, 200);
  }
  return f;
}

const casesKey = ['cases'] as const;
export const caseDetailKey = (id: string) => ['cases', 'detail', id] as const;

export const casesQueryOptions = (f: CaseFilters) =>
  queryOptions({
    queryKey: ['cases', 'list', { ...f, per_page: CASES_PER_PAGE }],
    queryFn: () =>
      apiRequest('/cases', {
        query: { page: f.page, per_page: CASES_PER_PAGE, status: f.status, severity: f.severity, assignee: f.assignee, mentioned: f.mentioned, q: f.q },
        schema: PageSchema(CaseSchema),
      }),
    placeholderData: keepPreviousData,
    refetchInterval: POLL.listsMs,
  });

export const useCases = (f: CaseFilters) => useQuery(casesQueryOptions(f));

export const useCaseDetail = (id: string) =>
  useQuery({ queryKey: caseDetailKey(id), queryFn: () => apiRequest(`/cases/${encodeURIComponent(id)}`, { schema: CaseDetailSchema }) });

export const useCaseTimeline = (id: string) =>
  useQuery({
    queryKey: ['cases', 'timeline', id],
    queryFn: () => apiRequest(`/cases/${encodeURIComponent(id)}/timeline`, { query: { per_page: 1000 }, schema: PageSchema(CaseTimelineEntrySchema) }),
  });

/** Active accounts whose name starts with `prefix` (assignee picker, mention completion). */
export const useAssignees = (prefix: string, enabled = true) =>
  useQuery({
    queryKey: ['assignees', prefix.toLowerCase()],
    queryFn: () => apiRequest('/assignees', { query: { q: prefix }, schema: z.array(AssigneeSchema) }),
    enabled,
    staleTime: 30_000,
  });

/** My open alerts: assigned to the caller, not resolved. */
export const useMyOpenAlerts = (page: number) =>
  useQuery({
    queryKey: ['alerts', 'mine', page],
    queryFn: () => apiRequest('/alerts', { query: { assignee: 'me', status: 'open', page, per_page: CASES_PER_PAGE }, schema: PageSchema(AlertSchema) }),
    placeholderData: keepPreviousData,
    refetchInterval: POLL.listsMs,
  });

const path = (id: string, rest = '') => `/cases/${encodeURIComponent(id)}${rest}`;

/** A mutation that refreshes everything case-shaped and the alerts (assignees, case links). */
function useCaseMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { inlineErrors: true },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: casesKey });
      void qc.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}

export const useCreateCase = () => useCaseMutation((body: CaseCreate) => apiRequest('/cases', { method: 'POST', body, schema: CaseSchema }));

export const useUpdateCase = (id: string) =>
  useCaseMutation((body: CaseUpdate) => apiRequest(path(id), { method: 'PATCH', body, schema: CaseSchema }));

export const useAddComment = (id: string) =>
  useCaseMutation((body: string) => apiRequest(path(id, '/comments'), { method: 'POST', body: { body }, schema: CaseCommentSchema }));

export const useLinkAlerts = () =>
  useCaseMutation(({ caseId, alertIds }: { caseId: string; alertIds: string[] }) =>
    apiRequest(path(caseId, '/alerts'), { method: 'POST', body: { alert_ids: alertIds }, schema: CaseLinkResultSchema }));

export const useUnlinkAlert = (id: string) =>
  useCaseMutation((alertId: string) => apiRequest(path(id, `/alerts/${encodeURIComponent(alertId)}`), { method: 'DELETE', schema: DeletedSchema }));

export const useLinkEvents = (id: string) =>
  useCaseMutation((eventIds: string[]) => apiRequest(path(id, '/events'), { method: 'POST', body: { event_ids: eventIds }, schema: CaseLinkResultSchema }));

export const useUnlinkEvent = (id: string) =>
  useCaseMutation((eventId: string) => apiRequest(path(id, `/events/${encodeURIComponent(eventId)}`), { method: 'DELETE', schema: DeletedSchema }));

export const useAddObservable = (id: string) =>
  useCaseMutation((body: CaseObservableCreate) => apiRequest(path(id, '/observables'), { method: 'POST', body, schema: CaseObservableSchema }));

export const useObservablesFromAlert = () =>
  useCaseMutation(({ caseId, alertId }: { caseId: string; alertId: string }) =>
    apiRequest(path(caseId, '/observables/from-alert'), { method: 'POST', body: { alert_id: alertId }, schema: CaseObservablesAddedSchema }));

export const useRemoveObservable = (id: string) =>
  useCaseMutation((observableId: string) => apiRequest(path(id, `/observables/${encodeURIComponent(observableId)}`), { method: 'DELETE', schema: DeletedSchema }));

export const useAssignAlert = (alertId: string) =>
  useCaseMutation((assignee: string | null) =>
    apiRequest(`/alerts/${encodeURIComponent(alertId)}/assignee`, { method: 'PUT', body: { assignee }, schema: AlertSchema }));
