// One regression per family of input that used to answer 500 (issue "no input answers
// 500"): NUL, unpaired surrogates, values too large for an index, out-of-range numbers and
// dates, deep nesting, a pivot over large events, __proto__ keys. Each bad input gets a 4xx
// naming the field and changes nothing. Run on PGlite, and on PostgreSQL when DATABASE_URL is set.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

type Detail = { field: string; type: string; message: string };
const rule = {
  name: 'limits rule',
  rule_type: 'threshold',
  severity: 'high',
  conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 60, group_by: 'source_ip' },
};
/** 4-byte characters that do not compress: a btree entry really is this big. */
const incompressible = (n: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x10000 + ((i * 7919) % 0xf0000))).join('');
const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

function limitsSuite(name: string, env: () => Record<string, string>, skip: string | false) {
  describe(`input limits (${name})`, { skip }, () => {
    let sys: TestSystem;
    let admin: TestUser;
    before(async () => {
      sys = await startTestSystem({ RATELIMIT_AUTH: '', EVENT_LIST_MAX_BYTES: '65536', ...env() });
      admin = await createTestUser(sys.app, { role: 'admin' });
    });
    after(async () => sys.stop());

    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, contentType = 'application/json') =>
      sys.app.inject({
        method,
        url,
        headers: { ...admin.headers, 'content-type': contentType },
        ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
      });
    const details = (res: { json(): { details?: Detail[] } }) => (res.json().details ?? []).map((d) => `${d.field}:${d.type}`);
    const ruleCount = async () => (await call('GET', '/v1/rules')).json().length as number;

    it('refuses NUL in every validated text field with 422 at the field, and stores nothing', async () => {
      const rulesBefore = await ruleCount();
      const cases: [string, string, unknown, string][] = [
        ['POST', '/v1/auth/login', { username: 'ad\u0000min', password: 'whatever-password' }, 'username:value_error'],
        ['POST', '/v1/auth/register', { username: 'nul\u0000user', email: 'n@example.com', password: 'long-enough-password' }, 'username:value_error'],
        ['POST', '/v1/rules', { ...rule, name: 'a\u0000b' }, 'name:value_error'],
        ['POST', '/v1/rules', { ...rule, conditions: { ...rule.conditions, event_filter: { event_type: '\u0000' } } }, 'conditions.event_filter.event_type:value_error'],
      ];
      for (const [method, url, body, want] of cases) {
        const res = await call(method as 'POST', url, body);
        assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
        assert.match(res.json().details[0].message, /NUL/);
        assert.deepEqual(details(res), [want], url);
      }
      assert.equal(await ruleCount(), rulesBefore);
      for (const url of ['/v1/logs?event_type=a%00b', '/v1/logs/search?q=a%00b', '/v1/logs/pivot?username=%00', '/v1/alerts?status=new%00']) {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
      }
    });

    it('refuses NUL in alert notes and leaves the alert as it was', async () => {
      // No alert needs to exist: the body is refused before the lookup.
      const res = await call('PATCH', '/v1/alerts/ffffffffffffffffffffffff/status', { status: 'resolved', notes: 'x\u0000' });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(details(res), ['notes:value_error']);
    });

    it('rejects only the bulk item with an unpaired surrogate (207) and stores the rest', async () => {
      const text = '[{"source_type":"auth","event_type":"surrogate_ok"},{"source_type":"auth","event_type":"x\\ud800"},{"source_type":"dns","query":"a.example","note":{"k\\udfff":1}}]';
      const res = await call('POST', '/v1/logs/bulk', text);
      assert.equal(res.statusCode, 207, res.body);
      const body = res.json();
      assert.equal(body.accepted, 1);
      assert.deepEqual(body.errors.map((e: { index: number }) => e.index), [1, 2]);
      assert.match(body.errors[0].message, /unpaired UTF-16 surrogate/);
      assert.equal((await call('GET', '/v1/logs?event_type=surrogate_ok')).json().total, 1);
      const one = await call('POST', '/v1/logs/ingest', '{"source_type":"auth","username":"\\udc00"}');
      assert.equal(one.statusCode, 422);
      const named = await call('POST', '/v1/rules', `{"name":"r\\ud800","rule_type":"threshold","severity":"high","conditions":${JSON.stringify(rule.conditions)}}`);
      assert.deepEqual(details(named), ['name:value_error']);
    });

    it('bounds the indexed text of an event (422) and never lifts an oversized alias into an indexed column', async () => {
      for (const field of ['event_type', 'username', 'hostname']) {
        const res = await call('POST', '/v1/logs/ingest', { source_type: 'auth', [field]: incompressible(3000) });
        assert.equal(res.statusCode, 422, `${field}: ${res.body.slice(0, 200)}`);
        assert.deepEqual(details(res), [`${field}:string_too_long`]);
      }
      const atLimit = await call('POST', '/v1/logs/ingest', { source_type: 'auth', event_type: incompressible(512), username: incompressible(512), hostname: incompressible(512) });
      assert.equal(atLimit.statusCode, 201, atLimit.body.slice(0, 200));
      // `host` is an alias of hostname for some source types; too long, it stays in raw only.
      const alias = await call('POST', '/v1/logs/ingest', { source_type: 'endpoint', host: incompressible(3000), user: incompressible(3000) });
      assert.equal(alias.statusCode, 201, alias.body.slice(0, 200));
      assert.equal(alias.json().hostname, null);
      assert.equal(alias.json().username, null);
    });

    it('refuses page numbers and other integers beyond their bounds with 422', async () => {
      for (const url of ['/v1/logs?page=99999999999999999999', '/v1/logs?page=9223372036854775808', '/v1/alerts?page=1e20', '/v1/admin/users?page=1000001', '/v1/logs/search?q=x&page=0x10', '/v1/dashboard/timeline?hours=1e400']) {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
      }
      const last = await call('GET', '/v1/logs?page=1000000&per_page=200');
      assert.equal(last.statusCode, 200);
      assert.deepEqual(last.json().items, []);
    });

    it('refuses extended-year and year-0 dates in time filters with 422', async () => {
      for (const value of ['%2B275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z', '0000-01-01T00:00:00Z']) {
        for (const url of [`/v1/logs?since=${value}`, `/v1/logs/search?q=a&until=${value}`, `/v1/alerts?since=${value}`]) {
          const res = await call('GET', url);
          assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
          assert.match(res.json().details[0].message, /years 1 and 9999/);
        }
      }
      assert.equal((await call('GET', '/v1/logs?since=0001-01-01T00:00:00Z&until=9999-12-31T23:59:59Z')).statusCode, 200);
    });

    it('bounds every numeric rule field: cooldown, window, threshold, step count', async () => {
      const rulesBefore = await ruleCount();
      const bad: [Record<string, unknown>, string][] = [
        [{ ...rule, cooldown_seconds: 2 ** 31 }, 'cooldown_seconds:less_than_equal'],
        [{ ...rule, conditions: { ...rule.conditions, window_seconds: 30 * 365 * 86_400 } }, 'window_seconds:less_than_equal'],
        [{ ...rule, conditions: { ...rule.conditions, threshold: 2 ** 53 } }, 'threshold:less_than_equal'],
        [{ ...rule, rule_type: 'sequence', conditions: { steps: [{ event_filter: {}, count: 1e9 }, { event_filter: {} }], window_seconds: 60, group_by: 'source_ip' } }, 'steps.0.count:less_than_equal'],
      ];
      for (const [body, want] of bad) assert.deepEqual(details(await call('POST', '/v1/rules', body)), [want]);
      assert.equal(await ruleCount(), rulesBefore);
      const week = await call('POST', '/v1/rules', { ...rule, name: 'a week', cooldown_seconds: 30 * 86_400, conditions: { ...rule.conditions, window_seconds: 7 * 86_400 } });
      assert.equal(week.statusCode, 201, week.body);
      const patched = await call('PATCH', `/v1/rules/${week.json().id}`, { cooldown_seconds: 2147483648 });
      assert.equal(patched.statusCode, 422);
    });

    it('refuses rule conditions and bodies nested beyond 32 levels, without a stack overflow', async () => {
      const res = await call('POST', '/v1/rules', `{"name":"deep","rule_type":"threshold","severity":"high","conditions":${deep(5000)}}`);
      assert.equal(res.statusCode, 422);
      assert.match(res.json().details[0].message, /nesting deeper than 32 levels/);
      const item = await call('POST', '/v1/logs/ingest', `{"source_type":"generic","x":${deep(5000)}}`);
      assert.equal(item.statusCode, 422);
    });

    it('bounds a pivot over large events in bytes, newest first, and says it was cut short', async () => {
      const big = (i: number) => ({ source_type: 'generic', username: 'pivot-big', message: `m${i}`, blob: incompressible(5000) });
      for (let i = 0; i < 6; i++) assert.equal((await call('POST', '/v1/logs/ingest', { ...big(i), timestamp: `2026-01-01T00:00:0${i}Z` })).statusCode, 201);
      const res = await call('GET', '/v1/logs/pivot?username=pivot-big');
      assert.equal(res.statusCode, 200);
      const items = res.json();
      assert.ok(items.length >= 1 && items.length < 6, `${items.length} events`);
      assert.ok(res.body.length < 2 * 65536, `${res.body.length} bytes`);
      assert.equal(items[0].raw.message, 'm5');
      assert.equal(res.headers['x-result-truncated'], 'bytes');
      const small = await call('GET', '/v1/logs/pivot?username=pivot-big&limit=1');
      assert.equal(small.json().length, 1);
      assert.equal(small.headers['x-result-truncated'], undefined);
    });

    it('bounds the matched events of an alert detail in bytes, newest first', async () => {
      const created = await call('POST', '/v1/rules', { ...rule, name: 'big alert', conditions: { event_filter: { event_type: 'big_alert' }, threshold: 6, window_seconds: 60, group_by: 'username' } });
      assert.equal(created.statusCode, 201, created.body);
      // Current times: events further behind the newest than CORRELATION_MAX_LATENESS_SECONDS are not correlated.
      const base = Date.now() - 10_000;
      for (let i = 0; i < 6; i++) {
        const res = await call('POST', '/v1/logs/ingest', { source_type: 'generic', event_type: 'big_alert', username: 'big', n: i, blob: incompressible(5000), timestamp: new Date(base + i * 1000).toISOString() });
        assert.equal(res.statusCode, 201);
      }
      let alertId: string | undefined;
      for (let i = 0; i < 200 && !alertId; i++) {
        alertId = (await call('GET', `/v1/alerts?rule_id=${created.json().id}`)).json().items[0]?.id;
        if (!alertId) await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(alertId, 'the rule fired');
      const detail = await call('GET', `/v1/alerts/${alertId}`);
      assert.equal(detail.statusCode, 200);
      const { alert, matched_events: matched } = detail.json();
      assert.equal(alert.matched_event_count, 6);
      assert.ok(matched.length >= 1 && matched.length < 6, `${matched.length} matched events`);
      assert.equal(matched[0].raw.n, 5);
    });

    it('keeps __proto__ keys of JSON and NDJSON events as data in raw, without prototype pollution', async () => {
      const one = await call('POST', '/v1/logs/ingest', '{"source_type":"generic","__proto__":{"event_type":"spoofed","polluted":1},"metadata":{"__proto__":{"m":1}}}');
      assert.equal(one.statusCode, 201, one.body);
      const stored = (await call('GET', `/v1/logs/${one.json().id}`)).json();
      assert.deepEqual(JSON.parse(JSON.stringify(stored.raw)), JSON.parse('{"source_type":"generic","__proto__":{"event_type":"spoofed","polluted":1},"metadata":{"__proto__":{"m":1}}}'));
      assert.ok(Object.hasOwn(stored.raw, '__proto__'));
      assert.equal(stored.event_type, null, 'a key of the __proto__ object is not a field');
      assert.ok(Object.hasOwn(stored.metadata, '__proto__'));
      const ndjson = '{"source_type":"generic","message":"nd","__proto__":{"x":1}}\n{"source_type":"generic","constructor":{"prototype":{"polluted":1}}}\n';
      const bulk = await call('POST', '/v1/logs/bulk', ndjson, 'application/x-ndjson');
      assert.equal(bulk.statusCode, 201, bulk.body);
      const found = (await call('GET', '/v1/logs/search?q=nd&per_page=200')).json().items.find((e: { raw: { message?: string } }) => e.raw.message === 'nd');
      assert.ok(found && Object.hasOwn(found.raw, '__proto__'), JSON.stringify(found?.raw));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      const ruleRes = await call('POST', '/v1/rules', `{"name":"proto","rule_type":"threshold","severity":"high","conditions":{"__proto__":{"threshold":1},"event_filter":{},"window_seconds":60,"group_by":"source_ip"}}`);
      assert.deepEqual(details(ruleRes), ['conditions.__proto__:value_error']);
    });
  });
}

limitsSuite('embedded PGlite', () => ({}), false);
limitsSuite('PostgreSQL server', () => ({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('lim').toLowerCase() }), skipWithoutPostgres);
