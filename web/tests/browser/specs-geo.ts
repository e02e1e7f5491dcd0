// Browser test of address enrichment in the log view: events from public addresses show a
// flag and country code beside the address (country, city and AS on hover), private ones a
// scope tag, in the table and in the event drawer, with the DB-IP credit.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

const EVENTS = [
  { source_ip: '8.8.8.8', dest_ip: '192.168.1.10', country: 'US' },
  { source_ip: '1.1.1.1', dest_ip: '10.0.0.7', country: 'AU' },
  { source_ip: '81.2.69.142', dest_ip: '172.16.5.4', country: 'GB' },
];

export async function addressEnrichmentShows(ctx: Ctx): Promise<void> {
  for (const e of EVENTS) {
    const r = await ctx.api('POST', '/logs/ingest', { source_type: 'firewall', event_type: 'geo_probe', source_ip: e.source_ip, dest_ip: e.dest_ip, dest_port: 22 });
    if (r.status !== 201) throw new Error(`ingest answered ${r.status}`);
  }
  const token = await registerViaApi(ctx, 'gina');
  const page = await ctx.newPage({ label: 'gina' });
  await signInAs(ctx, page, token);
  await page.goto('/logs?event_type=geo_probe');
  const rows = page.getByTestId('log-rows');
  await expectText(rows, '81.2.69.142');

  // Table: every public source has its flag and code; every private destination its tag.
  for (const e of EVENTS) {
    const row = rows.getByRole('row').filter({ hasText: e.source_ip });
    const geo = row.getByTestId('source-geo');
    await waitFor(async () => (await geo.innerText()).includes(e.country), `the ${e.country} flag beside ${e.source_ip}`);
    if (!(await geo.innerText()).includes(String.fromCodePoint(0x1f1e6 + e.country.charCodeAt(0) - 65))) throw new Error(`no flag for ${e.source_ip}`);
    const scope = await row.getByTestId('destination-scope').innerText();
    if (scope !== 'private') throw new Error(`destination ${e.dest_ip} tagged "${scope}"`);
  }
  const title = await rows.getByRole('row').filter({ hasText: '8.8.8.8' }).getByTestId('source-geo').getAttribute('title');
  if (!title?.includes('United States') || !title.includes('AS15169')) throw new Error(`hover text of 8.8.8.8: ${title}`);

  // Live tail: an event arriving while the page is open shows its flag too.
  await ctx.api('POST', '/logs/ingest', { source_type: 'firewall', event_type: 'geo_probe', source_ip: '2a00:1450:4001:82b::200e', dest_ip: 'fe80::1' });
  const live = rows.getByRole('row').filter({ hasText: '2a00:1450' });
  await expectText(live.getByTestId('source-geo'), 'DE');
  await expectText(live.getByTestId('destination-scope'), 'link-local');
  await ctx.shot(page, '60-logs-geo', { viewport: true });

  // Drawer: the same beside Source and Destination, and the credit.
  await rows.getByRole('row').filter({ hasText: '81.2.69.142' }).click();
  const fields = page.getByTestId('event-fields');
  await fields.waitFor();
  const drawerGeo = fields.getByTestId('source-geo');
  await expectText(drawerGeo, 'GB');
  const drawerTitle = await drawerGeo.getAttribute('title');
  if (!drawerTitle?.startsWith('United Kingdom')) throw new Error(`drawer hover text: ${drawerTitle}`);
  await expectText(fields.getByTestId('destination-scope'), 'private');
  await page.getByRole('link', { name: 'IP Geolocation by DB-IP' }).waitFor();
  await ctx.shot(page, '61-event-geo', { viewport: true });
}
