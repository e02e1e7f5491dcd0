// The Threat intel page: analysts read lists and indicators (no controls); an engineer
// uploads a file with its format as the raw body and sees the outcome with located problems;
// the event drawer's matches component lists what an event matched.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import IntelPage from '../../src/features/intel/components/intel-page.tsx';
import { ThreatMatches } from '../../src/components/ui/threat-matches.tsx';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const LIST = {
  id: 'c'.repeat(24), name: 'c2 feed', description: '', source: 'ACME CERT', default_confidence: 60, feed_kind: 'manual', path: null, format: null,
  enabled: true, indicator_count: 1234, last_import: { at: '2026-03-01T12:00:00.000Z', format: 'stix', imported: 1234, rejected: 2, truncated: 0, duration_ms: 40, errors: ['objects[3]: x'] },
  created_by: 'erin', created_at: '2026-03-01T12:00:00.000Z', updated_at: '2026-03-01T12:00:00.000Z',
};
const PAGE = {
  items: [{ id: '7', list_id: LIST.id, type: 'ip', value: '203.0.113.66', source: 'ACME CERT', confidence: 90, expires_at: '2099-01-01T00:00:00.000Z', first_seen: '2026-03-01T12:00:00.000Z', last_seen: '2026-03-01T12:00:00.000Z' }],
  total: 1, page: 1, per_page: 50, pages: 1,
};

describe('threat intel page', () => {
  it('an analyst reads lists and indicators, with expiry, without controls', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch((c) => (c.url.includes('/indicators') ? [200, PAGE] : [200, [LIST]]));
    renderWithApp(<IntelPage />, { route: '/intel' });
    const table = await screen.findByTestId('intel-lists');
    expect(table.textContent).toMatch(/c2 feed/);
    expect(table.textContent).toMatch(/1,234/);
    expect(table.textContent).toMatch(/2 refused/);
    expect(screen.queryByRole('button', { name: 'New indicator list' })).toBeNull();
    fireEvent.click(within(table).getByRole('button', { name: 'Open' }));
    const indicators = await screen.findByTestId('indicators-table');
    expect(indicators.textContent).toMatch(/203\.0\.113\.66/);
    expect(indicators.textContent).toMatch(/2099/);
    expect(screen.queryByTestId('intel-upload')).toBeNull();
  });

  it('an engineer uploads a file as the raw body with its format and sees the outcome', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch((c) => {
      if (c.url.includes('/import')) return [200, { at: '2026-03-01T12:00:00.000Z', format: 'csv', imported: 2, rejected: 1, truncated: 0, duration_ms: 5, errors: ['line 3: bad'] }];
      return c.url.includes('/indicators') ? [200, PAGE] : [200, [LIST]];
    });
    renderWithApp(<IntelPage />, { route: '/intel' });
    fireEvent.click(within(await screen.findByTestId('intel-lists')).getByRole('button', { name: 'Open' }));
    const upload = await screen.findByTestId('intel-upload');
    // A JSON file: the test's fetch stub reads bodies as JSON.
    const file = new File(['{"type": "bundle", "objects": []}'], 'feed.json', { type: 'application/json' });
    fireEvent.change(within(upload).getByLabelText('Feed file'), { target: { files: [file] } });
    fireEvent.change(within(upload).getByLabelText('Format'), { target: { value: 'stix' } });
    fireEvent.click(within(upload).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.getByTestId('intel-import-result').textContent).toMatch(/2 imported, 1 refused/));
    expect(screen.getByTestId('intel-import-errors').textContent).toMatch(/line 3: bad/);
    const sent = calls.find((c) => c.url.includes('/import'))!;
    expect(sent.url).toMatch(/format=stix/);
    expect(sent.method).toBe('POST');
    expect(sent.body).toEqual({ type: 'bundle', objects: [] });
  });
});

describe('threat matches in the event drawer', () => {
  it('lists each match; nothing for an event without matches', () => {
    const match = { list_id: 'c'.repeat(24), list_name: 'c2 feed', indicator: 'evil.example', type: 'domain', field: 'dns.question.name', source: 'ACME', confidence: 80 };
    const { container, rerender } = render(<ThreatMatches fields={{ 'threat.indicator.matches': [match] }} />);
    expect(container.textContent).toMatch(/evil\.example in c2 feed/);
    expect(container.textContent).toMatch(/confidence 80/);
    rerender(<ThreatMatches fields={{ other: 1 }} />);
    expect(container.textContent).toBe('');
  });
});
