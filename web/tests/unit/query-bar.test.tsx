// The query search bar: a located error from the server is underlined with a caret at its
// position and blocks applying; a valid query is applied as typed; analysts get no
// "Create detection", engineers do; ?query= reads back from the URL.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { QueryBar } from '../../src/features/logs/components/query-bar.tsx';
import { logFiltersFromParams, logFiltersToParams } from '../../src/features/logs/api/filters.ts';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const BROKEN = 'username:root AND (';

function answer(query: string) {
  if (query === BROKEN) {
    return { valid: false, normalized: null, ast: null, fields: [], error: { message: "Expected a term at position 19, found the end of the query", position: 19, length: 0 } };
  }
  return { valid: true, normalized: query, ast: {}, fields: ['username'], error: null };
}

afterEach(() => useSession.setState({ token: null, user: null }));

describe('query bar', () => {
  it('underlines the error at its position and will not apply the query', async () => {
    useSession.setState({ token: 't', user: USER });
    stubFetch((call) => [200, answer((call.body as { query: string }).query)]);
    const applied: (string | null)[] = [];
    renderWithApp(<QueryBar value={null} onApply={(q) => applied.push(q)} />);
    const box = screen.getByRole('searchbox', { name: 'Query' });
    fireEvent.change(box, { target: { value: BROKEN } });
    const error = await screen.findByTestId('query-error');
    expect(error.getAttribute('data-position')).toBe('19');
    expect(error.textContent).toContain(`${' '.repeat(19)}^`);
    expect(screen.getByRole('button', { name: 'Search' })).toHaveProperty('disabled', true);
    expect(screen.queryByTestId('create-detection')).toBeNull();

    fireEvent.change(box, { target: { value: 'username:root' } });
    await waitFor(() => expect(screen.queryByTestId('query-error')).toBeNull());
    fireEvent.submit(box.closest('form')!);
    expect(applied).toEqual(['username:root']);
  });

  it('offers "Create detection" to engineers', async () => {
    useSession.setState({ token: 't', user: { ...USER, role: 'engineer' } });
    stubFetch((call) => [200, answer((call.body as { query: string }).query)]);
    renderWithApp(<QueryBar value="username:root" onApply={() => undefined} />);
    expect(screen.getByTestId('create-detection')).toHaveProperty('disabled', false);
  });

  it('keeps ?query= in the URL filters', () => {
    const f = logFiltersFromParams(new URLSearchParams('query=a%20OR%20b&severity=high'));
    expect(f.query).toBe('a OR b');
    expect(logFiltersToParams(f).get('query')).toBe('a OR b');
  });
});
