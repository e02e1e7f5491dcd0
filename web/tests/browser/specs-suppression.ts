// Browser test of alert suppression: an engineer turns on the rule editor's Suppression
// section (a bad key field is shown at that field, then fixed), three detections of one
// host within the duration make one alert, shown as "×3, last seen ..." in the alert list
// and on the alert's page.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

export async function suppressionCountsRepeats(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'sue');
  await ctx.server.users.createOrPromoteAdmin({ username: 'sue', email: 'sue@example.com' }, 'engineer');
  const page = await ctx.newPage({ label: 'suppression', height: 1100 });
  await signInAs(ctx, page, token);
  await page.goto('/rules/new');
  await page.getByRole('heading', { name: 'New rule' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Browser test: malware on a host');
  await page.getByLabel('Rule type', { exact: true }).selectOption('single');
  await page.getByLabel('Value 1', { exact: true }).fill('malware_detected');
  // No group: each matching event is its own firing.
  await page.getByLabel('Group by field 1', { exact: true }).fill('');
  // No cooldown: every detection fires; suppression then counts the repeats on one alert.
  await page.getByLabel('Cooldown (seconds)').fill('0');
  const section = page.getByTestId('suppression-section');
  await section.getByLabel(/Count repeats on the open alert/).check();
  await section.getByLabel('Suppression key field 1').fill('hostnme');
  await section.getByLabel('Suppression duration (seconds)').fill('3600');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await expectText(section, "Unknown field 'hostnme'");
  if ((await section.getByLabel('Suppression key field 1').getAttribute('aria-invalid')) !== 'true') throw new Error('the bad key field is not marked');
  await section.scrollIntoViewIfNeeded();
  await ctx.shot(page, '60-suppression-field-error', { viewport: true });
  await section.getByLabel('Suppression key field 1').fill('hostname');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.waitForURL(/\/rules\/[0-9a-f]{24}$/);
  const ruleId = page.url().split('/').pop()!;
  const rule = await ctx.api<{ suppression: unknown }>('GET', `/rules/${ruleId}`, undefined, token);
  if (JSON.stringify(rule.body.suppression) !== JSON.stringify({ fields: ['hostname'], duration_seconds: 3600 })) throw new Error(`stored ${JSON.stringify(rule.body.suppression)}`);

  const now = Date.now();
  for (const minutesAgo of [4, 2, 0]) {
    const res = await ctx.api('POST', '/logs/ingest', { source_type: 'endpoint', event_type: 'malware_detected', hostname: 'ws-042', timestamp: new Date(now - minutesAgo * 60_000).toISOString() });
    if (res.status !== 201) throw new Error(`ingest answered ${res.status}`);
  }
  type Page = { items: { id: string; occurrences: number }[] };
  let alertId = '';
  await waitFor(async () => {
    const list = await ctx.api<Page>('GET', `/alerts?rule_id=${ruleId}`, undefined, token);
    alertId = list.body.items[0]?.id ?? '';
    return list.body.items.length === 1 && list.body.items[0]!.occurrences === 3;
  }, 'one alert counting three detections').catch(async (err: Error) => {
    const all = await ctx.api('GET', '/alerts?per_page=200', undefined, token);
    const r = await ctx.api('GET', `/rules/${ruleId}`, undefined, token);
    throw new Error(`${err.message}: ${JSON.stringify(all.body).slice(0, 1500)} rule ${JSON.stringify(r.body)}`);
  });

  await page.goto('/alerts');
  const row = page.getByTestId('alerts-table').locator('tr', { hasText: 'Browser test: malware on a host' });
  await expectText(row.getByTestId('alert-occurrences'), '×3, last seen');
  await ctx.shot(page, '61-suppression-alert-list');
  await row.getByRole('link').click();
  await page.waitForURL(new RegExp(`/alerts/${alertId}$`));
  await expectText(page.getByTestId('alert-occurrences'), '×3, last seen');
  await ctx.shot(page, '62-suppression-alert-detail');
}
