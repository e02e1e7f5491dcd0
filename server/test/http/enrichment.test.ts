// GeoIP enrichment end to end: an event ingested over HTTP is stored with the scope,
// country, city and AS of its addresses, the logs API returns them, rules filter on them,
// and GET /v1/enrichment/ip/{ip} answers one address. Uses the database shipped in npm.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let h: Record<string, string>;
before(async () => {
  sys = await startTestSystem();
  h = { authorization: `Bearer ${await registerUser(sys.app, { username: 'geo-engineer', role: 'engineer' })}` };
});
after(async () => sys.stop());

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, headers = h) =>
  sys.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function waitFor<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('GeoIP enrichment at ingest', () => {
  it('stores country, city and AS for a public address and the scope for a private one', async () => {
    const res = await call('POST', '/v1/logs/ingest', { source_type: 'firewall', event_type: 'connection', source_ip: '81.2.69.142', dest_ip: '10.0.0.5', dest_port: 22 });
    assert.equal(res.statusCode, 201, res.body);
    const stored = (await call('GET', `/v1/logs/${res.json().id}`)).json();
    const f = stored.fields;
    assert.equal(f['source.ip_scope'], 'public');
    assert.equal(f['source.geo.country_iso_code'], 'GB');
    assert.equal(f['source.geo.country_name'], 'United Kingdom');
    assert.equal(typeof f['source.geo.city_name'], 'string');
    assert.equal(typeof f['source.as.number'], 'number');
    assert.equal(typeof f['source.as.organization.name'], 'string');
    assert.equal(f['destination.ip_scope'], 'private');
    assert.equal('destination.geo.country_iso_code' in f, false, 'no geo for a private address');
    assert.equal('destination.as.number' in f, false);
  });

  it('the logs list returns the fields too, for IPv6 and IPv4-mapped addresses alike', async () => {
    await call('POST', '/v1/logs/ingest', { source_type: 'generic', message: 'v6 probe', source_ip: '::ffff:8.8.8.8', dest_ip: 'fe80::1' });
    const page = await waitFor('the v6 event', async () => {
      const p = (await call('GET', '/v1/logs?search=v6%20probe&per_page=5')).json();
      return p.total >= 1 ? p : null;
    });
    const f = page.items[0].fields;
    assert.equal(f['source.ip_scope'], 'public');
    assert.equal(f['source.geo.country_iso_code'], 'US');
    assert.equal(f['source.as.number'], 15169);
    assert.equal(f['destination.ip_scope'], 'link_local');
  });

  it('a rule on source.geo.country_iso_code and source.ip_scope fires on an event ingested over HTTP', async () => {
    const rule = await call('POST', '/v1/rules', {
      name: 'Login from Great Britain',
      rule_type: 'single',
      severity: 'high',
      description: 'geo filter',
      conditions: { event_filter: { event_type: 'login_failure', 'source.geo.country_iso_code': 'GB', 'source.ip_scope': 'public', 'destination.ip_scope': { in: ['private', 'loopback'] } } },
    });
    assert.equal(rule.statusCode, 201, rule.body);
    // Same event shape from a private and from a US address: neither may fire.
    for (const ip of ['192.168.7.7', '8.8.8.8', '81.2.69.142']) {
      const r = await call('POST', '/v1/logs/ingest', { source_type: 'auth', event_type: 'login_failure', source_ip: ip, dest_ip: '127.0.0.1', username: 'root' });
      assert.equal(r.statusCode, 201);
    }
    const alerts = await waitFor('the geo alert', async () => {
      const p = (await call('GET', '/v1/alerts?per_page=50')).json();
      return p.items.some((a: { title: string }) => a.title.startsWith('Login from Great Britain')) ? p : null;
    });
    const fired = alerts.items.filter((a: { title: string }) => a.title.startsWith('Login from Great Britain'));
    assert.equal(fired.length, 1);
    const detail = (await call('GET', `/v1/alerts/${fired[0].id}`)).json();
    assert.equal(detail.matched_events.length, 1);
    assert.equal(detail.matched_events[0].source_ip, '81.2.69.142');
  });
});

describe('GET /v1/enrichment/ip/{ip}', () => {
  it('answers scope, country, city, AS and an empty indicator list for a public address', async () => {
    const res = await call('GET', '/v1/enrichment/ip/1.1.1.1');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.ip, '1.1.1.1');
    assert.equal(body.scope, 'public');
    assert.equal(body.country_code, 'AU');
    assert.equal(body.country_name, 'Australia');
    assert.equal(body.asn, 13335);
    assert.equal(typeof body.as_org, 'string');
    assert.deepEqual(body.indicators, []);
  });

  it('answers the scope alone for private and reserved addresses', async () => {
    const res = await call('GET', `/v1/enrichment/ip/${encodeURIComponent('fd00::1')}`);
    assert.deepEqual(res.json(), { ip: 'fd00::1', scope: 'private', country_code: null, country_name: null, city: null, asn: null, as_org: null, indicators: [] });
    assert.equal((await call('GET', '/v1/enrichment/ip/100.64.1.1')).json().scope, 'cgnat');
  });

  it('refuses a text that is not an address with 422 and the error body', async () => {
    for (const bad of ['not-an-ip', '10.0.0.1%2F8', '1.2.3.256', 'x'.repeat(46)]) {
      const res = await call('GET', `/v1/enrichment/ip/${bad}`);
      assert.equal(res.statusCode, 422, `${bad}: ${res.body}`);
      assert.equal(res.json().error, 'ValidationError');
    }
  });

  it('is described in the OpenAPI document with its path parameter', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const op = doc.paths['/v1/enrichment/ip/{ip}']?.get;
    assert.ok(op, 'GET /v1/enrichment/ip/{ip} is in the OpenAPI document');
    assert.deepEqual(op.parameters.map((p: { name: string; in: string }) => [p.name, p.in]), [['ip', 'path']]);
  });

  it('needs a signed-in user; an analyst may call it', async () => {
    assert.equal((await call('GET', '/v1/enrichment/ip/8.8.8.8', undefined, {})).statusCode, 401);
    const analyst = { authorization: `Bearer ${await registerUser(sys.app, { username: 'geo-analyst' })}` };
    assert.equal((await call('GET', '/v1/enrichment/ip/8.8.8.8', undefined, analyst)).statusCode, 200);
  });
});

describe('GEOIP_ENABLED=false', () => {
  let off: TestSystem;
  before(async () => {
    off = await startTestSystem({ GEOIP_ENABLED: 'false' });
  });
  after(async () => off.stop());

  it('still sets scopes but no country, city or AS', async () => {
    const res = await off.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic', message: 'x', source_ip: '8.8.8.8', dest_ip: '10.1.1.1' } });
    assert.equal(res.statusCode, 201);
    const token = await registerUser(off.app, { username: 'geo-off' });
    const f = (await off.app.inject({ method: 'GET', url: `/v1/logs/${res.json().id}`, headers: { authorization: `Bearer ${token}` } })).json().fields;
    assert.equal(f['source.ip_scope'], 'public');
    assert.equal(f['destination.ip_scope'], 'private');
    assert.equal('source.geo.country_iso_code' in f, false);
  });
});
