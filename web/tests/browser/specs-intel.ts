// Browser test of the Threat intel page against the real server: an engineer reaches it from
// the navigation, creates a list, uploads a CSV feed (one bad line is reported with its line
// number), finds an indicator by search with its expiry shown; an event to a listed address
// then shows its match in the Logs page's event drawer.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText } from './wait.ts';

const FEED = 'value,type,confidence,expiry\n203.0.113.99,ip,90,2099-01-01T00:00:00Z\nbad-entry!,domain,,\nc2.browser.example,domain,70,\n';

export async function intelForEngineers(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'ines');
  await ctx.server.users.createOrPromoteAdmin({ username: 'ines', email: 'ines@example.com' }, 'engineer');
  const page = await ctx.newPage({ label: 'ines', height: 1000 });
  await signInAs(ctx, page, token);
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Threat intel' }).click();
  await page.getByRole('heading', { name: 'Threat intel', exact: true }).waitFor();

  await page.getByRole('button', { name: 'New indicator list' }).click();
  const form = page.getByTestId('intel-create-form');
  await form.getByLabel('Name').fill('browser c2');
  await form.getByLabel('Source').fill('browser feed');
  await form.getByRole('button', { name: 'Create list' }).click();
  const detail = page.getByTestId('intel-detail');
  await expectText(detail, 'browser c2');

  await detail.getByLabel('Feed file').setInputFiles({ name: 'feed.csv', mimeType: 'text/csv', buffer: Buffer.from(FEED) });
  await detail.getByRole('button', { name: 'Import' }).click();
  await expectText(detail.getByTestId('intel-import-result'), '2 imported, 1 refused');
  await expectText(detail.getByTestId('intel-import-errors'), 'line 3:');
  await expectText(page.getByTestId('intel-lists'), 'browser c2');
  const table = detail.getByTestId('indicators-table');
  await expectText(table, '203.0.113.99');
  await expectText(table, '2099');
  await detail.getByTestId('intel-search').fill('c2.');
  await expectText(table, 'c2.browser.example');
  await ctx.shot(page, '40-threat-intel');

  const ingest = await ctx.api<{ id: string }>('POST', '/logs/ingest', { source_type: 'firewall', source_ip: '10.9.9.9', dest_ip: '203.0.113.99', message: 'allow 10.9.9.9 -> 203.0.113.99:443' });
  if (ingest.status !== 201) throw new Error(`ingest: ${ingest.status}`);
  await page.goto('/logs?dest_ip=203.0.113.99');
  const rows = page.getByTestId('log-rows').getByRole('row');
  await rows.first().click();
  const drawer = page.getByRole('dialog', { name: 'Event' });
  await expectText(drawer.getByTestId('threat-matches'), '203.0.113.99 in browser c2');
  await ctx.shot(page, '41-event-threat-match', { viewport: true });
}
