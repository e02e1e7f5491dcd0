// Operations endpoints and cross-cutting HTTP behaviour: health (and 503 naming the
// failing dependency), metrics, the OpenAPI document, CORS, error bodies, dashboard shapes.
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
const get = (url: string, headers: Record<string, string> = auth) => sys.app.inject({ method: 'GET', url, headers });

describe('operations', () => {
  it('health answers 1 as text when store and bus answer', async () => {
    const res = await get('/health', {});
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '1');
    assert.match(String(res.headers['content-type']), /^text\/plain/);
  });

  it('health answers 503 naming the store when it is down', async () => {
    const broken = await startTestSystem();
    try {
      await broken.deps.db.close();
      const res = await broken.app.inject({ method: 'GET', url: '/health' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().error, 'ServiceUnavailable');
      assert.match(res.json().message, /store/);
    } finally {
      await broken.stop();
    }
  });

  it('exposes Prometheus metrics that move with ingest', async () => {
    await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic', message: 'm' } });
    await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'nope' } });
    const res = await get('/metrics', {});
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /siem_events_stored_total 1/);
    assert.match(res.body, /siem_events_rejected_total\{reason="validation"\} 1/);
    assert.match(res.body, /siem_ingest_queue_depth 0/);
    assert.match(res.body, /siem_ingest_batch_seconds_bucket/);
  });

  it('serves the OpenAPI document of every API route and a browsable page', async () => {
    const doc = (await get('/docs/json', {})).json();
    for (const p of ['/v1/logs', '/v1/logs/ingest', '/v1/logs/bulk', '/v1/logs/search', '/v1/logs/pivot', '/v1/logs/{log_id}', '/v1/dashboard', '/v1/dashboard/timeline']) {
      assert.ok(doc.paths[p], `missing ${p}`);
    }
    assert.ok(doc.paths['/v1/logs/ingest'].post.requestBody);
    const page = await get('/docs/', {});
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger/i);
  });

  it('answers CORS preflight for an allowed origin only', async () => {
    const ok = await sys.app.inject({ method: 'OPTIONS', url: '/v1/logs', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' } });
    assert.equal(ok.headers['access-control-allow-origin'], 'http://localhost:5173');
    const no = await sys.app.inject({ method: 'OPTIONS', url: '/v1/logs', headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' } });
    assert.notEqual(no.headers['access-control-allow-origin'], 'http://evil.example');
  });

  it('unknown paths are 404 NotFound with the API error body', async () => {
    const res = await get('/v1/nothing-here');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { error: 'NotFound', message: 'Endpoint not found' });
    assert.equal((await get('/favicon-missing.ico', { accept: 'image/*' })).statusCode, 404, 'a missing asset is 404, not 405');
    assert.equal((await sys.app.inject({ method: 'DELETE', url: '/v1/logs' })).statusCode, 405);
    assert.equal((await get('/some/client/route', { accept: 'text/html' })).statusCode, 200, 'browser navigations get the app');
  });
});

describe('dashboard', () => {
  before(async () => {
    const now = Date.now();
    const events = [
      { source_type: 'auth', event_type: 'privilege_escalation', source_ip: '192.0.2.10', timestamp: new Date(now - 60_000).toISOString() },
      { source_type: 'auth', event_type: 'login_failure', source_ip: '192.0.2.10', timestamp: new Date(now - 120_000).toISOString() },
      { source_type: 'ids', signature_name: 'ransomware beacon', source_ip: '192.0.2.11', timestamp: new Date(now - 3 * 3_600_000).toISOString() },
      { source_type: 'generic', message: 'old', timestamp: new Date(now - 48 * 3_600_000).toISOString() },
    ];
    assert.equal((await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: events })).statusCode, 201);
  });

  it('overview counts events by severity', async () => {
    const o = (await get('/v1/dashboard')).json();
    assert.ok(o.total_events >= 4);
    assert.equal(o.severity_breakdown.find((s: { severity: string }) => s.severity === 'critical').count, 1);
    assert.deepEqual(o.alerts_by_status, {});
  });

  it('timeline bins events in the window, RFC 1123 buckets, ascending, empty bins omitted', async () => {
    const rows = (await get('/v1/dashboard/timeline?hours=24&bucket_minutes=60')).json() as { bucket: string; count: number; by_severity: Record<string, number> }[];
    const times = rows.map((r) => Date.parse(r.bucket));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    for (const r of rows) {
      assert.match(r.bucket, /^\w{3}, \d\d \w{3} \d{4} \d\d:00:00 GMT$/);
      assert.equal(Object.values(r.by_severity).reduce((a, b) => a + b, 0), r.count);
    }
    assert.equal(rows.reduce((n, r) => n + r.count, 0) >= 3, true);
    assert.equal(rows.some((r) => r.by_severity.critical === 1), true);
    const narrow = (await get('/v1/dashboard/timeline?hours=1')).json() as { count: number }[];
    assert.equal(narrow.reduce((n, r) => n + r.count, 0) >= 2, true);
    assert.equal((await get('/v1/dashboard/timeline?hours=9000')).statusCode, 422);
    assert.equal((await get('/v1/dashboard/timeline?bucket_minutes=0')).statusCode, 422);
  });

  it('top sources are sorted by count and limited', async () => {
    const rows = (await get('/v1/dashboard/top-sources?limit=1')).json();
    assert.deepEqual(rows, [{ source_ip: '192.0.2.10', count: 2 }]);
    assert.equal((await get('/v1/dashboard/top-sources?limit=101')).statusCode, 422);
  });
});
