// /v1/admin/users through app.inject: analysts get 403 everywhere, the documented check
// order (422 -> 404 -> 403), the self-action and last-admin guards, and two admins acting
// on each other at the same moment, on PGlite and on a PostgreSQL server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

type Method = 'GET' | 'PATCH' | 'POST' | 'DELETE';
const strip = (body: Record<string, unknown>) => ({ error: body.error, message: body.message });

function client(sys: TestSystem) {
  return (method: Method, url: string, as?: TestUser, payload?: unknown) =>
    sys.app.inject({ method, url, headers: as ? as.headers : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('admin routes', () => {
  let sys: TestSystem;
  let call: ReturnType<typeof client>;
  let admin: TestUser;
  let analyst: TestUser;
  before(async () => {
    sys = await startTestSystem();
    call = client(sys);
    admin = await createTestUser(sys.app, { username: 'root-admin', role: 'admin' });
    analyst = await createTestUser(sys.app, { username: 'plain-analyst' });
  });
  after(async () => sys.stop());

  const routes = (id: string): [Method, string, unknown?][] => [
    ['GET', '/v1/admin/users'],
    ['GET', `/v1/admin/users/${id}`],
    ['PATCH', `/v1/admin/users/${id}/role`, { role: 'admin' }],
    ['POST', `/v1/admin/users/${id}/deactivate`],
    ['POST', `/v1/admin/users/${id}/activate`],
    ['DELETE', `/v1/admin/users/${id}`],
  ];

  it('an analyst gets 403 "Insufficient permissions" on every admin route, and nothing changes', async () => {
    for (const [method, url, payload] of routes(admin.user.id)) {
      const res = await call(method, url, analyst, payload);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.deepEqual(strip(res.json()), { error: 'ForbiddenError', message: 'Insufficient permissions' });
    }
    assert.deepEqual(await sys.deps.users.get(admin.user.id), admin.user);
  });

  it('no token is 401 on every admin route, before the 403 and the 422', async () => {
    for (const [method, url] of routes(admin.user.id)) {
      const res = await call(method, url, undefined, { role: 42 });
      assert.equal(res.statusCode, 401, `${method} ${url}`);
    }
    assert.equal((await call('PATCH', `/v1/admin/users/${admin.user.id}/role`, analyst, { role: 42 })).statusCode, 403);
  });

  it('lists accounts newest first in the pagination envelope', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createTestUser(sys.app));
    const res = await call('GET', '/v1/admin/users?per_page=2', admin);
    assert.equal(res.statusCode, 200);
    const page = res.json();
    assert.equal(page.page, 1);
    assert.equal(page.per_page, 2);
    assert.equal(page.total, (await sys.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n);
    assert.equal(page.pages, Math.ceil(page.total / 2));
    assert.deepEqual(page.items.map((u: { id: string }) => u.id), [made[2]!.user.id, made[1]!.user.id]);
    assert.deepEqual(Object.keys(page.items[0]).sort(), ['email', 'id', 'is_active', 'role', 'username']);
    assert.equal((await call('GET', '/v1/admin/users?page=999', admin)).json().items.length, 0);
    const bad = await call('GET', '/v1/admin/users?per_page=201&page=0', admin);
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().details.map((d: { type: string }) => d.type).sort(), ['greater_than_equal', 'less_than_equal']);
  });

  it('GET one: the User, or 404 "User not found" for unknown and malformed ids', async () => {
    assert.deepEqual((await call('GET', `/v1/admin/users/${analyst.user.id}`, admin)).json(), analyst.user);
    for (const id of ['665f1c2e9b1e8a3d4c7f0a12', 'nope', '665F1C2E9B1E8A3D4C7F0A12']) {
      const res = await call('GET', `/v1/admin/users/${id}`, admin);
      assert.equal(res.statusCode, 404);
      assert.deepEqual(strip(res.json()), { error: 'NotFoundError', message: 'User not found' });
    }
  });

  it('role: 422 for anything but analyst|admin, then 404, then the change', async () => {
    const target = await createTestUser(sys.app);
    const url = `/v1/admin/users/${target.user.id}/role`;
    const superuser = await call('PATCH', url, admin, { role: 'superuser' });
    assert.equal(superuser.statusCode, 422);
    assert.deepEqual(superuser.json().details.map((d: { field: string; type: string }) => [d.field, d.type]), [['role', 'string_pattern_mismatch']]);
    assert.equal((await call('PATCH', url, admin, {})).json().details[0].type, 'missing');
    assert.equal((await call('PATCH', '/v1/admin/users/665f1c2e9b1e8a3d4c7f0a12/role', admin, { role: 'bogus' })).statusCode, 422);
    assert.equal((await call('PATCH', '/v1/admin/users/665f1c2e9b1e8a3d4c7f0a12/role', admin, { role: 'admin' })).statusCode, 404);
    const promoted = await call('PATCH', url, admin, { role: 'admin' });
    assert.deepEqual(promoted.json(), { ...target.user, role: 'admin' });
    assert.equal((await call('PATCH', url, admin, { role: 'admin' })).statusCode, 200, 'the same role again is allowed');
    assert.equal((await call('PATCH', url, admin, { role: 'analyst' })).json().role, 'analyst', 'demoting another admin is allowed');
  });

  it('deactivate and activate: self refused, idempotent deactivation, 404 "User is already active"', async () => {
    const target = await createTestUser(sys.app);
    const self = await call('POST', `/v1/admin/users/${admin.user.id}/deactivate`, admin);
    assert.equal(self.statusCode, 403);
    assert.deepEqual(strip(self.json()), { error: 'ForbiddenError', message: 'Cannot deactivate your own account' });
    const already = await call('POST', `/v1/admin/users/${target.user.id}/activate`, admin);
    assert.equal(already.statusCode, 404);
    assert.deepEqual(strip(already.json()), { error: 'NotFoundError', message: 'User is already active' });
    for (let i = 0; i < 2; i++) {
      const res = await call('POST', `/v1/admin/users/${target.user.id}/deactivate`, admin);
      assert.deepEqual(res.json(), { ...target.user, is_active: false });
    }
    assert.equal((await call('GET', '/v1/auth/me', target)).statusCode, 401);
    assert.deepEqual((await call('POST', `/v1/admin/users/${target.user.id}/activate`, admin)).json(), target.user);
    assert.equal((await call('GET', '/v1/auth/me', target)).statusCode, 200);
    assert.equal((await call('POST', '/v1/admin/users/665f1c2e9b1e8a3d4c7f0a12/deactivate', admin)).statusCode, 404);
    assert.equal((await call('POST', '/v1/admin/users/665f1c2e9b1e8a3d4c7f0a12/activate', admin)).statusCode, 404);
  });

  it('delete: self refused; another account is gone for good', async () => {
    const target = await createTestUser(sys.app);
    const self = await call('DELETE', `/v1/admin/users/${admin.user.id}`, admin);
    assert.equal(self.statusCode, 403);
    assert.deepEqual(strip(self.json()), { error: 'ForbiddenError', message: 'Cannot delete your own account' });
    const res = await call('DELETE', `/v1/admin/users/${target.user.id}`, admin);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { deleted: true });
    assert.equal((await call('GET', `/v1/admin/users/${target.user.id}`, admin)).statusCode, 404);
    assert.equal((await call('DELETE', `/v1/admin/users/${target.user.id}`, admin)).statusCode, 404);
    assert.equal((await call('GET', '/v1/auth/me', target)).json().message, 'User not found');
  });

  it('the last active admin cannot demote themselves; with a second admin they can', async () => {
    const { rows } = await sys.deps.db.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND is_active AND id <> $1", [admin.user.id]);
    for (const row of rows) await sys.deps.users.setRole(admin.user.id, row.id, 'analyst');
    const res = await call('PATCH', `/v1/admin/users/${admin.user.id}/role`, admin, { role: 'analyst' });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(strip(res.json()), { error: 'ForbiddenError', message: 'Cannot demote the last admin' });
    // An inactive admin does not count.
    const dormant = await createTestUser(sys.app, { role: 'admin' });
    await sys.deps.users.deactivate(admin.user.id, dormant.user.id);
    assert.equal((await call('PATCH', `/v1/admin/users/${admin.user.id}/role`, admin, { role: 'analyst' })).statusCode, 403);

    const second = await createTestUser(sys.app, { role: 'admin' });
    const ok = await call('PATCH', `/v1/admin/users/${second.user.id}/role`, second, { role: 'analyst' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().role, 'analyst');
  });
});

/** Two admins act on each other at once: exactly one may win, one active admin must remain. */
function concurrencySuite(name: string, env: () => Record<string, string>, skip: string | false) {
  describe(`concurrent last-admin guard (${name})`, { skip }, () => {
    let sys: TestSystem;
    let call: ReturnType<typeof client>;
    before(async () => {
      sys = await startTestSystem(env());
      call = client(sys);
    });
    after(async () => sys?.stop());

    const cases: [string, (other: TestUser) => [Method, string, unknown?]][] = [
      ['demote each other', (o) => ['PATCH', `/v1/admin/users/${o.user.id}/role`, { role: 'analyst' }]],
      ['deactivate each other', (o) => ['POST', `/v1/admin/users/${o.user.id}/deactivate`]],
      ['delete each other', (o) => ['DELETE', `/v1/admin/users/${o.user.id}`]],
    ];
    for (const [label, request] of cases) {
      it(`two admins who ${label} at the same moment: one wins, the other is refused, one admin is left`, async () => {
        for (let round = 0; round < 5; round++) {
          await sys.deps.db.query("UPDATE users SET role = 'analyst' WHERE role = 'admin'");
          const a = await createTestUser(sys.app, { role: 'admin' });
          const b = await createTestUser(sys.app, { role: 'admin' });
          const [m1, u1, p1] = request(b);
          const [m2, u2, p2] = request(a);
          const results = await Promise.all([call(m1, u1, a, p1), call(m2, u2, b, p2)]);
          // The loser is refused by the guard (403), or, when its request is authenticated
          // after the winner committed, as a deactivated or deleted account (401).
          const [first, second] = results.map((r) => r.statusCode).sort();
          assert.equal(first, 200, `round ${round}: ${results.map((r) => r.body).join(' | ')}`);
          assert.ok(second === 403 || second === 401, `round ${round}: ${results.map((r) => r.body).join(' | ')}`);
          assert.equal(await sys.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND is_active").then((r) => r.rows[0]!.n), 1);
        }
      });
    }
  });
}

concurrencySuite('PGlite', () => ({}), false);
concurrencySuite('PostgreSQL server', () => ({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('t') }), skipWithoutPostgres);
