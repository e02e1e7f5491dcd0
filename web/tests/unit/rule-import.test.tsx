// The Sigma import page: pasted YAML goes out as one file with the dry-run flag, the
// per-document results come back as a table (status, rule link, refusal reason and
// location, warnings), and a refused import's details are shown.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import RuleImportPage from '../../src/features/rules/components/rule-import-page.tsx';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const RESULT = {
  dry_run: true, created: 1, updated: 0, unchanged: 0, refused: 1,
  results: [
    { file: 'pasted.yml', document: 1, title: 'Encoded PowerShell', sigma_id: 'a1b2', status: 'created', rule_id: null, rule_type: 'single', reason: null, location: null, warnings: ['field Image mapped to process.executable'] },
    { file: 'pasted.yml', document: 2, title: 'Odd one', sigma_id: null, status: 'refused', rule_id: null, rule_type: null, reason: "modifier 'base64offset' is not supported", location: { field: 'CommandLine', modifier: 'base64offset' }, warnings: [] },
  ],
};

describe('Sigma import page', () => {
  it('sends the pasted YAML as a dry run and lists what would happen', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch(() => [200, RESULT]);
    renderWithApp(<RuleImportPage />, { route: '/rules/import' });
    fireEvent.change(screen.getByLabelText('Sigma YAML'), { target: { value: 'title: Encoded PowerShell\n---\ntitle: Odd one\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    const table = await screen.findByTestId('import-results');
    expect(calls[0]).toMatchObject({ method: 'POST', body: { files: [{ name: 'pasted.yml', content: 'title: Encoded PowerShell\n---\ntitle: Odd one\n' }], enabled: true, dry_run: true } });
    expect(calls[0]!.url).toMatch(/\/v1\/rules\/import$/);
    expect(table.textContent).toContain('Dry run: nothing was stored');
    const rows = within(table).getAllByRole('row');
    expect(rows[1]!.textContent).toContain("would be created");
    expect(rows[1]!.textContent).toContain('mapped to process.executable');
    expect(rows[2]!.getAttribute('data-status')).toBe('refused');
    expect(rows[2]!.textContent).toContain('CommandLine|base64offset');
  });

  it('shows why an import was refused as a whole', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    stubFetch(() => [422, { error: 'ValidationError', message: 'Every rule was refused', details: [{ field: 'files.0', message: 'not a Sigma rule', type: 'value_error' }] }]);
    renderWithApp(<RuleImportPage />, { route: '/rules/import' });
    fireEvent.change(screen.getByLabelText('Sigma YAML'), { target: { value: 'nope: 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByText('Every rule was refused')).toBeTruthy();
    expect(screen.getByText(/not a Sigma rule/)).toBeTruthy();
  });

  it('asks for YAML before sending anything', () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch(() => [200, RESULT]);
    renderWithApp(<RuleImportPage />, { route: '/rules/import' });
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    expect(screen.getByText(/Paste Sigma YAML or pick files first/)).toBeTruthy();
    expect(calls).toHaveLength(0);
  });
});
