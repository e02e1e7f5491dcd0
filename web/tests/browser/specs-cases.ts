// Browser test of case management: assign an alert to oneself, create a case from it,
// comment with an @mention (completed from the suggestions), add observables from the
// alert's events and by hand, follow the timeline, and find it under My cases / My alerts.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

/** An alert as correlation stores it, over one ingested event. */
async function seedAlert(ctx: Ctx, token: string): Promise<string> {
  const ev = await ctx.api<{ id: string }>('POST', '/logs/ingest', {
    source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.77', hostname: 'bastion-2', username: 'svc-backup',
    message: 'Failed password for svc-backup from 198.51.100.77',
  }, token);
  if (ev.status !== 201) throw new Error(`ingest: ${ev.status}`);
  const id = `${Math.floor(Date.now() / 1000).toString(16)}${'0123456789abcdef'.slice(0, 16)}`;
  await ctx.server.db.query(
    `INSERT INTO alerts (id, firing_key, rule_id, rule_name, severity, title, matched_event_ids, matched_event_count, group_value, fired_at, last_seen_at)
     VALUES ($1, $1, '000000000000000000000001', 'SSH brute force', 'high', 'Brute force against bastion-2', $2::text[], 1, '198.51.100.77', now(), now())`,
    [id, [ev.body.id]],
  );
  await ctx.server.db.query("INSERT INTO alert_history (alert_id, to_status) VALUES ($1, 'new')", [id]);
  await ctx.server.db.query('INSERT INTO alert_events (event_id, alert_id) VALUES ($1, $2)', [ev.body.id, id]);
  return id;
}

export async function caseFromAlert(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'carla');
  await registerViaApi(ctx, 'dominic');
  const alertId = await seedAlert(ctx, token);
  const page = await ctx.newPage({ label: 'cases' });
  await signInAs(ctx, page, token);

  // Assign the alert to myself, then open a case from it.
  await page.goto(`/alerts/${alertId}`);
  const panel = page.getByTestId('alert-case-actions');
  await panel.getByRole('button', { name: 'Assign to me' }).click();
  await expectText(page.getByTestId('alert-assignee'), 'carla');
  await expectText(page.getByTestId('alert-history'), 'Assigned to carla');
  await ctx.shot(page, 'cases-01-alert-actions');
  await panel.getByRole('button', { name: 'New case' }).click();
  if ((await page.getByLabel('Case title').inputValue()) !== 'Brute force against bastion-2') throw new Error('the case title is not prefilled');
  await page.getByRole('button', { name: 'Create case' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f]{24}$/);
  await expectText(page.getByTestId('case-title'), 'Brute force against bastion-2');
  await expectText(page.getByTestId('case-alerts'), 'Brute force against bastion-2');

  // Take it, move it on, and comment with a mention completed from the suggestions.
  await page.getByRole('button', { name: 'Me', exact: true }).click();
  await expectText(page.getByTestId('case-assignee'), 'carla');
  await page.getByLabel('Status').selectOption('in_progress');
  await expectText(page.getByTestId('case-timeline'), 'changed status from open to in progress');
  const box = page.getByLabel(/^Add a comment/);
  await box.fill('Password spraying from one address. @dom');
  await page.getByRole('button', { name: '@dominic' }).click();
  await box.press('End');
  await box.pressSequentially('can you check the bastion logs?');
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await expectText(page.getByTestId('mention'), '@dominic');

  // Observables: from the alert's events with one click, and one by hand.
  await page.getByRole('button', { name: /^From alert:/ }).click();
  await expectText(page.getByTestId('case-observables'), '198.51.100.77');
  await expectText(page.getByTestId('case-observables'), 'svc-backup');
  await page.getByLabel('Type').selectOption('domain');
  await page.getByLabel('Value').fill('Spray.Example.NET');
  await page.getByLabel('Note').fill('seen in proxy logs');
  await page.getByRole('button', { name: 'Add observable' }).click();
  await expectText(page.getByTestId('case-observables'), 'spray.example.net');

  const timeline = page.getByTestId('case-timeline');
  await expectText(timeline, 'added observable domain:spray.example.net');
  await expectText(timeline, 'commented: Password spraying');
  await waitFor(async () => (await timeline.locator('li').count()) >= 9, 'the timeline entries');
  await page.waitForTimeout(300);
  await ctx.shot(page, 'cases-02-case-detail');

  // The case and the alert show in my views.
  await page.getByRole('link', { name: 'My cases' }).click();
  await expectText(page.getByTestId('cases-table'), 'Brute force against bastion-2');
  await ctx.shot(page, 'cases-03-my-cases');
  await page.getByRole('link', { name: 'My alerts' }).click();
  await expectText(page.getByTestId('my-alerts-table'), 'Brute force against bastion-2');
  await page.goto('/cases?mentioned=me');
  await page.getByText('No case matches these filters.').waitFor();
}
