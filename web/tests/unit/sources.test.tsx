// The Sources page: inputs with their state badge, address, counters and drop reasons; top
// hosts and formats; unparsed lines verbatim; the getting-started help (with the listening
// ports) until the first event; a refresh every 5 s; engineers and admins only.
import { describe, expect, it, vi } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { RequireEngineer } from '../../src/app/guards.tsx';
import SourcesPage from '../../src/features/sources/components/sources-page.tsx';
import { examplesFor, senderAddress } from '../../src/features/sources/components/getting-started.tsx';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const now = new Date().toISOString();
const input = (over: Record<string, unknown>) => ({
  name: 'syslog_udp', kind: 'syslog-udp', state: 'listening', address: '0.0.0.0:5514', error: null, events_total: 0, events_per_second: 0,
  parse_failures_total: 0, bytes_total: 0, dropped_total: 0, dropped: {}, connections: 0, last_seen: null, ...over,
});
const BUSY = {
  inputs: [
    input({ events_total: 12_345, events_per_second: 41.5, parse_failures_total: 17, dropped_total: 3, dropped: { invalid_utf8: 2, line_too_long: 1 }, last_seen: now }),
    input({ name: 'syslog_tls', kind: 'syslog-tls', state: 'off', address: null }),
    input({ name: 'syslog_tcp', kind: 'syslog-tcp', state: 'error', address: null, error: 'listen EADDRINUSE: address already in use 0.0.0.0:5514' }),
  ],
  top_hosts: [{ host: 'bastion-01', events: 9000, last_seen: now }, { host: 'web-02', events: 3000, last_seen: now }],
  top_formats: [{ format: 'sshd', events: 8000 }, { format: 'generic', events: 17 }],
  unparsed_samples: [{ input: 'syslog_udp', peer: '10.0.0.7', line: '<13>1 weird-vendor-format key=value '.repeat(20), at: now }],
};
const EMPTY = { inputs: [input({}), input({ name: 'syslog_tcp', kind: 'syslog-tcp', address: '0.0.0.0:5515' })], top_hosts: [], top_formats: [], unparsed_samples: [] };

const page = (
  <Routes>
    <Route path="/sources" element={<RequireEngineer what="Sources"><SourcesPage /></RequireEngineer>} />
  </Routes>
);

describe('sources page', () => {
  it('lists each input with a state badge, address, rate, totals, drop reasons and last seen; hosts, formats and unparsed lines', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch(() => [200, BUSY]);
    renderWithApp(page, { route: '/sources' });
    const row = await screen.findByTestId('input-syslog_udp');
    expect(calls[0]!.url).toBe('/api/v1/sources');
    expect(within(row).getByTestId('state-syslog_udp').textContent).toBe('Listening');
    expect(row.textContent).toContain('0.0.0.0:5514');
    expect(row.textContent).toContain('41.5');
    expect(row.textContent).toContain('12,345');
    expect(row.textContent).toMatch(/2\s*Invalid utf8/);
    expect(row.textContent).toMatch(/just now|s ago/);
    expect(screen.getByTestId('state-syslog_tls').textContent).toBe('Off');
    const failed = screen.getByTestId('input-syslog_tcp');
    expect(within(failed).getByTestId('state-syslog_tcp').textContent).toBe('Error');
    expect(failed.textContent).toContain('EADDRINUSE');
    expect(screen.getByTestId('top-hosts').textContent).toContain('bastion-01');
    expect(screen.getByTestId('top-formats').textContent).toContain('sshd');
    const sample = within(screen.getByTestId('unparsed-samples')).getByText(/weird-vendor-format/);
    expect(sample.tagName).toBe('PRE');
    expect(screen.getByTestId('unparsed-samples').textContent).toContain('from 10.0.0.7');
    // Events arrived: no getting-started help.
    expect(screen.queryByTestId('sources-empty')).toBeNull();
  });

  it('before the first event, tells how to send logs to the listening ports', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'admin' });
    stubFetch(() => [200, EMPTY]);
    renderWithApp(page, { route: '/sources' });
    const help = await screen.findByTestId('sources-empty');
    expect(help.textContent).toMatch(/logger -d -n \S+ -P 5514/);
    expect(help.textContent).toMatch(/logger -T -n \S+ -P 5515/);
    expect(help.textContent).toContain('/api/v1/logs/raw');
    expect(screen.getByTestId('unparsed-samples').textContent).toMatch(/No unparsed lines/);
  });

  it('refreshes every 5 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
      const calls = stubFetch(() => [200, BUSY]);
      renderWithApp(page, { route: '/sources' });
      await screen.findByTestId('input-syslog_udp');
      const before = calls.length;
      await act(async () => { await vi.advanceTimersByTimeAsync(5_200); });
      expect(calls.length).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an analyst is told the page is for engineers and admins, and nothing is requested', async () => {
    useSession.getState().signIn('jwt', USER);
    const calls = stubFetch(() => [200, BUSY]);
    renderWithApp(page, { route: '/sources' });
    expect((await screen.findByTestId('forbidden')).textContent).toMatch(/engineer or admin/);
    expect(calls).toHaveLength(0);
  });

  it('a 403 from the server (role changed meanwhile) is explained, not retried', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch(() => [403, { error: 'ForbiddenError', code: 'FORBIDDEN_ROLE', message: 'Insufficient permissions: reading the intake sources needs the engineer or admin role' }]);
    renderWithApp(page, { route: '/sources' });
    expect((await screen.findByRole('alert')).textContent).toMatch(/Engineers and admins only.*reading the intake sources/);
    expect(calls).toHaveLength(1);
  });
});

describe('sender examples', () => {
  it('write a wildcard bind as this server\'s name and bracket IPv6', () => {
    expect(senderAddress('0.0.0.0:5514', 'siem.example')).toEqual({ host: 'siem.example', port: '5514' });
    expect(senderAddress('[::]:5514', 'siem.example')).toEqual({ host: 'siem.example', port: '5514' });
    expect(senderAddress('[2001:db8::1]:6514', 'x')).toEqual({ host: '[2001:db8::1]', port: '6514' });
    expect(examplesFor(input({ kind: 'shipper-elasticsearch', address: '10.0.0.2:9200' }) as never, 'x')[0]!.code).toContain('http://10.0.0.2:9200');
    expect(examplesFor(input({ state: 'off', address: null }) as never, 'x')).toEqual([]);
  });
});
