// Browser test of the log view's search tools: the histogram draws bars and a drag zooms
// in, the field sidebar shows a field's top values and a click filters on one, Export
// downloads a CSV of exactly the filtered rows, and a saved search is saved and loaded
// back (after a reload too). Screenshots at desktop width and at 768px.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

const EVENT_TYPE = 'st_login_check';

async function seed(ctx: Ctx): Promise<void> {
  const now = Date.now();
  const events = Array.from({ length: 30 }, (_, i) => ({
    source_type: 'auth',
    event_type: EVENT_TYPE,
    hostname: i < 20 ? 'st-alpha' : 'st-beta',
    username: `st-user-${i % 3}`,
    source_ip: `192.0.2.${i + 1}`,
    message: i === 0 ? '=HYPERLINK("http://example.com","x")' : `search tools line ${i}`,
    timestamp: new Date(now - (i * 4 + 1) * 60_000).toISOString(),
  }));
  const r = await ctx.api<{ accepted: number }>('POST', '/logs/bulk', events);
  if (r.status !== 201) throw new Error(`bulk ingest answered ${r.status}`);
}

const count = (page: Page) => page.locator('.table-count').innerText();

export async function searchTools(ctx: Ctx): Promise<void> {
  await seed(ctx);
  const token = await registerViaApi(ctx, 'sturla');
  const page = await ctx.newPage({ label: 'sturla' });
  await signInAs(ctx, page, token);
  await page.goto(`/logs?range=24h&event_type=${EVENT_TYPE}`);

  // The histogram: bars, and the 30 events counted.
  const histogram = page.getByTestId('histogram');
  await expectText(page.getByTestId('histogram-total'), '30 events');
  const bars = histogram.getByTestId('histogram-bar');
  await waitFor(async () => (await bars.count()) > 10, 'histogram bars');
  const nonEmpty = await histogram.locator('[data-testid="histogram-bar"]:not([data-count="0"])').count();
  if (nonEmpty < 3) throw new Error(`only ${nonEmpty} bars hold events`);

  // The field sidebar: hostname's top values, then a click filters on one.
  const sidebar = page.getByTestId('field-sidebar');
  await expectText(page.getByTestId('field-sample'), 'newest 30 matches');
  await sidebar.getByRole('button', { name: /^hostname/ }).click();
  const values = sidebar.getByTestId('top-values');
  await expectText(values, 'st-alpha');
  await expectText(values, 'st-beta');
  await ctx.shot(page, '60-search-tools', { viewport: true });
  await values.getByRole('button', { name: 'st-alpha' }).click();
  await waitFor(async () => new URL(page.url()).searchParams.get('hostname') === 'st-alpha', 'the hostname filter in the URL');
  await waitFor(async () => (await count(page)).includes('20 of 20'), 'the list to show the 20 st-alpha events');
  await expectText(page.getByTestId('histogram-total'), '20 events');

  // Export: a CSV of exactly those 20 rows, formula cells made inert.
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: /CSV/ }).click()]);
  if (!/^logs-\d{8}T\d{6}Z\.csv$/.test(download.suggestedFilename())) throw new Error(`file name ${download.suggestedFilename()}`);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  if (!lines[0]!.startsWith('timestamp,severity,source_type,event_type')) throw new Error(`header: ${lines[0]}`);
  if (lines.length !== 21) throw new Error(`${lines.length - 1} rows exported, expected 20`);
  if (!lines.slice(1).every((l) => l.includes(',st-alpha,'))) throw new Error('a row of another host was exported');
  if (!csv.includes(`"'=HYPERLINK(""http://example.com"",""x"")"`)) throw new Error('the formula cell was not made inert');
  await page.keyboard.press('Escape');

  // Save the search, leave it, load it back; after a reload it is still listed.
  await page.getByText('Saved searches', { exact: true }).click();
  await page.getByLabel('Save the current search as').fill('Alpha logins');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectText(page.getByTestId('saved-list'), 'Alpha logins');
  await page.goto('/logs');
  await page.getByTestId('histogram-total').waitFor();
  await page.waitForLoadState('networkidle');
  await page.reload();
  await page.getByTestId('histogram-total').waitFor();
  await page.getByText('Saved searches', { exact: true }).click();
  await page.getByTestId('saved-list').getByRole('button', { name: 'Alpha logins', exact: true }).click();
  await waitFor(async () => {
    const p = new URL(page.url()).searchParams;
    return p.get('hostname') === 'st-alpha' && p.get('event_type') === EVENT_TYPE && p.get('range') === '24h';
  }, 'the saved filters in the URL');
  await waitFor(async () => (await count(page)).includes('20 of 20'), 'the saved search to list 20 events');

  // Dragging across bars narrows the range to them.
  await waitFor(async () => (await bars.count()) > 10, 'histogram bars after loading');
  const box = (await histogram.locator('svg').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await waitFor(async () => new URL(page.url()).searchParams.get('range') === 'custom', 'a custom range from the drag');
  const since = Date.parse(new URL(page.url()).searchParams.get('since') ?? '');
  if (!(since > Date.now() - 13 * 3600_000)) throw new Error('the drag did not narrow the range');
  await ctx.shot(page, '61-search-tools-zoomed', { viewport: true });

  // 768px: the sidebar stacks above the list, the menus stay reachable.
  const narrow = await ctx.newPage({ width: 768, height: 1000, label: 'sturla-768' });
  await signInAs(ctx, narrow, token);
  await narrow.goto(`/logs?range=24h&event_type=${EVENT_TYPE}`);
  await expectText(narrow.getByTestId('histogram-total'), '30 events');
  await narrow.getByTestId('field-sidebar').getByRole('button', { name: /^hostname/ }).click();
  await expectText(narrow.getByTestId('top-values'), 'st-alpha');
  await narrow.getByText('Saved searches', { exact: true }).click();
  await expectText(narrow.getByTestId('saved-list'), 'Alpha logins');
  await ctx.shot(narrow, '62-search-tools-768', { viewport: true });
}
