// GET /v1/alerts: one page of alerts for a set of filters. The filters are part of the
// query key (normalized so "" and absent are the same key), so changing a filter never
// shows another filter's cached page.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { ALERT_STATUSES, AlertSchema, PageSchema, SEVERITIES } from '@siem/contracts';
import type { AlertStatus, Severity } from '@siem/contracts';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const ALERTS_PER_PAGE = 25;

/** A status, or "open": new, acknowledged and investigating together (server addition). */
export type AlertStatusFilter = AlertStatus | 'open';
export const OPEN_STATUSES: readonly AlertStatus[] = ['new', 'acknowledged', 'investigating'];

export interface AlertFilters {
  status?: AlertStatusFilter;
  severity?: Severity;
  /** MITRE technique (with its sub-techniques), from the coverage view's links. */
  technique?: string;
  /** Only alerts created at or after this instant (ISO), from the coverage view's period. */
  since?: string;
  page: number;
}

/** Reads filters from the URL, dropping anything that is not a known value. */
export function alertFiltersFromParams(params: URLSearchParams): AlertFilters {
  const status = params.get('status');
  const severity = params.get('severity');
  const page = Number(params.get('page'));
  const filters: AlertFilters = { page: Number.isInteger(page) && page > 0 ? page : 1 };
  if (status === 'open' || (status && (ALERT_STATUSES as readonly string[]).includes(status))) filters.status = status as AlertStatusFilter;
  if (severity && (SEVERITIES as readonly string[]).includes(severity)) filters.severity = severity as Severity;
  const technique = params.get('technique')?.trim().toUpperCase();
  if (technique && /^T\d{4}(?:\.\d{3})?$/.test(technique)) filters.technique = technique;
  const since = params.get('since');
  if (since && Number.isFinite(Date.parse(since))) filters.since = new Date(Date.parse(since)).toISOString();
  return filters;
}

export const alertListKey = (f: AlertFilters) =>
  ['alerts', 'list', { status: f.status ?? null, severity: f.severity ?? null, technique: f.technique ?? null, since: f.since ?? null, page: f.page, per_page: ALERTS_PER_PAGE }] as const;

export const getAlerts = (f: AlertFilters) =>
  apiRequest('/alerts', {
    query: { page: f.page, per_page: ALERTS_PER_PAGE, status: f.status, severity: f.severity, technique: f.technique, since: f.since },
    schema: PageSchema(AlertSchema),
  });

export const alertsQueryOptions = (f: AlertFilters) =>
  queryOptions({ queryKey: alertListKey(f), queryFn: () => getAlerts(f), placeholderData: keepPreviousData, refetchInterval: POLL.listsMs });

export const useAlerts = (f: AlertFilters) => useQuery(alertsQueryOptions(f));
