// Browser test of triage at a glance: ECS events carrying enrichment fields trip a shipped
// rule, the alert page shows the rule's "check first" guidance, the addresses with country,
// AS and an indicator hit, a related alert on the same host, and a pivot that lands on the
// logs page filtered on the host over the alert's window; at 1280px and at 768px.
import type { Page } from 'playwright-core';
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

const HOST = 'web-triage';

function ecsFailures(user: string, startMs: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => JSON.stringify({
    '@timestamp': new Date(startMs + i * 1000).toISOString(),
    event: { category: ['authentication'], outcome: 'failure', action: 'logon-failed' },
    user: { name: user },
    host: { name: HOST },
    source: {
      ip: '203.0.113.77', ip_scope: 'public',
      geo: { country_iso_code: 'NL', country_name: 'Netherlands', city_name: 'Amsterdam' },
      as: { number: 64500, organization: { name: 'Example Hosting' } },
    },
    destination: { ip: '10.20.0.5', ip_scope: 'private' },
    message: `Failed password for ${user} attempt ${i}`,
  }));
}

async function alertFor(ctx: Ctx, token: string, group: string): Promise<string> {
  let id = '';
  await waitFor(async () => {
    const r = await ctx.api<{ items: { id: string; group_value: string | null }[] }>('GET', '/alerts?per_page=100', undefined, token);
    id = r.body.items.find((a) => a.group_value === group)?.id ?? '';
    return id !== '';
  }, `an alert for ${group}`, 20_000);
  return id;
}

async function noOverflow(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 4) throw new Error(`${what} overflows horizontally by ${overflow}px`);
}

export async function triageAtAGlance(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'tessa');
  const now = Date.now();
  // Two accounts guessed on one host: two alerts of the shipped password-guessing rule.
  const body = [...ecsFailures('triage-victim', now - 60_000, 10), ...ecsFailures('triage-other', now - 20 * 60_000, 10)].join('\n');
  const ingest = await fetch(`${ctx.baseUrl}/api/v1/logs/raw`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
  if (ingest.status !== 201) throw new Error(`raw ingest: ${ingest.status} ${await ingest.text()}`);
  const alertId = await alertFor(ctx, token, 'triage-victim');
  const otherId = await alertFor(ctx, token, 'triage-other');
  // Threat-intel matching is another step's work: write its field as it would.
  const match = [{ list_id: 'l-scan', list_name: 'Known scanners', indicator: '203.0.113.77', type: 'ip', field: 'source.ip', source: 'test feed', confidence: 90 }];
  await ctx.server.db.query(
    `UPDATE log_events SET fields = coalesce(fields, '{}'::jsonb) || jsonb_build_object('threat.indicator.matches', $1::jsonb) WHERE username = 'triage-victim'`,
    [JSON.stringify(match)],
  );

  const page = await ctx.newPage({ label: 'triage' });
  await signInAs(ctx, page, token);
  await page.goto(`/alerts/${alertId}`);
  const check = page.getByTestId('triage-check-first');
  await expectText(check, 'The source addresses in the matched events');
  if ((await check.locator('li').count()) < 2) throw new Error('the guidance should be a list of steps');
  const addresses = page.getByTestId('triage-addresses');
  await expectText(addresses, 'Amsterdam, Netherlands');
  await expectText(addresses, 'Example Hosting');
  await expectText(addresses, 'Known scanners');
  await expectText(addresses, 'private');
  const related = page.getByTestId('triage-related');
  await related.locator(`a[href="/alerts/${otherId}"]`).waitFor();
  await expectText(related, HOST);
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await ctx.shot(page, 'triage-1-alert');

  // Narrow screens keep every panel readable without sideways scrolling of the page.
  const narrow = await ctx.newPage({ label: 'triage-768', width: 768 });
  await signInAs(ctx, narrow, token);
  await narrow.goto(`/alerts/${alertId}`);
  await expectText(narrow.getByTestId('triage-addresses'), 'Known scanners');
  await narrow.waitForLoadState('networkidle').catch(() => undefined);
  await ctx.shot(narrow, 'triage-2-alert-768');
  await noOverflow(narrow, 'the alert page at 768px');

  // One click: the logs around the alert on the same host.
  await page.getByTestId('triage-pivots').getByRole('link', { name: new RegExp(`Same host: ${HOST}`) }).click();
  await page.waitForURL(/\/logs\?.*range=custom.*hostname=web-triage/);
  await waitFor(async () => (await page.getByLabel('Host').inputValue()) === HOST, `host filter = ${HOST}`);
  const rows = page.getByTestId('log-rows').getByRole('row');
  await waitFor(async () => {
    const hosts = await rows.locator('[role="gridcell"]:nth-child(8)').allInnerTexts();
    const users = await rows.locator('[role="gridcell"]:nth-child(7)').allInnerTexts();
    // The window (matched events ± 15 min) holds this alert's events, not the other's 20 min earlier.
    return hosts.length === 10 && hosts.every((h) => h.trim() === HOST) && users.every((u) => u.trim() === 'triage-victim');
  }, 'the ten events of the alert on its host');
  await ctx.shot(page, 'triage-3-logs-pivot');
}
