// Browser test of the Notifications page against the real server: hidden from analysts; an
// admin creates a signed webhook to a receiver on 127.0.0.1 (a bad template is shown at the
// template before saving, the live preview renders the sample alert), sends a test and sees
// the outcome, and a queued delivery shows up delivered with its attempt. The receiver checks
// the HMAC signature the server sent.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

export async function notificationsForAdmins(ctx: Ctx): Promise<void> {
  const secret = 'browser-hmac-secret';
  const received: { body: string; valid: boolean }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const ts = String(req.headers['x-siem-timestamp'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      received.push({ body, valid: req.headers['x-siem-signature'] === expected });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=browser-token`;
  try {
    const token = await registerViaApi(ctx, 'nora');
    const page = await ctx.newPage({ label: 'nora', height: 1400 });
    await signInAs(ctx, page, token);
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    if (await nav.getByRole('link', { name: 'Notifications' }).count()) throw new Error('an analyst sees the Notifications link');
    await page.goto('/notifications');
    await expectText(page.getByTestId('forbidden'), 'admin role');

    await ctx.server.users.createOrPromoteAdmin({ username: 'nora', email: 'nora@example.com' });
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await nav.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();

    await page.getByRole('button', { name: 'New channel' }).click();
    const form = page.getByTestId('channel-form');
    await form.getByLabel('Name').fill('soc-webhook');
    await form.getByTestId('kind-select').selectOption('webhook');
    await form.getByLabel('Webhook URL').fill(hook);
    await form.getByLabel(/Signing secret/).fill(secret);
    await form.getByTestId('min-severity').selectOption('medium');
    // A bad template: the preview names the problem before anything is saved.
    ctx.watch.expect(/\/api\/v1\/notifications\/preview$/, 422);
    await form.getByTestId('template-input').fill('Alert {{alert.tittle}}');
    await expectText(form, 'unknown variable "alert.tittle"');
    await form.getByTestId('template-input').fill('{{alert.severity}} alert: {{alert.title}} on {{alert.group_value}}');
    await expectText(form.getByTestId('template-preview'), 'high alert: Test alert: 12 failed SSH logins for root from 203.0.113.7 on 203.0.113.7');
    await form.getByRole('button', { name: 'Create channel' }).click();
    const table = page.getByTestId('channels-table');
    await expectText(table, 'soc-webhook');
    await expectText(table, 'medium and above');

    await table.getByRole('button', { name: 'Send test' }).click();
    await expectText(page.getByTestId('test-outcome'), 'Sent (HTTP 200)');
    await waitFor(async () => received.length === 1, 'the test request at the receiver');
    if (!received[0]!.valid) throw new Error('the test request carries no valid signature');

    // A delivery queued as the dispatcher would queue it: the worker sends it, the table shows it.
    const channels = await ctx.api<{ id: string }[]>('GET', '/notifications/channels', undefined, token);
    const channelId = channels.body[0]!.id;
    const alert = { id: 'a1b2c3d4e5f6a7b8c9d0e1f2', title: 'Brute force from 198.51.100.4', severity: 'high', status: 'new', group_value: '198.51.100.4', rule_id: 'a1b2c3d4e5f6a7b8c9d0e1f3', rule_name: 'SSH brute force', mitre_tactic: 'credential-access', mitre_technique: 'T1110', matched_event_count: 9, fired_at: new Date().toISOString(), url: `${ctx.baseUrl}/alerts/a1b2c3d4e5f6a7b8c9d0e1f2` };
    await ctx.server.db.query(
      "INSERT INTO notification_deliveries (id, channel_id, alert_id, alert, status, next_attempt_at) VALUES ('b1b2c3d4e5f6a7b8c9d0e1f2', $1, $2, $3, 'pending', now())",
      [channelId, alert.id, JSON.stringify(alert)],
    );
    const deliveries = page.getByTestId('deliveries-table');
    await expectText(deliveries, 'Brute force from 198.51.100.4', 15_000);
    await expectText(deliveries, 'delivered', 15_000);
    if (!received.some((r) => r.valid && r.body.includes('high alert: Brute force from 198.51.100.4'))) throw new Error('the delivery did not reach the receiver signed');
    await deliveries.getByRole('button', { name: 'Attempts' }).click();
    await expectText(deliveries, 'sent, HTTP 200');

    // The edit form never shows the stored secrets.
    await table.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByTestId('channel-form');
    await expectText(edit, 'Edit soc-webhook');
    if ((await edit.getByLabel('Webhook URL').inputValue()) !== '') throw new Error('the stored URL is shown');
    if ((await page.content()).includes('browser-token') || (await page.content()).includes(secret)) throw new Error('a secret is in the page');
    await ctx.shot(page, '40-notifications');
    const narrow = await ctx.newPage({ label: 'nora-narrow', width: 768, height: 1400 });
    await signInAs(ctx, narrow, token);
    await narrow.goto('/notifications');
    await narrow.getByTestId('channels-table').waitFor();
    await narrow.getByRole('button', { name: 'New channel' }).click();
    await narrow.getByTestId('template-preview').waitFor();
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 4) throw new Error(`/notifications overflows horizontally by ${overflow}px at 768px`);
    await ctx.shot(narrow, '41-notifications-768');
  } finally {
    receiver.close();
  }
}
