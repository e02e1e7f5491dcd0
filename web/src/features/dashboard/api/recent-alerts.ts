// The dashboard's live feed: the newest alerts (GET /v1/alerts, first page), then every
// `alert` message from the live feed is put on top by the SSE handler (live.ts).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { AlertSchema, PageSchema } from '@siem/contracts';
import type { AlertFeedItem } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const RECENT_ALERTS_MAX = 12;
export type RecentAlert = AlertFeedItem & { created_at: string; live?: boolean };

export async function getRecentAlerts(): Promise<RecentAlert[]> {
  const page = await apiRequest('/alerts', { query: { page: 1, per_page: RECENT_ALERTS_MAX }, schema: PageSchema(AlertSchema) });
  return page.items.map(({ id, rule_name, severity, title, group_value, matched_event_count, status, created_at }) => ({
    id, rule_name, severity, title, group_value, matched_event_count, status, created_at,
  }));
}

export const recentAlertsQueryOptions = () =>
  queryOptions({ queryKey: ['dashboard', 'recent-alerts'] as const, queryFn: getRecentAlerts });

export const useRecentAlerts = () => useQuery(recentAlertsQueryOptions());
