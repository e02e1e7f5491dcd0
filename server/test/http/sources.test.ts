// GET /v1/sources over a real socket: engineers and admins read the inputs (state, address,
// counters), top hosts and formats and unparsed samples; analysts get 403 naming the roles,
// visitors 401; the route is in the OpenAPI document.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SourcesSnapshotSchema } from '@siem/contracts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let base: string;
let analyst: TestUser;
let engineer: TestUser;
let admin: TestUser;

before(async () => {
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute' });
  analyst = await createTestUser(sys.app, { username: 'src-analyst' });
  engineer = await createTestUser(sys.app, { username: 'src-engineer', role: 'engineer' });
  admin = await createTestUser(sys.app, { username: 'src-admin', role: 'admin' });
  await sys.app.listen({ host: '127.0.0.1', port: 0 });
  const address = sys.app.server.address();
  assert.ok(address && typeof address === 'object');
  base = `http://127.0.0.1:${address.port}`;
});
after(async () => sys.stop());

const get = (path: string, who?: TestUser) => fetch(`${base}${path}`, { headers: who ? who.headers : {} });

describe('GET /v1/sources', () => {
  it('answers 401 without a token and 403 naming the roles to an analyst', async () => {
    const anon = await get('/v1/sources');
    assert.equal(anon.status, 401);
    const res = await get('/v1/sources', analyst);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: string; code: string; message: string };
    assert.equal(body.error, 'ForbiddenError');
    assert.equal(body.code, 'FORBIDDEN_ROLE');
    assert.match(body.message, /intake sources needs the engineer or admin role/);
  });

  it('shows a registered input with what was recorded through it, to engineers and admins, under /v1 and /api/v1', async () => {
    const handle = sys.deps.sources.register('http-test-syslog', 'syslog-udp');
    handle.setState('listening', '127.0.0.1:5514');
    handle.bytes(4096);
    handle.dropped('invalid_utf8', 2);
    for (let n = 0; n < 5; n++) sys.deps.sources.recordEvent('http-test-syslog', { host: 'bastion', format: 'sshd', unparsed: false });
    sys.deps.sources.recordEvent('http-test-syslog', { host: 'printer', format: 'generic', unparsed: true, line: '<13>weird vendor line', peer: '10.1.2.3' });

    for (const [who, path] of [[engineer, '/v1/sources'], [admin, '/api/v1/sources']] as const) {
      const res = await get(path, who);
      assert.equal(res.status, 200);
      const snap = SourcesSnapshotSchema.parse(await res.json());
      const input = snap.inputs.find((i) => i.name === 'http-test-syslog');
      assert.ok(input, 'the input is listed');
      assert.equal(input.kind, 'syslog-udp');
      assert.equal(input.state, 'listening');
      assert.equal(input.address, '127.0.0.1:5514');
      assert.equal(input.events_total, 6);
      assert.equal(input.parse_failures_total, 1);
      assert.equal(input.bytes_total, 4096);
      assert.deepEqual(input.dropped, { invalid_utf8: 2 });
      assert.ok(input.last_seen && Date.now() - Date.parse(input.last_seen) < 60_000);
      assert.deepEqual(snap.top_hosts.map((h) => [h.host, h.events]), [['bastion', 5], ['printer', 1]]);
      assert.deepEqual(snap.top_formats, [{ format: 'sshd', events: 5 }, { format: 'generic', events: 1 }]);
      assert.equal(snap.unparsed_samples[0]?.line, '<13>weird vendor line');
      assert.equal(snap.unparsed_samples[0]?.peer, '10.1.2.3');
    }
  });

  it('counts what really arrives: raw lines posted to /v1/logs/raw show under their input, with formats, hosts and the unparsed line', async () => {
    const body = [
      'Mar  3 10:00:01 gw-01 sshd[811]: Failed password for root from 203.0.113.9 port 50122 ssh2',
      'Mar  3 10:00:02 gw-01 sshd[811]: Failed password for root from 203.0.113.9 port 50124 ssh2',
      'ACME-UPS status=ONBATT charge=87% runtime=41min',
    ].join('\n');
    const before = SourcesSnapshotSchema.parse(await (await get('/v1/sources', engineer)).json());
    const count = <T extends { events: number }>(list: T[], pick: (x: T) => boolean) => list.find(pick)?.events ?? 0;
    const posted = await fetch(`${base}/v1/logs/raw`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    assert.equal(posted.status, 201);
    const snap = SourcesSnapshotSchema.parse(await (await get('/v1/sources', engineer)).json());
    const raw = snap.inputs.find((i) => i.name === 'http-raw');
    assert.ok(raw, `http-raw listed among ${snap.inputs.map((i) => i.name).join(', ')}`);
    assert.equal(raw.state, 'listening');
    assert.equal(raw.events_total, 3);
    assert.equal(raw.parse_failures_total, 1);
    const sshd = (l: { format: string }) => l.format === 'sshd';
    assert.equal(count(snap.top_formats, sshd) - count(before.top_formats, sshd), 2);
    assert.equal(count(snap.top_formats, (f) => f.format === 'unparsed') - count(before.top_formats, (f) => f.format === 'unparsed'), 1);
    assert.equal(count(snap.top_hosts, (h) => h.host === 'gw-01'), 2);
    assert.equal(snap.unparsed_samples[0]?.line, 'ACME-UPS status=ONBATT charge=87% runtime=41min');
    assert.equal(snap.unparsed_samples[0]?.input, 'http-raw');
    assert.equal(snap.unparsed_samples[0]?.peer, '127.0.0.1');
  });

  it('is described in the OpenAPI document with its response schema', async () => {
    const doc = (await (await get('/docs/json')).json()) as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> };
    const op = doc.paths['/v1/sources']?.get;
    assert.ok(op, '/v1/sources is documented');
    assert.match(JSON.stringify(op.responses?.['200']), /unparsed_samples/);
  });
});
