// Notification delivery over real transports on 127.0.0.1: an HTTP receiver checks the
// body of each kind and the webhook's HMAC signature; an SMTP server (smtp-server) receives
// the e-mail; UDP and TCP sockets receive the syslog/CEF line. A receiver failing twice
// then answering shows the retries with backoff and the attempts recorded; secrets stay out
// of attempts and logs. Routing and the queue: notify-dispatch.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createChannelService } from '../../src/services/notify/channels.ts';
import { createNotifyDispatcher } from '../../src/services/notify/dispatcher.ts';
import { verifySignature } from '../../src/services/notify/signing.ts';
import { createNotifyWorker } from '../../src/services/notify/worker.ts';
import { toAlertFeedItem } from '../../src/services/alert-feed.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { waitFor } from '../helpers/detection.ts';
import { BASE, addAlert, addChannel, db, deliveriesOf, log, received, receiverUrl, repo, script, setup, useNotifyFixture } from '../helpers/notify.ts';

useNotifyFixture();

describe('notification delivery', () => {
  it('webhook: signed JSON with the custom headers; the receiver verifies the HMAC and the timestamp', async () => {
    const { dispatcher, worker } = setup();
    const secret = 's3cret-hmac-key';
    const ch = await addChannel('webhook', { url: `${receiverUrl}/hook`, secret, headers: { 'X-Tenant': 'blue' } });
    const a = await addAlert();
    assert.equal(await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(a))]), 1);
    await worker.drain();
    const got = received.filter((r) => r.path === '/hook');
    assert.equal(got.length, 1);
    const { headers, body } = got[0]!;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-tenant'], 'blue');
    const ts = Number(headers['x-siem-timestamp']);
    assert.match(String(headers['x-siem-signature']), /^sha256=[0-9a-f]{64}$/);
    assert.equal(verifySignature(secret, ts, body, String(headers['x-siem-signature']), Math.floor(Date.now() / 1000)), true);
    assert.equal(verifySignature('wrong', ts, body, String(headers['x-siem-signature']), Math.floor(Date.now() / 1000)), false);
    assert.equal(verifySignature(secret, ts, `${body} `, String(headers['x-siem-signature']), Math.floor(Date.now() / 1000)), false);
    // A replayed request an hour later fails the timestamp check.
    assert.equal(verifySignature(secret, ts, body, String(headers['x-siem-signature']), ts + 3600), false);
    const parsed = JSON.parse(body);
    assert.equal(parsed.alert.id, a.id);
    assert.equal(parsed.alert.url, `${BASE}/alerts/${a.id}`);
    assert.equal(parsed.text, `high: ${a.title} ${BASE}/alerts/${a.id}`);
    const [d] = await deliveriesOf(ch.id);
    assert.equal(d!.status, 'delivered');
    assert.equal(d!.attempts.length, 1);
    assert.equal(d!.attempts[0]!.status_code, 200);
    // A redelivered stream message never queues a second delivery.
    assert.equal(await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(a))]), 0);
    await repo().updateChannel(ch.id, { enabled: false });
  });

  it('Slack, Teams and Mattermost: each receives its own JSON format', async () => {
    const { dispatcher, worker } = setup();
    const chans = [
      await addChannel('slack', { url: `${receiverUrl}/slack/T000/B000/XXXX` }),
      await addChannel('teams', { url: `${receiverUrl}/teams` }),
      await addChannel('mattermost', { url: `${receiverUrl}/mm`, channel: 'security', username: 'siem' }),
    ];
    const a = await addAlert();
    assert.equal(await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(a))]), 3);
    await worker.drain();
    const body = (path: string) => JSON.parse(received.find((r) => r.path === path)!.body);
    assert.match(body('/slack/T000/B000/XXXX').text, /^high: Brute force/);
    assert.equal(body('/teams').attachments[0].content.type, 'AdaptiveCard');
    assert.deepEqual(Object.keys(body('/mm')).sort(), ['channel', 'text', 'username']);
    for (const c of chans) {
      assert.equal((await deliveriesOf(c.id))[0]!.status, 'delivered');
      await repo().updateChannel(c.id, { enabled: false });
    }
  });

  it('a receiver failing twice then answering: two retries with growing delays, three attempts recorded', async () => {
    const { dispatcher, worker } = setup({ maxAttempts: 6, baseDelayMs: 30, maxDelayMs: 1000 });
    script.set('/flaky', [503, 500]);
    const ch = await addChannel('webhook', { url: `${receiverUrl}/flaky`, secret: '', headers: {} });
    const a = await addAlert();
    await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(a))]);
    worker.start();
    try {
      await waitFor(async () => (await deliveriesOf(ch.id))[0]?.status === 'delivered', 5000);
    } finally {
      await worker.stop();
    }
    const [d] = await deliveriesOf(ch.id);
    assert.equal(d!.attempt_count, 3);
    assert.deepEqual(d!.attempts.map((x) => [x.ok, x.status_code]), [[true, 200], [false, 500], [false, 503]]);
    assert.match(d!.attempts[2]!.error!, /HTTP 503: try later/);
    const times = d!.attempts.map((x) => Date.parse(x.at)).reverse();
    assert.ok(times[1]! - times[0]! >= 25, `first retry after the base delay (${times[1]! - times[0]!} ms)`);
    assert.ok(times[2]! - times[1]! >= 55, `second retry after twice the base delay (${times[2]! - times[1]!} ms)`);
    await repo().updateChannel(ch.id, { enabled: false });
  });

  it('attempts are bounded: a receiver that always fails ends failed; a 404 fails at once', async () => {
    const { dispatcher, worker } = setup({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 });
    script.set('/down', [500, 500, 500, 500]);
    script.set('/gone', [404]);
    const down = await addChannel('webhook', { url: `${receiverUrl}/down`, secret: '', headers: {} });
    const gone = await addChannel('slack', { url: `${receiverUrl}/gone` });
    await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(await addAlert()))]);
    worker.start();
    try {
      await waitFor(async () => (await deliveriesOf(down.id))[0]?.status === 'failed' && (await deliveriesOf(gone.id))[0]?.status === 'failed', 5000);
    } finally {
      await worker.stop();
    }
    assert.equal((await deliveriesOf(down.id))[0]!.attempt_count, 3);
    assert.equal((await deliveriesOf(gone.id))[0]!.attempt_count, 1);
    await repo().updateChannel(down.id, { enabled: false });
    await repo().updateChannel(gone.id, { enabled: false });
  });

  it('an unreachable receiver or one too slow counts as a failed attempt with a bounded error', async () => {
    const slow = http.createServer(() => {});
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const port = (slow.address() as AddressInfo).port;
    const channels = createChannelService({ repo: repo(), baseUrl: BASE, timeoutMs: 150 });
    const ch = await addChannel('webhook', { url: `http://127.0.0.1:${port}/x?token=abcdef`, secret: '', headers: {} });
    const r = await channels.test(ch.id);
    slow.closeAllConnections();
    slow.close();
    assert.equal(r.ok, false);
    assert.equal(r.error, 'timed out');
    assert.ok(r.latency_ms >= 100 && r.latency_ms < 2000);
    await repo().removeChannel(ch.id);
  });

  it('e-mail over SMTP reaches a real SMTP server', async () => {
    const mails: { from: string; to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      onAuth(auth, _session, cb) {
        cb(auth.username === 'siem' && auth.password === 'mail-pass' ? null : new Error('bad auth'), { user: auth.username });
      },
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const { dispatcher, worker } = setup();
      const ch = await addChannel('email', { host: '127.0.0.1', port, secure: false, require_tls: false, username: 'siem', password: 'mail-pass', from: 'siem@example.org', to: ['soc@example.org', 'oncall@example.org'] });
      const a = await addAlert('critical');
      await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(a))]);
      await worker.drain();
      assert.equal(mails.length, 1);
      assert.equal(mails[0]!.from, 'siem@example.org');
      assert.deepEqual(mails[0]!.to, ['soc@example.org', 'oncall@example.org']);
      assert.match(mails[0]!.data, /Subject: \[SIEM critical\] Brute force/);
      assert.match(mails[0]!.data, new RegExp(`alerts/${a.id}`));
      assert.equal((await deliveriesOf(ch.id))[0]!.status, 'delivered');
      await repo().updateChannel(ch.id, { enabled: false });
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });

  it('syslog: the CEF line arrives over UDP and over TCP', async () => {
    const udp = dgram.createSocket('udp4');
    const udpLines: string[] = [];
    udp.on('message', (m) => udpLines.push(m.toString()));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const tcpData: string[] = [];
    const tcp = net.createServer((s) => s.on('data', (c) => tcpData.push(c.toString())));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    try {
      const { dispatcher, worker } = setup();
      const u = await addChannel('syslog', { host: '127.0.0.1', port: udp.address().port, protocol: 'udp', facility: 16 });
      const t = await addChannel('syslog', { host: '127.0.0.1', port: (tcp.address() as AddressInfo).port, protocol: 'tcp', facility: 4 });
      const a = await addAlert('medium');
      await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(a))]);
      await worker.drain();
      await waitFor(async () => udpLines.length === 1 && tcpData.join('').endsWith('\n'), 2000);
      assert.match(udpLines[0]!, /^<132>1 \S+ \S+ siem - alert - CEF:0\|SIEM\|SIEM\|1\.0\|665f1c2e9b1e8a3d4c7f0a01\|Brute force #\d+\|5\|/);
      assert.match(udpLines[0]!, new RegExp(`externalId=${a.id}`));
      assert.match(tcpData.join(''), /^<36>1 .* CEF:0\|/);
      for (const c of [u, t]) await repo().updateChannel(c.id, { enabled: false });
    } finally {
      udp.close();
      tcp.close();
    }
  });

  it('secrets never reach the attempt log or the server log, even when the receiver quotes them', async () => {
    const lines: string[] = [];
    const capture = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const channels = createChannelService({ repo: repo(), baseUrl: BASE, timeoutMs: 2000 });
    const worker = createNotifyWorker({ repo: repo(), deliver: channels.deliver, policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 2000, log: capture });
    const dispatcher = createNotifyDispatcher({
      db, bus: createMemoryBus({ maxLen: 10 }), repo: repo(), log: capture, baseUrl: BASE, consumer: 's', queueMax: 100,
      findAlerts: (ids) => createAlertsRepo(db).findByIds(ids), onQueued: () => {},
    });
    const ch = await addChannel('webhook', { url: `${receiverUrl}/echo/tok-SECRET-1234`, secret: 'hmac-SECRET-5678', headers: { Authorization: 'Bearer hdr-SECRET-9012' } });
    await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(await addAlert()))]);
    await worker.drain();
    const [d] = await deliveriesOf(ch.id);
    assert.equal(d!.status, 'failed');
    assert.match(d!.attempts[0]!.error!, /HTTP 500: bad request to \[redacted\] auth=\[redacted\]/);
    const everything = JSON.stringify(d) + lines.join('') + JSON.stringify(await channels.test(ch.id));
    assert.ok(lines.length > 0);
    for (const secret of ['tok-SECRET-1234', 'hmac-SECRET-5678', 'hdr-SECRET-9012']) assert.equal(everything.includes(secret), false, secret);
    await repo().removeChannel(ch.id);
  });

  it('secrets are sealed with the server secret; with another one they are reported unreadable (no retry) until entered again', async () => {
    const admin = { username: 'admin' } as Parameters<ReturnType<typeof createChannelService>['create']>[1];
    const before = createChannelService({ repo: repo(), baseUrl: BASE, timeoutMs: 2000, secretKey: 'first-server-secret' });
    const created = await before.create({ kind: 'slack', name: 'sealed', enabled: true, config: { url: `${receiverUrl}/sealed/token-abcdef` }, routing: { min_severity: 'info', rule_ids: [], tactics: [], tags: [] }, template: '{{alert.title}}' }, admin);
    assert.equal(created.config.url, `${receiverUrl}/********`);
    assert.equal((await before.test(created.id)).ok, true);
    const stored = await repo().findChannel(created.id);
    assert.match(String(stored!.config.url), /^enc:v1:/);

    const after = createChannelService({ repo: repo(), baseUrl: BASE, timeoutMs: 2000, secretKey: 'rotated-server-secret' });
    const unreadable = await after.test(created.id);
    assert.equal(unreadable.ok, false);
    assert.match(unreadable.error!, /cannot be read .*SECRET_KEY/);
    assert.equal((await after.get(created.id)).config.url, '********');
    const worker = createNotifyWorker({ repo: repo(), deliver: after.deliver, policy: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 2000, log });
    await db.transaction((tx) => repo().enqueue(tx, [{ id: newObjectId(), channelId: created.id, alert: { id: newObjectId(), title: 't', severity: 'high', status: 'new', group_value: null, rule_id: newObjectId(), rule_name: 'r', mitre_tactic: null, mitre_technique: null, matched_event_count: 1, fired_at: new Date().toISOString(), url: '' } }]));
    await worker.drain();
    const [d] = await deliveriesOf(created.id);
    assert.deepEqual([d!.status, d!.attempt_count], ['failed', 1]);
    // Leaving the URL out cannot keep what cannot be read: 422 until it is entered again.
    await assert.rejects(after.update(created.id, { config: {} }), /Validation failed/);
    await after.update(created.id, { config: { url: `${receiverUrl}/sealed/token-abcdef` } });
    assert.equal((await after.test(created.id)).ok, true);
    await repo().removeChannel(created.id);
  });
});
