// Least privilege through the API: rule changes need the engineer (or admin) role and are
// audited with who, when and what changed (history kept after a deletion); admins grant
// engineer; self-registration can be switched off; look-alike usernames are refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let analyst: TestUser;
let engineer: TestUser;
let admin: TestUser;
before(async () => {
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute' });
  analyst = await createTestUser(sys.app, { username: 'lp-analyst' });
  engineer = await createTestUser(sys.app, { username: 'lp-engineer', role: 'engineer' });
  admin = await createTestUser(sys.app, { username: 'lp-admin', role: 'admin' });
});
after(async () => sys.stop());

const call = (who: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const rule = (name: string) => ({
  name,
  rule_type: 'threshold',
  severity: 'high',
  conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 60, group_by: 'source_ip' },
});

describe('rule changes need the engineer or admin role', () => {
  it('an analyst reads and tests rules but gets 403 naming the role on create, update, enable, disable and delete', async () => {
    const created = await call(engineer, 'POST', '/v1/rules', rule('lp guarded'));
    assert.equal(created.statusCode, 201);
    const id = created.json().id as string;

    assert.equal((await call(analyst, 'GET', '/v1/rules')).statusCode, 200);
    assert.equal((await call(analyst, 'GET', `/v1/rules/${id}`)).statusCode, 200);
    assert.equal((await call(analyst, 'POST', `/v1/rules/${id}/test`, { hours: 1 })).statusCode, 200);
    assert.equal((await call(analyst, 'GET', `/v1/rules/${id}/history`)).statusCode, 200);

    const attempts = [
      await call(analyst, 'POST', '/v1/rules', rule('lp by analyst')),
      await call(analyst, 'PATCH', `/v1/rules/${id}`, { severity: 'low' }),
      await call(analyst, 'PATCH', `/v1/rules/${id}`, { enabled: false }),
      await call(analyst, 'DELETE', `/v1/rules/${id}`),
    ];
    for (const res of attempts) {
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error, 'ForbiddenError');
      assert.match(res.json().message, /engineer or admin/);
    }
    // Nothing changed.
    const after = (await call(analyst, 'GET', `/v1/rules/${id}`)).json();
    assert.equal(after.enabled, true);
    assert.equal(after.severity, 'high');
    // The role check comes before the body check.
    assert.equal((await call(analyst, 'POST', '/v1/rules', {})).statusCode, 403);
    // Admins may.
    assert.equal((await call(admin, 'PATCH', `/v1/rules/${id}`, { enabled: false })).statusCode, 200);
  });

  it('an admin grants engineer with PATCH /v1/admin/users/{id}/role; the change applies on the next request', async () => {
    const someone = await createTestUser(sys.app, { username: 'lp-promoted' });
    assert.equal((await call(someone, 'POST', '/v1/rules', rule('lp promoted rule'))).statusCode, 403);
    const res = await call(admin, 'PATCH', `/v1/admin/users/${someone.user.id}/role`, { role: 'engineer' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().role, 'engineer');
    assert.equal((await call(someone, 'GET', '/v1/auth/me')).json().role, 'engineer');
    assert.equal((await call(someone, 'POST', '/v1/rules', rule('lp promoted rule'))).statusCode, 201);
    // Still no admin routes for an engineer, and no other role names.
    assert.equal((await call(someone, 'GET', '/v1/admin/users')).statusCode, 403);
    const bad = await call(admin, 'PATCH', `/v1/admin/users/${someone.user.id}/role`, { role: 'superuser' });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().details[0].type, 'string_pattern_mismatch');
  });
});

describe('rule history', () => {
  it('records who created, changed (field diff), disabled, enabled and deleted a rule, and keeps it after the deletion', async () => {
    const id = (await call(engineer, 'POST', '/v1/rules', rule('lp audited'))).json().id as string;
    assert.equal((await call(engineer, 'PATCH', `/v1/rules/${id}`, { severity: 'critical', description: 'tightened', conditions: { ...rule('x').conditions, threshold: 3 } })).statusCode, 200);
    // A PATCH that changes nothing records nothing.
    assert.equal((await call(engineer, 'PATCH', `/v1/rules/${id}`, { severity: 'critical' })).statusCode, 200);
    assert.equal((await call(admin, 'PATCH', `/v1/rules/${id}`, { enabled: false })).statusCode, 200);
    assert.equal((await call(admin, 'PATCH', `/v1/rules/${id}`, { enabled: true })).statusCode, 200);
    assert.equal((await call(admin, 'DELETE', `/v1/rules/${id}`)).statusCode, 200);
    assert.equal((await call(analyst, 'GET', `/v1/rules/${id}`)).statusCode, 404);

    const res = await call(analyst, 'GET', `/v1/rules/${id}/history`);
    assert.equal(res.statusCode, 200);
    const history = res.json() as { action: string; by: string | null; user_id: string | null; at: string; rule_name: string; changes: Record<string, { from: unknown; to: unknown }> }[];
    assert.deepEqual(history.map((h) => [h.action, h.by]), [
      ['created', 'lp-engineer'],
      ['updated', 'lp-engineer'],
      ['disabled', 'lp-admin'],
      ['enabled', 'lp-admin'],
      ['deleted', 'lp-admin'],
    ]);
    assert.equal(history[0]!.user_id, engineer.user.id);
    assert.equal(history[0]!.changes.name!.to, 'lp audited');
    assert.deepEqual(Object.keys(history[1]!.changes).sort(), ['conditions', 'description', 'severity']);
    assert.deepEqual(history[1]!.changes.severity, { from: 'high', to: 'critical' });
    assert.equal((history[1]!.changes.conditions!.to as { threshold: number }).threshold, 3);
    assert.deepEqual(history[2]!.changes, { enabled: { from: true, to: false } });
    assert.equal(history[4]!.rule_name, 'lp audited');
    assert.ok(history.every((h) => /Z$/.test(h.at)));
    const times = history.map((h) => Date.parse(h.at));
    assert.deepEqual([...times].sort((a, b) => a - b), times);
  });

  it('answers 404 for a rule that never existed', async () => {
    assert.equal((await call(analyst, 'GET', '/v1/rules/0123456789abcdef01234567/history')).statusCode, 404);
    assert.equal((await call(analyst, 'GET', '/v1/rules/nope/history')).statusCode, 404);
  });
});

describe('usernames', () => {
  const register = (username: string) =>
    sys.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { username, email: `${Math.random().toString(36).slice(2)}@example.com`, password: 'password123' } });

  it('refuses look-alikes of an existing name as taken (409)', async () => {
    assert.equal((await register('admin1')).statusCode, 201);
    const lookAlikes = [
      'Admin1', 'ADMIN1', '\u0430dmin1' /* Cyrillic a */, 'adm\u0456n1' /* Cyrillic i */, '\uff41\uff44\uff4d\uff49\uff4e\uff11' /* fullwidth */,
      'admin l'.replace(' ', ''), 'admIn1', ' admin1 ', 'adm\u0131n1' /* dotless i */, '\u0391DMIN1' /* Greek Alpha */, 'admi\u0301n1', 'admin\u00b9',
    ];
    for (const name of lookAlikes) {
      const res = await register(name);
      assert.equal(res.statusCode, 409, `${JSON.stringify(name)} was accepted`);
      assert.equal(res.json().message, 'Username already taken');
    }
    // A name that only shares letters is fine.
    assert.equal((await register('admin2')).statusCode, 201);
  });

  it('stores names NFKC-normalized and trimmed, and refuses control and invisible characters', async () => {
    const res = await register('  \uff4e\uff46\uff4b\uff43-user  ');
    assert.equal(res.statusCode, 201);
    const me = await sys.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${res.json().access_token}` } });
    assert.equal(me.json().username, 'nfkc-user');
    // Login with the form typed at registration works too.
    const login = await sys.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: '\uff4e\uff46\uff4b\uff43-user', password: 'password123' } });
    assert.equal(login.statusCode, 200);
    for (const name of ['zero\u200bwidth', 'bidi\u202euser', 'tab\tuser', 'nul\u0000user', 'soft\u00adhyphen']) {
      const bad = await register(name);
      assert.equal(bad.statusCode, 422, JSON.stringify(name));
      assert.equal(bad.json().details[0].field, 'username');
    }
    assert.equal((await register('   ab   ')).statusCode, 422, 'shorter than 3 once trimmed');
  });

  it('a profile rename to a look-alike of another account is refused', async () => {
    const res = await call(analyst, 'PATCH', '/v1/auth/me', { current_password: analyst.password, username: 'LP-ADMlN' });
    assert.equal(res.statusCode, 409);
  });
});

describe('self-registration switch', () => {
  it('GET /v1/auth/options says whether registration is open', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/v1/auth/options' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().registration_enabled, true);
    assert.equal(typeof res.json().setup_required, 'boolean');
  });

  it('when off (the default with NODE_ENV=production), register answers 403 whatever the body; login still works', async () => {
    const closed = await startTestSystem({ REGISTRATION_ENABLED: 'false' });
    try {
      const existing = await createTestUser(closed.app, { username: 'lp-existing' });
      const res = await closed.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { username: 'lp-newcomer', email: 'newcomer@example.com', password: 'password123' } });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error, 'ForbiddenError');
      assert.equal(res.json().code, 'REGISTRATION_CLOSED');
      assert.match(res.json().message, /registration is disabled/i);
      assert.equal((await closed.app.inject({ method: 'POST', url: '/v1/auth/register', payload: {} })).statusCode, 403);
      assert.equal((await closed.app.inject({ method: 'GET', url: '/v1/auth/options' })).json().registration_enabled, false);
      const login = await closed.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'lp-existing', password: existing.password } });
      assert.equal(login.statusCode, 200);
    } finally {
      await closed.stop();
    }
  });
});
