// What the `alert` feed does to the alert lists: a new alert goes on top of every cached
// first page whose filters it matches (setQueryData, instant), then the lists are
// refetched, throttled, to fill in the fields the feed summary lacks.
import type { QueryClient } from '@tanstack/react-query';
import type { Alert, AlertFeedItem, Page } from '@siem/contracts';
import { throttle } from '../../../lib/throttle.ts';
import { ALERTS_PER_PAGE, OPEN_STATUSES } from './alerts.ts';

type ListKeyFilters = { status: string | null; severity: string | null; technique?: string | null; page: number };

/** A full Alert from the feed summary; the throttled refetch replaces it within seconds. */
export function alertFromFeed(item: AlertFeedItem, nowIso: string): Alert {
  return {
    ...item,
    rule_id: '',
    matched_event_ids: [],
    mitre_tactic: null,
    mitre_technique: null,
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_at: null,
    notes: null,
    created_at: nowIso,
    updated_at: nowIso,
    // The feed announces new alerts only: a new alert has been seen once.
    occurrences: 1,
    last_seen_at: nowIso,
    suppression_key: null,
  };
}

// The feed summary has no technique: a technique-filtered list waits for the refetch.
export const matchesFilters = (item: AlertFeedItem, f: ListKeyFilters) =>
  !f.technique &&
  (!f.status || f.status === item.status || (f.status === 'open' && OPEN_STATUSES.includes(item.status))) &&
  (!f.severity || f.severity === item.severity);

export function prependToPage(page: Page<Alert> | undefined, items: AlertFeedItem[], f: ListKeyFilters, nowIso: string): Page<Alert> | undefined {
  if (!page || f.page !== 1) return page;
  const known = new Set(page.items.map((a) => a.id));
  const fresh = items.filter((i) => matchesFilters(i, f) && !known.has(i.id)).reverse();
  if (fresh.length === 0) return page;
  const total = page.total + fresh.length;
  return {
    ...page,
    items: [...fresh.map((i) => alertFromFeed(i, nowIso)), ...page.items].slice(0, page.per_page || ALERTS_PER_PAGE),
    total,
    pages: Math.ceil(total / (page.per_page || ALERTS_PER_PAGE)),
  };
}

export function createAlertsLive(queryClient: QueryClient) {
  const refetchLists = throttle(() => void queryClient.invalidateQueries({ queryKey: ['alerts', 'list'] }), 1500);
  return {
    onAlerts: (items: AlertFeedItem[]) => {
      const nowIso = new Date().toISOString();
      for (const [key, page] of queryClient.getQueriesData<Page<Alert>>({ queryKey: ['alerts', 'list'] })) {
        const f = key[2] as ListKeyFilters | undefined;
        if (!f) continue;
        const next = prependToPage(page, items, f, nowIso);
        if (next !== page) queryClient.setQueryData(key, next);
      }
      refetchLists();
    },
    onResync: () => void queryClient.invalidateQueries({ queryKey: ['alerts'] }),
    stop: () => refetchLists.cancel(),
  };
}
