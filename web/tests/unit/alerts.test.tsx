// Alert triage buttons (the transitions offered from each status, the PATCH they send,
// the server's message on failure) and what the live feed does to the cached lists.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import type { Alert, AlertFeedItem, Page } from '@siem/contracts';
import { StatusActions, nextActions } from '../../src/features/alerts/components/status-actions.tsx';
import { createAlertsLive, prependToPage } from '../../src/features/alerts/api/live.ts';
import { alertListKey } from '../../src/features/alerts/api/alerts.ts';
import { prependRecentAlerts } from '../../src/features/dashboard/api/live.ts';
import { appendLive } from '../../src/features/logs/api/live.ts';
import { renderWithApp, stubFetch } from './helpers.tsx';

const ID = 'b'.repeat(24);
const feedItem = (n: number, patch: Partial<AlertFeedItem> = {}): AlertFeedItem => ({
  id: n.toString(16).padStart(24, '0'), rule_name: 'R', severity: 'high', title: `R [${n}]`, group_value: String(n), matched_event_count: 5, status: 'new', ...patch,
});
const page = (items: Alert[]): Page<Alert> => ({ items, total: items.length, page: 1, per_page: 25, pages: 1 });

describe('status actions', () => {
  it('offers the next steps of the flow from each status', () => {
    const labels = (s: Parameters<typeof nextActions>[0]) => nextActions(s).map((a) => a.label);
    expect(labels('new')).toEqual(['Acknowledge', 'Investigate', 'Resolve', 'False positive']);
    expect(labels('acknowledged')).toEqual(['Investigate', 'Resolve', 'False positive']);
    expect(labels('investigating')).toEqual(['Resolve', 'False positive']);
    expect(labels('resolved')).toEqual(['Reopen', 'Investigate']);
    expect(labels('false_positive')).toEqual(['Reopen', 'Investigate']);
    for (const s of ['new', 'acknowledged', 'investigating', 'resolved', 'false_positive'] as const) {
      expect(nextActions(s).map((a) => a.to)).not.toContain(s);
    }
  });

  it('sends the chosen status with the notes', async () => {
    const calls = stubFetch((c) => [200, { ...feedItem(1), id: ID, status: (c.body as { status: string }).status, rule_id: ID, matched_event_ids: [], mitre_tactic: null, mitre_technique: null, acknowledged_by: 'alice', acknowledged_at: null, resolved_at: null, notes: null, created_at: 'x', updated_at: 'x' }]);
    renderWithApp(<StatusActions alertId={ID} status="new" />);
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Acknowledge', 'Investigate', 'Resolve', 'False positive']);
    fireEvent.change(screen.getByLabelText(/Notes/), { target: { value: ' looked at it ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'PATCH', url: `/api/v1/alerts/${ID}/status`, body: { status: 'acknowledged', notes: 'looked at it' } });
  });

  it('shows the server message when the change is refused', async () => {
    stubFetch(() => [404, { error: 'NotFoundError', message: 'Alert not found' }]);
    renderWithApp(<StatusActions alertId={ID} status="investigating" />);
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Alert not found');
  });
});

describe('live alerts in the cache', () => {
  it('prepends matching arrivals to first pages only, without duplicates', () => {
    const f = { status: null, severity: null, page: 1 };
    const one = prependToPage(page([]), [feedItem(1), feedItem(2)], f, 'now')!;
    expect(one.items.map((a) => a.group_value)).toEqual(['2', '1']);
    expect(one.total).toBe(2);
    expect(prependToPage(one, [feedItem(2)], f, 'now')).toBe(one);
    expect(prependToPage(page([]), [feedItem(3)], { ...f, page: 2 }, 'now')!.items).toHaveLength(0);
    expect(prependToPage(page([]), [feedItem(3)], { ...f, severity: 'critical' }, 'now')!.items).toHaveLength(0);
    expect(prependToPage(page([]), [feedItem(3)], { ...f, status: 'resolved' }, 'now')!.items).toHaveLength(0);
    expect(prependToPage(page([]), [feedItem(3)], { ...f, status: 'open' }, 'now')!.items, 'a new alert is open').toHaveLength(1);
  });

  it('patches every cached first page whose filters match', () => {
    const qc = new QueryClient();
    qc.setQueryData(alertListKey({ page: 1 }), page([]));
    qc.setQueryData(alertListKey({ page: 1, severity: 'critical' }), page([]));
    const live = createAlertsLive(qc);
    live.onAlerts([feedItem(7)]);
    live.stop();
    expect(qc.getQueryData<Page<Alert>>(alertListKey({ page: 1 }))!.items).toHaveLength(1);
    expect(qc.getQueryData<Page<Alert>>(alertListKey({ page: 1, severity: 'critical' }))!.items).toHaveLength(0);
  });

  it('keeps the dashboard feed short and newest first', () => {
    const start = Array.from({ length: 12 }, (_, i) => ({ ...feedItem(100 + i), created_at: 'x' }));
    const next = prependRecentAlerts(start, [feedItem(1), feedItem(2)])!;
    expect(next).toHaveLength(12);
    expect(next.slice(0, 2).map((a) => a.group_value)).toEqual(['2', '1']);
    expect(next[0]!.live).toBe(true);
  });

  it('numbers the live tail and caps it', () => {
    const log = (n: number) => ({ id: n.toString(16).padStart(24, '0'), timestamp: 'x', source_type: 'auth' as const, severity: 'info' as const, event_type: null, source_ip: null, dest_ip: null, hostname: null, username: null });
    let tail = appendLive(undefined, [log(1), log(2)], 3);
    tail = appendLive(tail, [log(3), log(4)], 3);
    expect(tail.items.map((i) => i.seq)).toEqual([4, 3, 2]);
    expect(tail.seq).toBe(4);
  });
});

describe('alert detail with expired events', () => {
  it('marks a matched event past retention as expired and shows its kept message instead of the raw record', async () => {
    const { Route, Routes } = await import('react-router');
    const { default: AlertDetailPage } = await import('../../src/features/alerts/components/alert-detail-page.tsx');
    const t = '2026-11-30T10:00:00.000Z';
    const event = (id: string, over: Record<string, unknown>) => ({
      id, timestamp: t, source_type: 'auth', source_ip: '203.0.113.9', dest_ip: null, source_port: null, dest_port: null, severity: 'high',
      event_type: 'login_failure', hostname: 'web-01', username: 'root', mitre_tactic: null, mitre_technique: null, raw: {}, normalized: { result: 'failure' },
      metadata: {}, fields: {}, scenario_run_id: null, matched_alert_ids: [ID], created_at: t, updated_at: t, ...over,
    });
    const alert: Alert = {
      id: ID, rule_id: 'c'.repeat(24), rule_name: 'brute', severity: 'high', title: 'brute [203.0.113.9]', matched_event_ids: ['d'.repeat(24), 'e'.repeat(24)],
      matched_event_count: 2, group_value: '203.0.113.9', status: 'new', mitre_tactic: null, mitre_technique: null, acknowledged_by: null, acknowledged_at: null,
      resolved_at: null, notes: null, created_at: t, updated_at: t, occurrences: 1, last_seen_at: t, suppression_key: null,
    };
    stubFetch(() => [200, {
      alert,
      matched_events: [event('e'.repeat(24), { raw: { line: 'still stored' } }), event('d'.repeat(24), { expired: true, message: 'Failed password for root', normalized_truncated: true })],
      history: [],
    }]);
    renderWithApp(<Routes><Route path="/alerts/:alertId" element={<AlertDetailPage />} /></Routes>, { route: `/alerts/${ID}` });
    await screen.findByText('brute [203.0.113.9]');
    expect(screen.getAllByText('expired')).toHaveLength(1);
    const toggles = screen.getAllByRole('button', { name: 'Show event details' });
    fireEvent.click(toggles[1]!);
    expect(await screen.findByText('Normalized (cut short)')).toBeTruthy();
    expect(screen.getByText(/Failed password for root/)).toBeTruthy();
    fireEvent.click(toggles[0]!);
    expect(await screen.findByText(/still stored/)).toBeTruthy();
  });
});
