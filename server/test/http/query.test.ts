// The query language over HTTP: GET /v1/logs?query= filters (and 422 QUERY_SYNTAX located
// in the detail), /v1/logs/search keeps its `q`, the validate endpoint answers the tree or
// the located error, and POST /v1/rules/from-query gives engineers a draft rule (403 for
// analysts, 422 QUERY_NOT_A_RULE for what a rule cannot say).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, startTestSystem, type TestSystem } from '../helpers/system.ts';

describe('search query language over HTTP', () => {
  let sys: TestSystem;
  let analyst: Record<string, string>;
  let engineer: Record<string, string>;
  const get = (url: string) => sys.app.inject({ method: 'GET', url, headers: analyst });
  const list = (query: string) => get(`/v1/logs?query=${encodeURIComponent(query)}`);

  before(async () => {
    sys = await startTestSystem();
    analyst = (await createTestUser(sys.app)).headers;
    engineer = (await createTestUser(sys.app, { role: 'engineer' })).headers;
    const res = await sys.app.inject({
      method: 'POST',
      url: '/v1/logs/bulk',
      payload: [
        { source_type: 'auth', event_type: 'ssh_failed', username: 'root', source_ip: '10.0.0.5', hostname: 'web-1', message: 'Failed password for root' },
        { source_type: 'auth', event_type: 'ssh_failed', username: 'alice', source_ip: '203.0.113.9', hostname: 'web-2', message: 'Failed password for alice' },
        { source_type: 'auth', event_type: 'login_success', username: 'alice', source_ip: '10.0.0.6', hostname: 'web-2', message: 'Accepted password' },
      ],
    });
    assert.equal(res.statusCode, 201);
  });
  after(async () => sys.stop());

  it('GET /v1/logs?query= filters, together with the other filters', async () => {
    const res = await list('event_type:ssh_failed AND source_ip:10.0.0.0/8');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().items.map((e: { username: string }) => e.username), ['root']);
    assert.equal(res.json().total, 1);
    const both = await get(`/v1/logs?username=alice&query=${encodeURIComponent('password -accepted')}`);
    assert.deepEqual([both.json().total, both.json().items[0].event_type], [1, 'ssh_failed']);
    const blank = await get('/v1/logs?query=%20%20');
    assert.equal(blank.json().total, 3);
  });

  it('a syntax error is 422 QUERY_SYNTAX with position and length in the detail', async () => {
    const res = await list('event_type:ssh_failed AND (username:root');
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.error, 'ValidationError');
    assert.equal(body.code, 'QUERY_SYNTAX');
    assert.match(body.message, /Expected '\)' to close the '\(' at position 26/);
    assert.deepEqual(body.details, [{ field: 'query', message: body.message, type: 'query_syntax', position: 40, length: 0 }]);
  });

  it('an unknown field is 422 naming the closest field', async () => {
    const body = (await list('usrname:root')).json();
    assert.equal(body.code, 'QUERY_SYNTAX');
    assert.deepEqual([body.details[0].position, body.details[0].length, body.details[0].suggestion], [0, 7, 'username']);
  });

  it('hostile queries are 4xx or harmless, never 500', async () => {
    const hostile = [
      `message:"'; DROP TABLE log_events; --"`,
      '('.repeat(500),
      'a'.repeat(2001),
      'x\u0000y',
      '"',
      '\\',
      'source_ip:999.0.0.0/8',
      'hostname:%_%',
      'NOT '.repeat(300),
      'é😀 ÜNÏ',
      'ts>=0000-01-01',
      'ts:[0001-01-01 TO 9999-12-31T23:59:59.999Z]',
      'source_port:999999999999999',
      'dest_port:[-999999999999999 TO 999999999999999]',
      'normalized.n>99999999999999999999999999999.5',
      'raw.a.b.c:[a TO z]',
    ];
    for (const q of hostile) {
      const res = await list(q);
      assert.ok(res.statusCode === 200 || res.statusCode === 422, `${JSON.stringify(q.slice(0, 20))} -> ${res.statusCode}`);
    }
    assert.equal((await get('/v1/logs')).json().total, 3, 'the table is still there');
  });

  it('GET /v1/logs/search keeps q unchanged', async () => {
    const res = await get('/v1/logs/search?q=failed%20password');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().total, 2);
  });

  it('POST /v1/logs/query/validate answers the canonical form or the located error', async () => {
    const ok = await sys.app.inject({ method: 'POST', url: '/v1/logs/query/validate', headers: analyst, payload: { query: 'username:root -hostname:web-*' } });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual({ ...(ok.json() as object), ast: typeof ok.json().ast }, {
      valid: true,
      normalized: 'username:root AND NOT hostname:web-*',
      ast: 'object',
      fields: ['username', 'hostname'],
      error: null,
    });
    const bad = await sys.app.inject({ method: 'POST', url: '/v1/logs/query/validate', headers: analyst, payload: { query: 'username:root OR' } });
    assert.equal(bad.statusCode, 200);
    assert.deepEqual(bad.json().error, { message: 'Expected a term after OR at position 14, found the end of the query', position: 14, length: 2 });
    assert.equal(bad.json().valid, false);
    const anonymous = await sys.app.inject({ method: 'POST', url: '/v1/logs/query/validate', payload: { query: 'a' } });
    assert.equal(anonymous.statusCode, 401);
  });

  it('POST /v1/rules/from-query gives an engineer a draft that POST /v1/rules accepts', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/rules/from-query', headers: engineer, payload: { query: 'event_type:ssh_failed source_ip:10.0.0.0/8' } });
    assert.equal(res.statusCode, 200);
    const draft = res.json();
    assert.deepEqual(draft.conditions, { event_filter: { event_type: { equals: 'ssh_failed' }, source_ip: { cidr: '10.0.0.0/8' } } });
    assert.equal(draft.rule_type, 'single');
    assert.equal(draft.name, 'Search: event_type:ssh_failed AND source_ip:"10.0.0.0/8"');
    const saved = await sys.app.inject({ method: 'POST', url: '/v1/rules', headers: engineer, payload: draft });
    assert.equal(saved.statusCode, 201, saved.body);
    // The rule finds what the search found.
    const tested = await sys.app.inject({ method: 'POST', url: `/v1/rules/${saved.json().id}/test`, headers: engineer, payload: { hours: 1 } });
    assert.equal(tested.json().alerts_would_fire, 1);
  });

  it('from-query: 403 for analysts, 422 QUERY_NOT_A_RULE or QUERY_SYNTAX located', async () => {
    const forbidden = await sys.app.inject({ method: 'POST', url: '/v1/rules/from-query', headers: analyst, payload: { query: 'a' } });
    assert.equal(forbidden.statusCode, 403);
    const notRule = await sys.app.inject({ method: 'POST', url: '/v1/rules/from-query', headers: engineer, payload: { query: 'username:root ts>=2026-01-01' } });
    assert.equal(notRule.statusCode, 422);
    assert.equal(notRule.json().code, 'QUERY_NOT_A_RULE');
    assert.deepEqual([notRule.json().details[0].position, notRule.json().details[0].length], [14, 14]);
    const syntax = await sys.app.inject({ method: 'POST', url: '/v1/rules/from-query', headers: engineer, payload: { query: 'a AND' } });
    assert.equal(syntax.json().code, 'QUERY_SYNTAX');
  });
});
