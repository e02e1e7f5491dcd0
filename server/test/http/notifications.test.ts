// The notifications API: admins only (analysts and engineers get 403); bad channels,
// templates and URLs answer 422 with details, never 500; secrets never come back in clear
// and a PATCH that leaves them out keeps them; preview renders a sample alert; "send test"
// answers the outcome; an alert of the running system is delivered and listed with its attempt.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECRET_MASK } from '@siem/contracts';
import { STREAMS } from '../../src/bus/bus.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { toAlertFeedItem } from '../../src/services/alert-feed.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { waitFor } from '../helpers/detection.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let admin: TestUser;
let analyst: TestUser;
let engineer: TestUser;
let receiver: http.Server;
let url: string;
const bodies: { path: string; body: string }[] = [];

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', body });
      res.writeHead(req.url === '/fail' ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute', NOTIFY_POLL_MS: '20', NOTIFY_BASE_DELAY_MS: '10', PUBLIC_URL: 'https://siem.example.org/' });
  admin = await createTestUser(sys.app, { username: 'notify-admin', role: 'admin' });
  analyst = await createTestUser(sys.app, { username: 'notify-analyst' });
  engineer = await createTestUser(sys.app, { username: 'notify-engineer', role: 'engineer' });
});
after(async () => {
  await sys.stop();
  receiver.close();
});

const call = (who: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: unknown) =>
  sys.app.inject({ method, url: path, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('notifications API', () => {
  let webhookId: string;

  it('analysts and engineers get 403 on every notification route', async () => {
    const id = newObjectId();
    for (const who of [analyst, engineer]) {
      const answers = [
        await call(who, 'GET', '/v1/notifications/channels'),
        await call(who, 'POST', '/v1/notifications/channels', { kind: 'slack', name: 'x', config: { url: 'https://hooks.slack.com/x' } }),
        await call(who, 'GET', `/v1/notifications/channels/${id}`),
        await call(who, 'PATCH', `/v1/notifications/channels/${id}`, { name: 'y' }),
        await call(who, 'DELETE', `/v1/notifications/channels/${id}`),
        await call(who, 'POST', `/v1/notifications/channels/${id}/test`),
        await call(who, 'GET', '/v1/notifications/deliveries'),
        await call(who, 'POST', '/v1/notifications/preview', { template: '{{alert.title}}' }),
      ];
      for (const res of answers) assert.equal(res.statusCode, 403, res.body);
    }
    assert.equal((await sys.app.inject({ method: 'GET', url: '/v1/notifications/channels' })).statusCode, 401);
  });

  it('an admin creates a signed webhook; secrets come back masked, never in clear', async () => {
    const res = await call(admin, 'POST', '/v1/notifications/channels', {
      kind: 'webhook', name: 'soc-hook',
      config: { url: `${url}/hook?token=tok-123456`, secret: 'hmac-secret-value', headers: { Authorization: 'Bearer abcdef' } },
      routing: { min_severity: 'medium' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const ch = res.json();
    webhookId = ch.id;
    assert.equal(ch.config.url, `${url}/${SECRET_MASK}`);
    assert.equal(ch.config.secret, SECRET_MASK);
    assert.deepEqual(ch.config.headers, { Authorization: SECRET_MASK });
    assert.deepEqual(ch.secrets_set.sort(), ['headers', 'secret', 'url']);
    assert.deepEqual(ch.routing, { min_severity: 'medium', rule_ids: [], tactics: [], tags: [] });
    // Stored encrypted: the database alone does not give the secrets away.
    const { rows } = await sys.deps.db.query<{ config: string }>('SELECT config::text AS config FROM notification_channels WHERE id = $1', [ch.id]);
    assert.match(rows[0]!.config, /enc:v1:/);
    for (const secret of ['tok-123456', 'hmac-secret-value', 'abcdef']) assert.equal(rows[0]!.config.includes(secret), false, secret);
    for (const text of [res.body, (await call(admin, 'GET', '/v1/notifications/channels')).body, (await call(admin, 'GET', `/v1/notifications/channels/${ch.id}`)).body]) {
      assert.equal(text.includes('tok-123456') || text.includes('hmac-secret-value') || text.includes('abcdef'), false);
    }
  });

  it('a PATCH without secrets keeps them; null clears the HMAC secret', async () => {
    const res = await call(admin, 'PATCH', `/v1/notifications/channels/${webhookId}`, {
      config: { url: `${url}/${SECRET_MASK}`, headers: { Authorization: SECRET_MASK } }, template: 'Alert {{alert.title}}',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().secrets_set.sort(), ['headers', 'secret', 'url']);
    const test = await call(admin, 'POST', `/v1/notifications/channels/${webhookId}/test`);
    assert.equal(test.statusCode, 200);
    assert.equal(test.json().ok, true);
    assert.equal(bodies.at(-1)!.path, '/hook?token=tok-123456', 'the stored URL was kept');
    const cleared = await call(admin, 'PATCH', `/v1/notifications/channels/${webhookId}`, { config: { secret: null } });
    assert.deepEqual(cleared.json().secrets_set.sort(), ['headers', 'url']);
  });

  it('refuses bad input with 422 and details, a duplicate name with 409, unknown ids with 404', async () => {
    const bad: [unknown, RegExp][] = [
      [{ kind: 'slack', name: 'a', config: { url: 'file:///etc/passwd' } }, /http/],
      [{ kind: 'slack', name: 'a', config: { url: 'gopher://x' } }, /http/],
      [{ kind: 'pager', name: 'a', config: {} }, /./],
      [{ kind: 'email', name: 'a', config: { host: 'smtp.example.org', from: 'not-an-address', to: [] } }, /./],
      [{ kind: 'webhook', name: 'a', config: { url: 'https://x.example.org', headers: { 'Bad Header': 'x' } } }, /header/],
      [{ kind: 'webhook', name: 'a', config: { url: 'https://x.example.org', headers: { X: 'a\r\nInjected: 1' } } }, /line breaks/],
      [{ kind: 'syslog', name: 'a', config: { host: 'log.example.org', port: 70000 } }, /./],
      [{ kind: 'webhook', name: 'a', config: { url: 'https://x.example.org', headers: { 'X-SIEM-Signature': 'forged' } } }, /set by the server/],
      [{ kind: 'slack', name: 'a', config: { url: 'https://x.example.org' }, template: '{{process.env}}' }, /unknown variable/],
      [{ kind: 'slack', name: 'a', config: { url: 'https://x.example.org' }, routing: { min_severity: 'urgent' } }, /./],
      [{ kind: 'slack', name: 'a', config: { url: 'https://x.example.org' }, template: 'x'.repeat(5000) }, /./],
      [[1, 2], /./],
    ];
    for (const [payload, message] of bad) {
      const res = await call(admin, 'POST', '/v1/notifications/channels', payload);
      assert.equal(res.statusCode, 422, `${JSON.stringify(payload).slice(0, 80)}: ${res.body}`);
      assert.equal(res.json().error, 'ValidationError');
      assert.match(JSON.stringify(res.json().details ?? res.json().message), message);
    }
    const patchBad = await call(admin, 'PATCH', `/v1/notifications/channels/${webhookId}`, { config: { url: 'ftp://x' } });
    assert.equal(patchBad.statusCode, 422);
    assert.equal(patchBad.json().details[0].field, 'config.url');
    const broken = await sys.app.inject({ method: 'POST', url: '/v1/notifications/channels', headers: { ...admin.headers, 'content-type': 'application/json' }, payload: '{"kind":' });
    assert.ok([400, 422].includes(broken.statusCode), broken.body);
    const dup = await call(admin, 'POST', '/v1/notifications/channels', { kind: 'slack', name: 'soc-hook', config: { url: 'https://x.example.org' } });
    assert.equal(dup.statusCode, 409);
    assert.equal((await call(admin, 'GET', '/v1/notifications/channels/nope')).statusCode, 404);
    assert.equal((await call(admin, 'POST', `/v1/notifications/channels/${newObjectId()}/test`)).statusCode, 404);
    assert.equal((await call(admin, 'GET', '/v1/notifications/deliveries?limit=100000')).statusCode, 422);
    assert.equal((await call(admin, 'GET', '/v1/notifications/deliveries?status=bogus')).statusCode, 422);
  });

  it('preview renders the sample alert and the kind\'s message; a bad template is 422', async () => {
    const res = await call(admin, 'POST', '/v1/notifications/preview', { template: '{{alert.severity}} {{alert.url}}', kind: 'slack' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().text, 'high https://siem.example.org/alerts/665f1c2e9b1e8a3d4c7f0a12');
    assert.equal(JSON.parse(res.json().message).text, res.json().text);
    const syslog = await call(admin, 'POST', '/v1/notifications/preview', { template: 'x', kind: 'syslog' });
    assert.match(syslog.json().message, /CEF:0\|SIEM/);
    const bad = await call(admin, 'POST', '/v1/notifications/preview', { template: 'hi {{alert.title' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.json().details[0].message, /unclosed/);
  });

  it('"send test" answers the failed outcome of a receiver answering 500', async () => {
    const ch = (await call(admin, 'POST', '/v1/notifications/channels', { kind: 'mattermost', name: 'mm-fail', config: { url: `${url}/fail` } })).json();
    const res = await call(admin, 'POST', `/v1/notifications/channels/${ch.id}/test`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().ok, false);
    assert.equal(res.json().status_code, 500);
    assert.equal((await call(admin, 'DELETE', `/v1/notifications/channels/${ch.id}`)).json().deleted, true);
  });

  it('an alert published by the system is delivered and listed with its attempt', async () => {
    const alerts = createAlertsRepo(sys.deps.db);
    const id = newObjectId();
    const a = await sys.deps.db.transaction((tx) => alerts.insertFiring(tx, {
      id, firing_key: `api-${id}`, rule_id: newObjectId(), rule_name: 'r', severity: 'high', title: 'Notified alert',
      matched_event_ids: [], matched_event_count: 1, group_value: 'g', mitre_tactic: null, mitre_technique: null, firedAtMs: Date.now(),
    }));
    await sys.deps.bus.publish(STREAMS.alerts, [JSON.stringify(toAlertFeedItem(a!))]);
    let list: { status: string; alert_id: string; attempts: { status_code: number }[]; channel_name: string }[] = [];
    await waitFor(async () => {
      list = (await call(admin, 'GET', `/v1/notifications/deliveries?channel_id=${webhookId}`)).json();
      return list.some((d) => d.alert_id === id && d.status === 'delivered');
    }, 5000);
    const d = list.find((x) => x.alert_id === id)!;
    assert.equal(d.channel_name, 'soc-hook');
    assert.equal(d.attempts[0]!.status_code, 200);
    const sent = JSON.parse(bodies.at(-1)!.body);
    assert.equal(sent.alert.url, `https://siem.example.org/alerts/${id}`);
    assert.equal((await call(admin, 'GET', '/v1/notifications/deliveries?status=failed')).json().length, 0);
  });
});
