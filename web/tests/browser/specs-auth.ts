// Browser tests: the way in (landing, register, login, session across reloads, wrong
// credentials), settings, and what an analyst may not see (users page) until promoted.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

/** Runs first, while the server has no administrator: the printed link creates one, once. */
export async function firstRunSetupLink(ctx: Ctx): Promise<void> {
  const token = await ctx.server.setupToken();
  if (token === null) throw new Error('an administrator exists before the first test');
  const page = await ctx.newPage({ label: 'operator' });
  await page.goto('/login');
  await page.getByTestId('setup-required').waitFor();
  await page.goto(`/setup#token=${token}`);
  await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
  // The token is read once and wiped from the address bar.
  await waitFor(async () => !page.url().includes('token='), 'the token leaves the address bar');
  await page.getByLabel('Username').fill('root');
  await page.getByLabel('Email').fill('root@example.com');
  await page.getByLabel('Password', { exact: true }).fill('a-long-password');
  await page.getByLabel('Confirm password').fill('a-long-password');
  await ctx.shot(page, '00-first-run-setup');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.waitForURL('**/dashboard');
  await expectText(page.locator('.user-link'), 'root');
  await page.getByRole('link', { name: 'Users' }).waitFor();

  // The link is void now: a second visit says so.
  const later = await ctx.newPage({ label: 'visitor' });
  await later.goto(`/setup#token=${token}`);
  await later.getByTestId('setup-done').waitFor();
  await ctx.shot(later, '00-first-run-done');
}

export async function registerAndLogIn(ctx: Ctx): Promise<void> {
  const page = await ctx.newPage({ label: 'visitor' });
  await page.goto('/');
  await page.getByRole('heading', { name: 'See attacks as they happen.' }).waitFor();
  await ctx.shot(page, '01-landing');

  await page.getByRole('link', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Email').fill('alice@lab.test');
  await page.getByLabel('Password', { exact: true }).fill('password123');
  await page.getByLabel('Confirm password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  // Checked in the browser with the server's own rules: a .test domain is refused.
  await expectText(page.locator('.field-invalid'), 'special-use');
  await ctx.shot(page, '02-register-error');
  await page.getByLabel('Email').fill('alice@example.com');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

  // The session survives a reload.
  await page.reload();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await expectText(page.locator('.user-link'), 'alice');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  ctx.watch.expect(/\/api\/v1\/auth\/login$/, 401);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('alert'), 'Invalid username or password');
  await ctx.shot(page, '03-login-error');
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/dashboard');
  await page.locator('[data-testid="connection"][data-status="open"]').waitFor();
}

export async function settingsWrongPassword(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'bob');
  const page = await ctx.newPage({ label: 'bob' });
  await signInAs(ctx, page, token);
  await page.goto('/settings');
  ctx.watch.expect(/\/api\/v1\/auth\/me$/, 401);
  await page.getByLabel('Email').fill('bob.new@example.com');
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(page.locator('.field-invalid'), 'Current password is incorrect');
  await ctx.shot(page, '10-settings-wrong-password');
  // A wrong current password is a form answer, not the end of the session.
  if (!page.url().endsWith('/settings')) throw new Error(`left settings for ${page.url()}`);
  await page.getByLabel('Current password').fill('password123');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(page.locator('.toast'), 'Profile saved');
}

export async function analystCannotSeeUsers(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'carol');
  const page = await ctx.newPage({ label: 'carol' });
  await signInAs(ctx, page, token);
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  if (await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()) throw new Error('analyst sees the Users link');
  await page.goto('/users');
  await page.getByTestId('forbidden').waitFor();
  await ctx.shot(page, '11-users-forbidden');

  // Promoted by the operator path (the admin CLI's service call): the role shows on reload.
  await ctx.server.users.createOrPromoteAdmin({ username: 'carol', email: 'carol@example.com' });
  await page.reload();
  await page.getByTestId('users-table').waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).waitFor();
  ctx.watch.expect(/\/api\/v1\/admin\/users\/[0-9a-f]{24}\/deactivate$/, 403);
  await page.getByTestId('user-carol').getByRole('button', { name: 'Deactivate' }).click();
  await expectText(page.locator('.row-problem'), 'Cannot deactivate your own account');
  // Promote another account through the page.
  const row = page.getByTestId('user-alice');
  await row.getByLabel('Role of alice').selectOption('admin');
  await waitFor(async () => (await row.getByLabel('Role of alice').inputValue()) === 'admin', 'alice promoted');
  await ctx.shot(page, '12-users-admin');
}
