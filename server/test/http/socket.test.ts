// Over a real socket: the live tail (headers at once, named events with ids, keepalive,
// Last-Event-ID resume without gap or duplicate), and events surviving a restart of an
// on-disk PGlite store; a second opener of that data directory is refused plainly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../../src/store/db.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';
import { openSse } from '../helpers/sse.ts';

let auth: Record<string, string> = {};

async function listen(sys: TestSystem): Promise<string> {
  await sys.app.listen({ host: '127.0.0.1', port: 0 });
  const address = sys.app.server.address();
  assert.ok(address && typeof address === 'object');
  return `http://127.0.0.1:${address.port}`;
}

const post = (base: string, body: unknown) =>
  fetch(`${base}/v1/logs/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('live tail over a socket', () => {
  let sys: TestSystem;
  let base: string;
  before(async () => {
    sys = await startTestSystem({ SSE_KEEPALIVE_SECONDS: '1' });
    auth = { authorization: `Bearer ${await registerUser(sys.app, { role: 'engineer' })}` };
    base = await listen(sys);
  });
  after(async () => sys.stop());

  it('sends headers and a first comment at once, then each stored event as a named `log` message', async () => {
    const feed = await openSse(`${base}/api/v1/logs/stream`, auth);
    assert.equal(feed.res.status, 200);
    assert.equal(feed.res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(feed.res.headers.get('x-accel-buffering'), 'no');
    assert.equal(feed.res.headers.get('cache-control'), 'no-cache');
    await feed.waitFor((m) => m.some((x) => x.comment === 'connected'), 2000);
    const stored = await (await post(base, { source_type: 'ids', event_type: 'ids_alert', source_ip: '198.51.100.9', signature_name: 'ET SCAN' })).json();
    await feed.waitFor((m) => m.some((x) => x.event === 'log'));
    const msg = feed.messages.find((x) => x.event === 'log')!;
    assert.match(msg.id!, /^\d+-\d+$/);
    const data = JSON.parse(msg.data!);
    assert.deepEqual(data, {
      id: stored.id, timestamp: stored.timestamp, source_type: 'ids', severity: 'medium', event_type: 'ids_alert',
      source_ip: '198.51.100.9', dest_ip: null, hostname: null, username: null,
      fields: { 'source.ip_scope': 'documentation' },
    });
    await feed.waitFor((m) => m.some((x) => x.comment === 'keepalive'), 3000);
    feed.close();
  });

  it('resumes from Last-Event-ID with what was missed, no gap and no duplicate', async () => {
    const first = await openSse(`${base}/v1/logs/stream`, auth);
    await first.waitFor((m) => m.some((x) => x.comment === 'connected'));
    await post(base, { source_type: 'generic', message: 'one' });
    await first.waitFor((m) => m.some((x) => x.event === 'log'));
    const lastId = first.messages.find((x) => x.event === 'log')!.id!;
    first.close();
    for (const message of ['two', 'three']) await post(base, { source_type: 'generic', message });
    const second = await openSse(`${base}/v1/logs/stream`, { ...auth, 'last-event-id': lastId });
    await post(base, { source_type: 'generic', message: 'four' });
    await second.waitFor((m) => m.filter((x) => x.event === 'log').length >= 3);
    const ids = second.messages.filter((x) => x.event === 'log').map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.equal(ids.length, 3);
    second.close();
  });

  it('a new EventSource resumes with last_event_id in the query', async () => {
    const first = await openSse(`${base}/v1/logs/stream`, auth);
    await first.waitFor((m) => m.some((x) => x.comment === 'connected'));
    await post(base, { source_type: 'generic', message: 'q-one' });
    await first.waitFor((m) => m.some((x) => x.event === 'log'));
    const lastId = first.messages.find((x) => x.event === 'log')!.id!;
    first.close();
    await post(base, { source_type: 'generic', message: 'q-two' });
    const token = auth.authorization!.slice('Bearer '.length);
    const second = await openSse(`${base}/v1/logs/stream?token=${encodeURIComponent(token)}&last_event_id=${lastId}`);
    await second.waitFor((m) => m.some((x) => x.event === 'log'));
    assert.equal(second.messages.filter((x) => x.event === 'log').length, 1);
    second.close();
  });

  it('a new connection starts at now: no backlog without Last-Event-ID', async () => {
    await post(base, { source_type: 'generic', message: 'before' });
    const feed = await openSse(`${base}/v1/logs/stream`, auth);
    await feed.waitFor((m) => m.some((x) => x.comment === 'connected'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(feed.messages.filter((x) => x.event === 'log').length, 0);
    feed.close();
  });

  it('an alert raised from events ingested over HTTP arrives on the alert feed', async () => {
    const feed = await openSse(`${base}/v1/alerts/stream`, auth);
    await feed.waitFor((m) => m.some((x) => x.comment === 'connected'));
    const rule = await fetch(`${base}/v1/rules`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'feed test', rule_type: 'threshold', severity: 'high', conditions: { event_filter: { event_type: 'login_failure' }, threshold: 3, window_seconds: 60, group_by: 'source_ip' } }),
    });
    assert.equal(rule.status, 201);
    const acked = performance.now();
    for (let i = 0; i < 3; i++) await post(base, { source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.23' });
    await feed.waitFor((m) => m.some((x) => x.event === 'alert'));
    const latency = performance.now() - acked;
    const msg = feed.messages.find((x) => x.event === 'alert')!;
    const data = JSON.parse(msg.data!);
    assert.deepEqual(Object.keys(data).sort(), ['group_value', 'id', 'matched_event_count', 'rule_name', 'severity', 'status', 'title']);
    assert.equal(data.title, 'feed test [198.51.100.23]');
    assert.equal(data.status, 'new');
    assert.ok(latency < 5000);
    feed.close();
  });

  it('ingest over the socket answers 201 and rejects garbage with 4xx', async () => {
    assert.equal((await post(base, { source_type: 'dns', query: 'example.org' })).status, 201);
    const res = await fetch(`${base}/v1/logs/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{{{{' });
    assert.equal(res.status, 422);
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });
});

describe('restart with PGlite on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-restart-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('acknowledged events survive a restart, and a second opener is refused with a plain message', async () => {
    const first = await startTestSystem({ DATA_DIR: dir });
    const base = await listen(first);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await (await post(base, { source_type: 'generic', message: `m${i}` })).json()).id);
    const bulk = await fetch(`${base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Array.from({ length: 100 }, () => ({ source_type: 'generic' }))) });
    assert.equal(bulk.status, 201);
    await assert.rejects(openDb({ dataDir: dir }), /in use by process \d+/);
    await first.stop();

    const second = await startTestSystem({ DATA_DIR: dir });
    try {
      auth = { authorization: `Bearer ${await registerUser(second.app)}` };
      for (const id of ids) assert.equal((await second.app.inject({ method: 'GET', url: `/v1/logs/${id}`, headers: auth })).statusCode, 200);
      const overview = (await second.app.inject({ method: 'GET', url: '/v1/dashboard', headers: auth })).json();
      assert.equal(overview.total_events, 120);
    } finally {
      await second.stop();
    }
  });
});
