// Browser test of the Lists page against the real server: an engineer reaches it from the
// navigation, creates a list with a bad line (named at its line, nothing sent), fixes it, and
// sees the list with its item count; the table shows it.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText } from './wait.ts';

export async function listsForEngineers(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'lena');
  await ctx.server.users.createOrPromoteAdmin({ username: 'lena', email: 'lena@example.com' }, 'engineer');
  const page = await ctx.newPage({ label: 'lena', height: 1000 });
  await signInAs(ctx, page, token);
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lists' }).click();
  await page.getByRole('heading', { name: 'Lists', exact: true }).waitFor();

  await page.getByRole('button', { name: 'New list' }).click();
  const form = page.getByTestId('list-create-form');
  await form.getByLabel('Name').fill('browser-scanners');
  await form.getByLabel('Kind').selectOption('ip');
  await form.getByLabel(/Items/).fill('10.0.0.0/8\nnot-an-ip\n');
  await form.getByRole('button', { name: 'Create list' }).click();
  await expectText(form.getByTestId('list-item-errors'), "Line 2: 'not-an-ip' is not an IPv4/IPv6 address");

  await form.getByLabel(/Items/).fill('10.0.0.0/8\n192.0.2.7\n10.0.0.0/8\n');
  await form.getByRole('button', { name: 'Create list' }).click();
  const editor = page.getByTestId('list-editor');
  await expectText(editor, 'browser-scanners');
  await expectText(editor, 'ip, 2 items');
  await expectText(page.getByTestId('lists-table'), 'browser-scanners');
}
