// Rule screens follow the role: analysts read and test rules but get no controls that the
// server would refuse (new, edit, enable/disable, delete); a stored rule shows its history.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import RuleEditPage from '../../src/features/rules/components/rule-edit-page.tsx';
import RulesPage from '../../src/features/rules/components/rules-page.tsx';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const RULE = {
  id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'SSH brute force', description: '', rule_type: 'threshold', severity: 'high', enabled: true,
  conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 60, group_by: 'source_ip' },
  mitre_tactic: null, mitre_technique: null, mitre_techniques: [], origin: null, cooldown_seconds: null, suppression: null, created_at: '2026-03-01T12:00:00.000Z', updated_at: '2026-03-01T12:00:00.000Z',
};
const HISTORY = [
  { action: 'created', by: 'erin', user_id: 'cccccccccccccccccccccccc', at: '2026-03-01T12:00:00.000Z', rule_name: RULE.name, changes: { name: { from: null, to: RULE.name } } },
  { action: 'updated', by: 'erin', user_id: 'cccccccccccccccccccccccc', at: '2026-03-01T12:05:00.000Z', rule_name: RULE.name, changes: { severity: { from: 'medium', to: 'high' } } },
];

const answer = (c: { url: string }): [number, unknown] =>
  c.url.includes('/correlation/rules') ? [200, { updated_at: '2026-03-01T12:10:00.000Z', since: '2026-03-01T12:00:00.000Z', rules: [] }] :
  c.url.includes('/fields') ? [200, [{ name: 'event_type', origin: 'column', count: 1, types: ['string'], example: 'login_failure' }]] :
  c.url.endsWith('/history') ? [200, HISTORY] : c.url.endsWith(`/rules/${RULE.id}`) ? [200, RULE] : [200, [RULE]];

const pages = (
  <Routes>
    <Route path="/rules" element={<RulesPage />} />
    <Route path="/rules/:ruleId" element={<RuleEditPage />} />
  </Routes>
);

describe('rules list by role', () => {
  it('an analyst gets the list read-only: no new, delete or working switch', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch(answer);
    renderWithApp(pages, { route: '/rules' });
    const table = await screen.findByTestId('rules-table');
    expect(screen.queryByRole('link', { name: 'New rule' })).toBeNull();
    expect(within(table).queryByRole('button', { name: 'Delete' })).toBeNull();
    expect((within(table).getByRole('switch') as HTMLButtonElement).disabled).toBe(true);
    expect(within(table).getByRole('link', { name: 'View' })).toBeTruthy();
    expect(within(table).getByRole('button', { name: 'Test' })).toBeTruthy();
    expect(screen.getByTestId('rules-read-only').textContent).toMatch(/engineer or admin/);
  });

  it('an engineer gets the controls', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    stubFetch(answer);
    renderWithApp(pages, { route: '/rules' });
    const table = await screen.findByTestId('rules-table');
    expect(screen.getByRole('link', { name: 'New rule' })).toBeTruthy();
    expect(within(table).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect((within(table).getByRole('switch') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('rule page', () => {
  it('shows the change history with who, and the changed fields', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch(answer);
    renderWithApp(pages, { route: `/rules/${RULE.id}` });
    const history = await screen.findByTestId('rule-history');
    expect(history.textContent).toMatch(/Created/);
    expect(history.textContent).toMatch(/erin/);
    expect(history.textContent).toMatch(/medium/);
    expect(screen.getByTestId('rule-read-only')).toBeTruthy();
  });
});
