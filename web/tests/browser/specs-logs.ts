// Browser tests of the log view under load: the live tail (new events appear, a pause
// holds the view and counts arrivals, resume shows them) and the virtualized table with
// tens of thousands of stored events (only the visible rows are in the DOM).
import type { Page } from 'playwright-core';
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

async function logsPage(ctx: Ctx, username: string): Promise<Page> {
  const token = await registerViaApi(ctx, username);
  const page = await ctx.newPage({ label: username });
  await signInAs(ctx, page, token);
  await page.goto('/logs');
  await page.getByTestId('tail-state').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  return page;
}

const ingest = (ctx: Ctx, event_type: string) =>
  ctx.api('POST', '/logs/ingest', { source_type: 'generic', event_type, source_ip: '198.51.100.77', message: 'tail test' });

export async function liveTailPauses(ctx: Ctx): Promise<void> {
  const page = await logsPage(ctx, 'frank');
  const rows = page.getByTestId('log-rows');
  await ingest(ctx, 'tail_first');
  await expectText(rows, 'tail_first');
  await page.getByRole('button', { name: 'Pause live tail' }).click();
  await ingest(ctx, 'tail_second');
  await expectText(page.getByTestId('tail-state'), 'Paused · 1 new');
  if ((await rows.allInnerTexts()).join(' ').includes('tail_second')) throw new Error('a paused tail showed a new event');
  await ctx.shot(page, '20-logs-paused', { viewport: true });
  await page.getByRole('button', { name: 'Resume live tail' }).click();
  await expectText(rows, 'tail_second');
}

export async function virtualizedTable(ctx: Ctx): Promise<void> {
  const batch = (offset: number) => Array.from({ length: 10_000 }, (_, i) => ({
    source_type: 'firewall', event_type: 'connection_allowed', source_ip: `10.9.${(offset + i) >> 8 & 255}.${(offset + i) & 255}`,
    dest_ip: '10.0.0.1', dest_port: 443, action: 'allow', timestamp: new Date(Date.now() - (offset + i) * 1000).toISOString(),
  }));
  for (const offset of [0, 10_000, 20_000]) {
    const r = await ctx.api<{ accepted: number }>('POST', '/logs/bulk', batch(offset));
    if (r.status !== 201) throw new Error(`bulk ingest answered ${r.status}`);
  }
  const page = await logsPage(ctx, 'grace');
  const body = page.getByTestId('log-rows');
  await body.getByRole('row').first().waitFor();
  await expectText(page.locator('.table-count'), '30,');
  // Scroll to the end a few times: each time the next 200-row page loads.
  for (let i = 0; i < 6; i++) {
    const before = await page.locator('.table-count').innerText();
    await body.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await waitFor(async () => (await page.locator('.table-count').innerText()) !== before, 'the next page to load', 10_000);
  }
  const shown = Number((await page.locator('.table-count').innerText()).match(/Showing ([\d,]+)/)![1]!.replace(/,/g, ''));
  if (shown < 1400) throw new Error(`only ${shown} rows loaded`);
  const inDom = await body.getByRole('row').count();
  if (inDom > 80) throw new Error(`${inDom} rows in the DOM: the table is not virtualized`);
  // A long jump back to the top renders at once.
  const t0 = Date.now();
  await body.evaluate((el) => el.scrollTo({ top: 0 }));
  await body.getByRole('row').first().waitFor();
  if (Date.now() - t0 > 1000) throw new Error('scrolling back to the top took over a second');
  await ctx.shot(page, '21-logs-30k', { viewport: true });
}
