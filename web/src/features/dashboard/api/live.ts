// What the live feeds do to the dashboard's cache: new alerts go on top of the recent
// list at once (setQueryData); counts and charts are refetched, throttled, because a
// scenario at speed sends hundreds of events a second.
import type { QueryClient } from '@tanstack/react-query';
import type { AlertFeedItem } from '@siem/contracts';
import { throttle } from '../../../lib/throttle.ts';
import { RECENT_ALERTS_MAX, recentAlertsQueryOptions } from './recent-alerts.ts';
import type { RecentAlert } from './recent-alerts.ts';

const REFRESH_MS = 2000;

export function prependRecentAlerts(current: RecentAlert[] | undefined, items: AlertFeedItem[], now = new Date()): RecentAlert[] | undefined {
  if (!current) return current;
  const fresh = items
    .slice()
    .reverse()
    .map((a) => ({ ...a, created_at: now.toISOString(), live: true }));
  const seen = new Set(fresh.map((a) => a.id));
  return [...fresh, ...current.filter((a) => !seen.has(a.id))].slice(0, RECENT_ALERTS_MAX);
}

export function createDashboardLive(queryClient: QueryClient) {
  const refreshCounts = throttle(() => {
    void queryClient.invalidateQueries({ queryKey: ['dashboard'], predicate: (q) => q.queryKey[1] !== 'recent-alerts' });
  }, REFRESH_MS);
  return {
    onEvents: () => refreshCounts(),
    onAlerts: (items: AlertFeedItem[]) => {
      queryClient.setQueryData(recentAlertsQueryOptions().queryKey, (cur) => prependRecentAlerts(cur, items));
      refreshCounts();
    },
    onResync: () => void queryClient.invalidateQueries({ queryKey: ['dashboard'] }),
    stop: () => refreshCounts.cancel(),
  };
}
