// The rules list shows what the live correlation did with each enabled rule: matched
// events, alerts, and errors with the last one on hover; the list still works when the
// figures cannot be had.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import RulesPage from '../../src/features/rules/components/rules-page.tsx';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const rule = (id: string, name: string, enabled = true) => ({
  id, name, description: '', rule_type: 'threshold', severity: 'high', enabled,
  conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 60, group_by: 'source_ip' },
  mitre_tactic: null, mitre_technique: null, mitre_techniques: [], origin: null, cooldown_seconds: null, suppression: null, created_at: '2026-03-01T12:00:00.000Z', updated_at: '2026-03-01T12:00:00.000Z',
});
const RULES = [rule('a'.repeat(24), 'quiet'), rule('b'.repeat(24), 'failing'), rule('c'.repeat(24), 'switched off', false)];
const stats = (id: string, over: object) => ({ rule_id: id, rule_name: '', events_matched: 0, alerts: 0, errors: 0, groups: 0, last_error: null, last_error_at: null, ...over });
const VIEW = {
  updated_at: '2026-03-01T12:10:00.000Z',
  since: '2026-03-01T12:00:00.000Z',
  rules: [stats('a'.repeat(24), { events_matched: 1234, alerts: 2 }), stats('b'.repeat(24), { events_matched: 7, errors: 7, last_error: 'TypeError: boom', last_error_at: '2026-03-01T12:09:00.000Z' })],
};

describe('rules list activity', () => {
  it('shows matched, alerts and errors per enabled rule', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch((c) => (c.url.includes('/correlation/rules') ? [200, VIEW] : [200, RULES]));
    renderWithApp(<RulesPage />, { route: '/rules' });
    const table = await screen.findByTestId('rules-table');
    const cells = await within(table).findAllByTestId('rule-activity');
    expect(cells.map((c) => c.textContent)).toEqual(['1,234 matched · 2 alerts', '7 matched · 0 alerts · 7 errors']);
    expect(cells[1]!.getAttribute('title')).toMatch(/TypeError: boom/);
    expect(within(table).getByText('off')).toBeTruthy();
  });

  it('keeps the list when the figures are not available', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch((c) => (c.url.includes('/correlation/rules') ? [500, { error: 'InternalServerError', message: 'x' }] : [200, RULES]));
    renderWithApp(<RulesPage />, { route: '/rules' });
    const table = await screen.findByTestId('rules-table');
    expect(within(table).getByText('quiet')).toBeTruthy();
    expect(within(table).queryAllByTestId('rule-activity')).toHaveLength(0);
  });
});
