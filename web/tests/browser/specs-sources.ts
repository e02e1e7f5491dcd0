// Browser test of the Sources page against the real server: hidden from analysts; an
// engineer reaches it from the navigation and sees the inputs the server reports (state,
// address, counters), hosts, formats and unparsed lines, refreshed without a reload.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText } from './wait.ts';

export async function sourcesForEngineers(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'dana');
  const page = await ctx.newPage({ label: 'dana', height: 1000 });
  await signInAs(ctx, page, token);
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  if (await nav.getByRole('link', { name: 'Sources' }).count()) throw new Error('an analyst sees the Sources link');
  await page.goto('/sources');
  await expectText(page.getByTestId('forbidden'), 'engineer or admin');

  await ctx.server.users.createOrPromoteAdmin({ username: 'dana', email: 'dana@example.com' }, 'engineer');
  // The shell refreshes the caller's record: the new role shows without signing in again.
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await nav.getByRole('link', { name: 'Sources' }).click();
  await page.getByRole('heading', { name: 'Sources' }).waitFor();
  // (The help shown before any log arrives is covered by the unit tests: the other browser
  // tests share this server and have ingested events by now.)

  // What inputs and the intake service report while logs arrive.
  const udp = ctx.server.sources.register('syslog_udp', 'syslog-udp');
  udp.setState('listening', '127.0.0.1:5514');
  udp.dropped('invalid_utf8', 2);
  const tcp = ctx.server.sources.register('syslog_tcp', 'syslog-tcp');
  tcp.setState('listening', '127.0.0.1:5514');
  tcp.connectionOpened();
  ctx.server.sources.register('syslog_tls', 'syslog-tls').setState('off');
  for (let i = 0; i < 40; i++) ctx.server.sources.recordEvent('syslog_udp', { host: i % 4 === 0 ? 'web-02' : 'bastion-01', format: 'sshd', unparsed: false });
  ctx.server.sources.recordEvent('syslog_tcp', { host: 'fw-edge', format: 'netfilter', unparsed: false });
  ctx.server.sources.recordEvent('syslog_udp', {
    host: 'printer-3f', format: 'generic', unparsed: true, peer: '10.0.9.41',
    line: '<190>PRN-3F: job 4411 done user=jsmith pages=12 duration=00:00:41 status=OK tray=2 toner=38% firmware=2.11.7 serial=ZX9-0041-1187-AB',
  });

  // And real lines through the raw HTTP input: counted under it, the unknown one sampled.
  const raw = await fetch(`${ctx.baseUrl}/api/v1/logs/raw`, {
    method: 'POST', headers: { 'content-type': 'text/plain' },
    body: 'Mar  3 10:00:01 gw-01 sshd[811]: Failed password for root from 203.0.113.9 port 50122 ssh2\nACME-UPS status=ONBATT charge=87% runtime=41min\n',
  });
  if (raw.status !== 201) throw new Error(`raw ingest answered ${raw.status}`);

  // The page polls: what arrived shows without a reload.
  const row = page.getByTestId('input-syslog_udp');
  await expectText(row, '127.0.0.1:5514');
  await expectText(row.getByTestId('state-syslog_udp'), 'Listening');
  await expectText(row, '41');
  await expectText(page.getByTestId('top-hosts'), 'bastion-01');
  await expectText(page.getByTestId('unparsed-samples'), 'PRN-3F: job 4411');
  await expectText(page.getByTestId('input-http-raw'), 'Listening');
  await expectText(page.getByTestId('unparsed-samples'), 'ACME-UPS status=ONBATT');

  // More events: the counters move on the next refresh.
  for (let i = 0; i < 5; i++) ctx.server.sources.recordEvent('syslog_tcp', { host: 'fw-edge', format: 'netfilter', unparsed: false });
  await expectText(page.getByTestId('input-syslog_tcp'), '6', 12_000);
  await ctx.shot(page, '31-sources');
  const narrow = await ctx.newPage({ label: 'dana-narrow', width: 768 });
  await signInAs(ctx, narrow, token);
  await narrow.goto('/sources');
  await narrow.getByTestId('input-syslog_udp').waitFor();
  await ctx.shot(narrow, '32-sources-768');
}
