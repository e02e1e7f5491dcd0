// The logs API through app.inject: ingest and bulk (including every kind of bad input),
// list filters, search, pivot, lookups, and the guarantees around acknowledged events.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let auth: Record<string, string> = {};

before(async () => {
  sys = await startTestSystem();
  auth = { authorization: `Bearer ${await registerUser(sys.app)}` };
});
after(async () => sys.stop());

const ingest = (payload: unknown, headers: Record<string, string> = {}) =>
  sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: payload as object, headers });
const get = (url: string) => sys.app.inject({ method: 'GET', url, headers: auth });
const total = async () => (await get('/v1/logs?per_page=1')).json().total as number;

describe('POST /v1/logs/ingest', () => {
  it('stores the documented example and answers the full LogEvent', async () => {
    const body = { source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.7', username: 'svc-backup', result: 'failure' };
    const res = await ingest(body);
    assert.equal(res.statusCode, 201);
    const e = res.json();
    assert.match(e.id, /^[0-9a-f]{24}$/);
    assert.equal(e.severity, 'medium');
    assert.deepEqual(e.raw, body);
    assert.deepEqual(e.normalized, { auth_method: null, result: 'failure', failure_reason: null, service: null });
    assert.deepEqual(e.metadata, {});
    assert.equal(e.scenario_run_id, null);
    assert.deepEqual(e.matched_alert_ids, []);
    assert.match(e.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const stored = await get(`/v1/logs/${e.id}`);
    assert.equal(stored.statusCode, 200);
    assert.deepEqual(stored.json(), e);
  });

  it('keeps extra keys in raw, copies MITRE and metadata to the record, drops top-level nulls', async () => {
    const res = await ingest({
      source_type: 'endpoint', event_type: 'process_start', command_line: 'whoami', mitre_tactic: 'TA0007',
      mitre_technique: 'T1033', metadata: { shipper: 'fluent-bit' }, hostname: null, custom: { nested: null },
      timestamp: '2026-03-01 12:34:56',
    });
    assert.equal(res.statusCode, 201);
    const e = res.json();
    assert.equal(e.timestamp, '2026-03-01T12:34:56.000Z');
    assert.equal(e.mitre_technique, 'T1033');
    assert.deepEqual(e.metadata, { shipper: 'fluent-bit' });
    assert.equal('hostname' in e.raw, false);
    assert.deepEqual(e.raw.custom, { nested: null });
    assert.equal(e.normalized.command_line, 'whoami');
  });

  it('accepts a body sent without a JSON content type (curl -d)', async () => {
    const res = await sys.app.inject({
      method: 'POST', url: '/v1/logs/ingest', payload: '{"source_type":"generic","message":"hello"}',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().normalized.message, 'hello');
  });

  const bad: [string, unknown, string, string][] = [
    ['unknown source type', { source_type: 'mainframe' }, 'source_type', 'enum'],
    ['missing source type', { event_type: 'x' }, 'source_type', 'missing'],
    ['port out of range', { source_type: 'firewall', dest_port: 70000 }, 'dest_port', 'less_than_equal'],
    ['negative port', { source_type: 'firewall', source_port: -1 }, 'source_port', 'greater_than_equal'],
    ['fractional port', { source_type: 'firewall', source_port: 22.5 }, 'source_port', 'int_from_float'],
    ['invalid IPv4', { source_type: 'firewall', source_ip: '10.0.0.300' }, 'source_ip', 'value_error'],
    ['invalid IPv6', { source_type: 'firewall', dest_ip: '2001:db8::1::2' }, 'dest_ip', 'value_error'],
    ['number as a string field', { source_type: 'auth', username: 42 }, 'username', 'string_type'],
    ['unparseable timestamp', { source_type: 'generic', timestamp: 'yesterday-ish' }, 'timestamp', 'value_error'],
    ['impossible date', { source_type: 'generic', timestamp: '2026-02-30T10:00:00Z' }, 'timestamp', 'value_error'],
    ['array body', [{ source_type: 'generic' }], '', 'model_type'],
    ['scalar body', 42, '', 'model_type'],
    ['NUL character', { source_type: 'generic', message: 'a\u0000b' }, 'message', 'value_error'],
    ['huge string', { source_type: 'generic', note: 'x'.repeat(70_000) }, 'note', 'value_error'],
  ];
  for (const [name, payload, field, type] of bad) {
    it(`rejects ${name} with 422 and stores nothing`, async () => {
      const before = await total();
      const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
      assert.equal(res.statusCode, 422, res.body);
      const body = res.json();
      assert.equal(body.error, 'ValidationError');
      assert.ok(body.details.some((d: { field: string; type: string }) => d.field === field && d.type === type), res.body);
      assert.equal(await total(), before);
    });
  }

  it('names the valid source types when one is unknown', async () => {
    const res = await ingest({ source_type: 'mainframe' });
    assert.match(res.json().details[0].message, /'firewall'.*'generic'/);
  });

  it('answers broken JSON with 422 naming the parse problem', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: '{"source_type": ', headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 422);
    assert.match(res.json().message, /^Invalid JSON body/);
  });

  it('rejects deeply nested documents without crashing', async () => {
    const deep = '{"source_type":"generic","x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: deep, headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 422);
  });

  it('answers an oversized body with 413', async () => {
    const res = await ingest({ source_type: 'generic', message: 'x'.repeat(1_100_000) });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error, 'PayloadTooLarge');
  });

  it('a burst of garbage leaves the server answering and loses no acknowledged event', async () => {
    const garbage = ['', 'null', '[]', '{"source_type":', '\u0000', '{"source_type":{"$gt":""}}', 'x'.repeat(1000)];
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        if (i % 3 === 0) {
          const res = await ingest({ source_type: 'generic', message: `ok ${i}` });
          assert.equal(res.statusCode, 201);
          acked.push(res.json().id);
        } else {
          const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: garbage[i % garbage.length]!, headers: { 'content-type': 'application/json' } });
          assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
        }
      }),
    );
    for (const id of acked) assert.equal((await get(`/v1/logs/${id}`)).statusCode, 200);
  });
});

describe('POST /v1/logs/bulk', () => {
  it('stores a JSON array and answers 201', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: [{ source_type: 'dns', query: 'a.example.com' }, { source_type: 'proxy', url: 'http://x.test/' }] });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { accepted: 2, rejected: 0, errors: [], duplicates: 0 });
  });

  it('stores the valid items of a mixed batch and lists each rejected one with its index (207)', async () => {
    const before = await total();
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: [{ source_type: 'dns' }, { source_type: 'nope' }, 5, { source_type: 'ids', source_ip: 'bad' }] });
    assert.equal(res.statusCode, 207);
    const body = res.json();
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.errors.map((e: { index: number }) => e.index), [1, 2, 3]);
    assert.equal(await total(), before + 1);
  });

  it('reads NDJSON, numbering errors by line', async () => {
    const text = '{"source_type":"auth","event_type":"login_success"}\n\n{oops\n{"source_type":"firewall","dest_port":443}\n';
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: text, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(res.statusCode, 207);
    assert.equal(res.json().accepted, 2);
    assert.equal(res.json().errors[0].index, 2);
  });

  it('answers 422 when nothing was accepted', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: [{ source_type: 'x' }] });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error, 'ValidationError');
    assert.equal(res.json().rejected, 1);
  });

  it('refuses more events than the per-request maximum with 413 and stores nothing', async () => {
    const small = await startTestSystem({ BULK_MAX_EVENTS: '3' });
    try {
      const res = await small.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: Array.from({ length: 4 }, () => ({ source_type: 'generic' })) });
      assert.equal(res.statusCode, 413);
    } finally {
      await small.stop();
    }
  });
});

describe('reading events', () => {
  before(async () => {
    const base = Date.parse('2026-01-10T00:00:00Z');
    const events = Array.from({ length: 30 }, (_, i) => ({
      source_type: i % 2 ? 'firewall' : 'auth',
      event_type: i % 3 ? 'firewall_deny' : 'login_failure',
      source_ip: `203.0.113.${i % 5}`,
      username: i % 2 ? null : `user${i % 4}`,
      hostname: `HOST-${i % 3}`,
      timestamp: new Date(base + i * 60_000).toISOString(),
      message: i === 7 ? 'needle 50%_off' : undefined,
    }));
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: events });
    assert.equal(res.statusCode, 201);
  });

  it('lists newest first with the pagination envelope', async () => {
    const res = await get('/v1/logs?per_page=5&page=2');
    const body = res.json();
    assert.equal(body.page, 2);
    assert.equal(body.per_page, 5);
    assert.equal(body.pages, Math.ceil(body.total / 5));
    const times = body.items.map((e: { timestamp: string }) => e.timestamp);
    assert.deepEqual(times, [...times].sort().reverse());
  });

  it('filters by exact fields combined with AND, and by time range', async () => {
    const res = await get('/v1/logs?source_type=firewall&source_ip=203.0.113.1&since=2026-01-10T00:00:00Z&until=2026-01-10T00:30:00Z&per_page=200');
    const items = res.json().items as { source_type: string; source_ip: string; timestamp: string }[];
    assert.ok(items.length > 0);
    for (const e of items) {
      assert.equal(e.source_type, 'firewall');
      assert.equal(e.source_ip, '203.0.113.1');
      assert.ok(e.timestamp >= '2026-01-10T00:00:00.000Z' && e.timestamp < '2026-01-10T00:30:00.000Z');
    }
    assert.equal((await get('/v1/logs?event_type=firewall')).json().total, 0, 'event_type is exact, not substring');
    assert.equal((await get('/v1/logs?severity=&source_type=firewall')).json().total, (await get('/v1/logs?source_type=firewall')).json().total, 'an empty filter means no filter');
  });

  it('validates query parameters', async () => {
    assert.equal((await get('/v1/logs?per_page=201')).statusCode, 422);
    assert.equal((await get('/v1/logs?page=0')).statusCode, 422);
    assert.equal((await get('/v1/logs?page=%202.0%20')).statusCode, 200);
    assert.equal((await get('/v1/logs?since=not-a-date')).statusCode, 422);
    assert.equal((await get('/v1/logs?page=2&page=x')).json().page, 2, 'first occurrence wins');
  });

  it('searches literally and case-insensitively, never as a pattern', async () => {
    const hit = (await get('/v1/logs/search?q=50%25_OFF')).json();
    assert.equal(hit.total, 1);
    assert.equal((await get('/v1/logs/search?q=host-2')).json().total, 10);
    assert.equal((await get('/v1/logs/search?q=.*')).json().total, 0);
    assert.equal((await get('/v1/logs/search?q=(')).statusCode, 200);
    assert.equal((await get('/v1/logs/search?q=')).statusCode, 422);
  });

  it('pivots on the first given indicator, newest first', async () => {
    const byIp = (await get('/v1/logs/pivot?ip=203.0.113.2&username=user0')).json() as { source_ip: string }[];
    assert.equal(byIp.length, 6);
    assert.ok(byIp.every((e) => e.source_ip === '203.0.113.2'));
    const byUser = (await get('/v1/logs/pivot?ip=&username=user0')).json() as { username: string }[];
    assert.ok(byUser.length > 0 && byUser.every((e) => e.username === 'user0'));
    assert.deepEqual((await get('/v1/logs/pivot')).json(), []);
    assert.equal((await get('/v1/logs/pivot?hostname=HOST-1&limit=2')).json().length, 2);
  });

  it('answers 404 for unknown and malformed ids, 405 for a literal path with another method', async () => {
    assert.equal((await get('/v1/logs/ffffffffffffffffffffffff')).json().message, 'LogEvent not found');
    assert.equal((await get('/v1/logs/not-an-id')).statusCode, 404);
    const res = await get('/v1/logs/ingest');
    assert.equal(res.statusCode, 405);
    assert.equal(res.json().error, 'MethodNotAllowed');
    assert.equal((await get('/v1/logs/')).json().error, 'NotFound');
    assert.equal((await get('/api/v1/logs?per_page=1')).statusCode, 200, 'the /api prefix reaches the same routes');
  });
});
