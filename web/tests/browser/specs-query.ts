// Browser test of the query-language search bar against the real server: a query with an
// error shows the error at its position (caret under the unclosed group) and cannot be
// applied; fixed, it filters the table (and lands in the URL as ?query=); "Create detection"
// opens the rule editor prefilled with the search as a rule.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

export async function queryLanguageSearch(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'quinn');
  await ctx.server.users.createOrPromoteAdmin({ username: 'quinn', email: 'quinn@example.com' }, 'engineer');
  const seeded = await ctx.api('POST', '/logs/bulk', [
    { source_type: 'auth', event_type: 'ssh_failed', username: 'root', source_ip: '10.0.0.5', hostname: 'web-1', message: 'Failed password for root' },
    { source_type: 'auth', event_type: 'ssh_failed', username: 'alice', source_ip: '203.0.113.9', hostname: 'web-2', message: 'Failed password for alice' },
    { source_type: 'auth', event_type: 'login_success', username: 'root', source_ip: '10.0.0.6', hostname: 'web-2', message: 'Accepted password for root' },
  ]);
  if (seeded.status !== 201) throw new Error(`seeding: ${seeded.status}`);
  const page = await ctx.newPage({ label: 'quinn', height: 900 });
  await signInAs(ctx, page, token);
  await page.goto('/logs');
  await page.getByRole('heading', { name: 'Logs' }).waitFor();

  const box = page.getByRole('searchbox', { name: 'Query', exact: true });
  const broken = 'event_type:ssh_failed AND (username:root';
  await box.fill(broken);
  const error = page.getByTestId('query-error');
  await expectText(error, "Expected ')' to close the '(' at position 26");
  if ((await error.getAttribute('data-position')) !== String(broken.length)) throw new Error('the error is not placed at the end of the query');
  await expectText(error, `${' '.repeat(broken.length)}^`);
  if (!(await page.getByRole('button', { name: 'Search', exact: true }).isDisabled())) throw new Error('a broken query can be applied');
  await page.getByRole('button', { name: 'Syntax' }).click();
  await page.getByTestId('query-help').waitFor();
  await ctx.shot(page, 'query-01-error-at-position');

  const unknown = 'usrname:root';
  await box.fill(unknown);
  await expectText(error, "did you mean 'username'");
  await page.getByRole('button', { name: 'Syntax' }).click();

  const fixed = 'event_type:ssh_failed AND (username:root OR username:bob) source_ip:10.0.0.0/8';
  await box.fill(fixed);
  await waitFor(async () => (await error.count()) === 0, 'the error to clear');
  await box.press('Enter');
  await waitFor(async () => new URL(page.url()).searchParams.get('query') === fixed, '?query= in the URL');
  await expectText(page.locator('.table-count'), 'Showing 1 of 1 events');
  await expectText(page.locator('main'), 'web-1');
  await ctx.shot(page, 'query-02-results-filtered');

  await page.getByTestId('create-detection').click();
  await page.getByRole('heading', { name: 'New rule' }).waitFor();
  const name = await page.getByLabel('Name', { exact: true }).inputValue();
  if (!name.startsWith('Search: event_type:ssh_failed AND')) throw new Error(`the rule name is not prefilled: ${name}`);
  await page.getByRole('tab', { name: 'JSON' }).click();
  const code = page.locator('textarea').first();
  await waitFor(async () => (await code.inputValue()).includes('"cidr": "10.0.0.0/8"'), 'the conditions to hold the search');
  await ctx.shot(page, 'query-03-rule-editor-prefilled');
}
