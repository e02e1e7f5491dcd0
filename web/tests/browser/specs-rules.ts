// Browser tests of the rule editor and the coverage view: a rule built with a nested
// any-group in the builder is saved, reloaded and shown the same; the coverage matrix
// shades the technique of a shipped rule and links to its rules.
import type { Page } from 'playwright-core';
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

let engineerToken = '';
async function engineerPage(ctx: Ctx, label: string): Promise<Page> {
  if (!engineerToken) {
    engineerToken = await registerViaApi(ctx, 'rita');
    await ctx.server.users.createOrPromoteAdmin({ username: 'rita', email: 'rita@example.com' }, 'engineer');
  }
  const page = await ctx.newPage({ label, height: 1000 });
  await signInAs(ctx, page, engineerToken);
  return page;
}

const value = (page: Page, label: string) => page.getByLabel(label, { exact: true }).inputValue();

/** JSON with object keys sorted: the store does not keep key order. */
const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

export async function builderNestedGroup(ctx: Ctx): Promise<void> {
  const page = await engineerPage(ctx, 'builder');
  await page.goto('/rules/new');
  await page.getByRole('heading', { name: 'New rule' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Browser test: root or admin login failures');
  await page.getByLabel('Value 1', { exact: true }).fill('login_failure');
  // A nested "any" group under the root: username is root, or starts with "adm".
  const root = page.getByTestId('filter-group').first();
  await root.getByRole('button', { name: '+ Any-group' }).last().click();
  await page.getByLabel('Field 2.1', { exact: true }).fill('username');
  await page.getByLabel('Value 2.1', { exact: true }).fill('root');
  const anyGroup = page.getByTestId('filter-group').nth(1);
  await anyGroup.getByRole('button', { name: '+ Condition' }).click();
  await page.getByLabel('Field 2.2', { exact: true }).fill('username');
  await page.getByLabel('Operator 2.2', { exact: true }).selectOption('startswith');
  await page.getByLabel('Value 2.2', { exact: true }).fill('adm');
  await page.getByLabel('Fires at events').fill('3');
  await page.getByLabel('Window (seconds)').fill('120');
  await ctx.shot(page, '30-rule-builder-nested');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.waitForURL(/\/rules\/[0-9a-f]{24}$/);
  const id = page.url().split('/').pop()!;
  const stored = await ctx.api<{ conditions: { event_filter: unknown } }>('GET', `/rules/${id}`, undefined, engineerToken);
  const expected = { event_type: 'login_failure', any: [{ username: 'root' }, { username: { startswith: 'adm' } }] };
  if (canon(stored.body.conditions.event_filter) !== canon(expected)) {
    throw new Error(`stored filter ${JSON.stringify(stored.body.conditions.event_filter)}`);
  }
  // Opened afresh in another page (a reload of this one could abort its icon request).
  const page2 = await engineerPage(ctx, 'builder-reloaded');
  await page2.goto(`/rules/${id}`);
  await page2.getByRole('heading', { name: 'Browser test: root or admin login failures' }).waitFor();
  await waitFor(async () => (await value(page2, 'Value 2.2')) === 'adm', 'the nested condition after a reload');
  if ((await value(page2, 'Field 2.1')) !== 'username' || (await value(page2, 'Operator 2.2')) !== 'startswith') throw new Error('the nested group did not come back');
  if ((await page2.getByLabel('group 2 combines').inputValue()) !== 'any') throw new Error('group 2 is not an any-group');
  await ctx.shot(page2, '31-rule-builder-reloaded');
  await page2.getByRole('tab', { name: 'YAML' }).click();
  const yaml = await page2.locator('textarea.yaml-editor').inputValue();
  if (!yaml.includes('any:') || !yaml.includes('startswith: adm')) throw new Error(`the YAML view lacks the group: ${yaml}`);
  await ctx.shot(page2, '32-rule-yaml', { viewport: true });
  // Saving an untouched rule changes nothing.
  await page2.getByRole('tab', { name: 'Builder' }).click();
  await page2.getByRole('button', { name: 'Save changes' }).click();
  await expectText(page2.locator('.toast'), 'saved');
  const again = await ctx.api<{ conditions: { event_filter: unknown } }>('GET', `/rules/${id}`, undefined, engineerToken);
  if (canon(again.body.conditions) !== canon(stored.body.conditions)) throw new Error('an untouched save changed the conditions');
  // A field no stored event carries is saved, with a note at its row.
  await page2.getByLabel('Field 2.2', { exact: true }).fill('user.never_seen_name');
  await page2.getByRole('button', { name: 'Save changes' }).click();
  await expectText(page2.getByTestId('predicate-note'), 'user.never_seen_name');
  await page2.getByTestId('rule-warnings').waitFor();
  await ctx.shot(page2, '31b-rule-warning');
}

export async function coverageShadesShippedTechnique(ctx: Ctx): Promise<void> {
  const page = await engineerPage(ctx, 'coverage');
  await page.goto('/coverage');
  const matrix = page.getByTestId('coverage-matrix');
  await matrix.waitFor();
  // Shipped rules name T1110 (brute force) and are enabled: the cell is shaded.
  const cell = matrix.locator('[data-testid="technique-cell"][data-technique="T1110"]').first();
  await waitFor(async () => Number(await cell.getAttribute('data-level')) >= 1, 'the T1110 cell to be shaded');
  await ctx.shot(page, '33-coverage');
  await page.getByRole('button', { name: 'Alerts' }).click();
  await page.waitForURL(/by=alerts/);
  // The box follows the URL: a click landing while the page re-renders for by=alerts may be
  // lost, so it is clicked again until the URL says covered.
  const onlyCovered = page.getByLabel('Only techniques with rules');
  await waitFor(async () => {
    if (/covered=1/.test(page.url())) return true;
    if (!(await onlyCovered.isChecked())) await onlyCovered.click();
    return /covered=1/.test(page.url());
  }, 'the covered filter to apply');
  await ctx.shot(page, '34-coverage-alerts');
  await cell.getByRole('link', { name: /rules?\b/ }).click();
  await page.waitForURL(/\/rules\?technique=T1110$/);
  await page.getByTestId('technique-filter').waitFor();
  await waitFor(async () => (await page.getByTestId('rules-table').locator('tbody tr').count()) >= 1, 'rules of T1110');
  await page.goto('/alerts?technique=T1110');
  await page.getByTestId('alert-technique-filter').waitFor();
}

export async function rulePagesAt768(ctx: Ctx): Promise<void> {
  const page = await ctx.newPage({ label: 'narrow-rules', width: 768 });
  await signInAs(ctx, page, engineerToken || (await registerViaApi(ctx, 'nora')));
  for (const [path, name] of [['/coverage', '35-coverage-768'], ['/rules/new', '36-rule-new-768'], ['/rules/import', '37-rule-import-768']] as const) {
    await page.goto(path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await ctx.shot(page, name);
    // The matrix scrolls inside its own box; the page itself must not.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 4) throw new Error(`${path} overflows horizontally by ${overflow}px at 768px`);
  }
}
