// Shared lists in the web app: the page by role, items edited one per line with refused
// lines named (checked here first, and from the server's 422), the in-use reason of a
// refused delete; and the alert's "never alert on this value" dialog (prefill from the
// rule's group_by, what it sends, disabled for analysts).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Alert } from '@siem/contracts';
import ListsPage from '../../src/features/lists/components/lists-page.tsx';
import { parseItemLines, lineMessages } from '../../src/features/lists/utils/item-lines.ts';
import { ExceptionButton, prefill } from '../../src/features/alerts/components/exception-dialog.tsx';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const LIST = {
  id: 'c'.repeat(24), name: 'scanners', kind: 'ip', description: 'known scanners', item_count: 2, created_by: 'erin', updated_by: 'erin',
  created_at: '2026-03-01T12:00:00.000Z', updated_at: '2026-03-01T12:00:00.000Z', used_by: [{ rule_id: 'b'.repeat(24), rule_name: 'SSH brute force' }],
};
const FULL = { ...LIST, items: ['10.0.0.0/8', '192.0.2.7'] };
const RULE = {
  id: 'b'.repeat(24), name: 'SSH brute force', description: '', rule_type: 'threshold', severity: 'high', enabled: true,
  conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 60, group_by: ['source_ip', 'username'] },
  mitre_tactic: null, mitre_technique: null, mitre_techniques: [], origin: null, cooldown_seconds: null, suppression: null, created_at: '2026-03-01T12:00:00.000Z', updated_at: '2026-03-01T12:00:00.000Z',
};
const ALERT: Alert = {
  id: 'a'.repeat(24), rule_id: RULE.id, rule_name: RULE.name, severity: 'high', title: 'SSH brute force', matched_event_ids: [], matched_event_count: 5,
  group_value: '192.0.2.10 / root', status: 'new', mitre_tactic: null, mitre_technique: null, acknowledged_by: null, acknowledged_at: null,
  resolved_at: null, notes: null, created_at: '2026-03-01T12:00:00.000Z', updated_at: '2026-03-01T12:00:00.000Z',
  occurrences: 1, last_seen_at: '2026-03-01T12:00:00.000Z', suppression_key: null,
};

describe('item lines', () => {
  it('skips blank lines and names refused items by their line', () => {
    const parsed = parseItemLines('10.0.0.1\n\n  \nbad\n');
    expect(parsed).toEqual({ items: ['10.0.0.1', 'bad'], lines: [1, 4] });
    expect(lineMessages([{ field: 'items.1', message: 'not an address', type: 'value_error' }, { field: 'name', message: 'taken', type: 'x' }], parsed.lines))
      .toEqual(['Line 4: not an address', 'taken']);
  });
});

describe('lists page', () => {
  it('an analyst reads lists (kind, count, the rules using them) without controls', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch((c) => (c.url.endsWith(LIST.id) ? [200, FULL] : [200, [LIST]]));
    renderWithApp(<ListsPage />, { route: '/lists' });
    const table = await screen.findByTestId('lists-table');
    expect(table.textContent).toMatch(/scanners/);
    expect(table.textContent).toMatch(/Addresses and networks/);
    expect(within(table).getByRole('link', { name: 'SSH brute force' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New list' })).toBeNull();
    expect(within(table).queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.getByTestId('lists-read-only').textContent).toMatch(/engineer or admin/);
    fireEvent.click(within(table).getByRole('button', { name: 'View' }));
    const editor = await screen.findByTestId('list-editor');
    expect((within(editor).getByLabelText(/Items/) as HTMLTextAreaElement).value).toBe('10.0.0.0/8\n192.0.2.7');
    expect(within(editor).queryByRole('button', { name: 'Save list' })).toBeNull();
  });

  it('an engineer saves items one per line; bad lines are named before anything is sent, then the server 422 lines', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch((c) => {
      if (c.method === 'PATCH') return [422, { error: 'ValidationError', message: '1 item is not valid', details: [{ field: 'items.1', message: 'too far', type: 'value_error' }] }];
      return c.url.endsWith(LIST.id) ? [200, FULL] : [200, [LIST]];
    });
    renderWithApp(<ListsPage />, { route: '/lists' });
    fireEvent.click(within(await screen.findByTestId('lists-table')).getByRole('button', { name: 'Edit' }));
    const editor = await screen.findByTestId('list-editor');
    const items = within(editor).getByLabelText(/Items/);
    fireEvent.change(items, { target: { value: '10.0.0.1\nnot-an-ip' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save list' }));
    expect((await screen.findByTestId('list-item-errors')).textContent).toMatch(/Line 2: 'not-an-ip' is not an IPv4\/IPv6 address/);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);

    fireEvent.change(items, { target: { value: '10.0.0.1\n\n192.0.2.99' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save list' }));
    await waitFor(() => expect(screen.getByTestId('list-item-errors').textContent).toBe('Line 3: too far'));
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ url: `/api/v1/lists/${LIST.id}`, body: { items: ['10.0.0.1', '192.0.2.99'] } });
  });

  it('after a save the editor shows the items as the server kept them', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    stubFetch((c) => {
      if (c.method === 'PATCH') return [200, { ...FULL, item_count: 1, items: ['2001:db8::1'], updated_at: '2026-03-01T12:10:00.000Z' }];
      return c.url.endsWith(LIST.id) ? [200, FULL] : [200, [LIST]];
    });
    renderWithApp(<ListsPage />, { route: '/lists' });
    fireEvent.click(within(await screen.findByTestId('lists-table')).getByRole('button', { name: 'Edit' }));
    const editor = await screen.findByTestId('list-editor');
    fireEvent.change(within(editor).getByLabelText(/Items/), { target: { value: '2001:DB8::1\n2001:db8::1' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save list' }));
    expect((await within(editor).findByRole('status')).textContent).toMatch(/Saved/);
    expect((within(editor).getByLabelText(/Items/) as HTMLTextAreaElement).value).toBe('2001:db8::1');
    expect(editor.textContent).toMatch(/ip, 1 item(?!s)/);
  });

  it('shows why a list in use cannot be deleted', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    stubFetch((c) => (c.method === 'DELETE'
      ? [409, { error: 'ConflictError', message: "List 'scanners' is used by rule 'SSH brute force': remove it from them first", code: 'CONFLICT_IN_USE' }]
      : [200, [LIST]]));
    renderWithApp(<ListsPage />, { route: '/lists' });
    const table = await screen.findByTestId('lists-table');
    fireEvent.click(within(table).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(table).getByRole('button', { name: 'Delete scanners' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/used by rule 'SSH brute force'/);
  });

  it('creates a list and reports a taken name at the name field', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch((c) => (c.method === 'POST' ? [409, { error: 'ConflictError', message: 'A list with this name already exists' }] : [200, []]));
    renderWithApp(<ListsPage />, { route: '/lists' });
    fireEvent.click(await screen.findByRole('button', { name: 'New list' }));
    const form = screen.getByTestId('list-create-form');
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'admins' } });
    fireEvent.change(within(form).getByLabelText('Kind'), { target: { value: 'user' } });
    fireEvent.change(within(form).getByLabelText(/Items/), { target: { value: 'Alice\nbob' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create list' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('A list with this name already exists');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'admins', kind: 'user', description: '', items: ['Alice', 'bob'] });
  });
});

describe('never alert on this value', () => {
  it('pairs the rule group_by fields with the alert group values', () => {
    expect(prefill('source_ip', '192.0.2.1')).toEqual([{ field: 'source_ip', value: '192.0.2.1' }]);
    expect(prefill(['source_ip', 'username'], '192.0.2.1 / root')).toEqual([{ field: 'source_ip', value: '192.0.2.1' }, { field: 'username', value: 'root' }]);
    expect(prefill(['a', 'b'], 'x / y / z')).toEqual([{ field: 'a', value: 'x / y / z' }, { field: 'b', value: '' }]);
    expect(prefill(undefined, null)).toEqual([{ field: '', value: '' }]);
  });

  it('is disabled for analysts, with the reason', () => {
    useSession.getState().signIn('jwt', USER);
    renderWithApp(<ExceptionButton alert={ALERT} />);
    expect((screen.getByRole('button', { name: /Never alert on this value/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('exception-hint').textContent).toMatch(/engineer or admin/);
  });

  it('sends the prefilled values to the rule exceptions and says what changed', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch((c) => (c.method === 'POST'
      ? [200, { rule: { ...RULE, conditions: { ...RULE.conditions, exceptions: [c.body && (c.body as { values: unknown }).values] } }, list: null }]
      : [200, RULE]));
    renderWithApp(<ExceptionButton alert={ALERT} />);
    fireEvent.click(screen.getByRole('button', { name: /Never alert on this value/ }));
    const form = await screen.findByTestId('exception-form');
    expect((within(form).getByLabelText('Value', { selector: '#exc-value-1' }) as HTMLInputElement).value).toBe('root');
    fireEvent.click(within(form).getByRole('button', { name: 'Add exception' }));
    expect((await screen.findByTestId('exception-done')).textContent).toMatch(/now ignores this value \(1 exception\)/);
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: `/api/v1/rules/${RULE.id}/exceptions`, body: { values: { source_ip: '192.0.2.10', username: 'root' } } });
  });

  it('adds a single value to a chosen list, and shows the server message when refused', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch((c) => {
      if (c.method === 'POST') return [422, { error: 'ValidationError', message: "The value does not fit list 'scanners' (kind ip)", details: [{ field: 'values.source_ip', message: 'not an address', type: 'value_error' }] }];
      return c.url.endsWith('/lists') ? [200, [LIST]] : [200, { ...RULE, conditions: { ...RULE.conditions, group_by: 'source_ip' } }];
    });
    renderWithApp(<ExceptionButton alert={{ ...ALERT, group_value: 'x' }} />);
    fireEvent.click(screen.getByRole('button', { name: /Never alert on this value/ }));
    const form = await screen.findByTestId('exception-form');
    fireEvent.click(within(form).getByLabelText(/Add to a shared list/));
    fireEvent.change(await within(form).findByLabelText('List'), { target: { value: 'scanners' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add exception' }));
    expect((await within(form).findByRole('alert')).textContent).toMatch(/does not fit list 'scanners'/);
    expect(form.textContent).toMatch(/values.source_ip: not an address/);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ values: { source_ip: 'x' }, list: 'scanners' });
  });
});
