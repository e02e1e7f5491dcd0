// Saved searches through the API: an account saves, lists, reads, changes and deletes its
// own; shared ones are visible to all and changed only by their owner or an admin (403
// FORBIDDEN_NOT_OWNER); private ones are invisible to others (404); names are unique per
// owner (409); the params are validated (422); the per-account count is bounded (409).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SAVED_SEARCH_LIMITS } from '@siem/contracts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;
before(async () => {
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute' });
  alice = await createTestUser(sys.app, { username: 'saved-alice' });
  bob = await createTestUser(sys.app, { username: 'saved-bob' });
  admin = await createTestUser(sys.app, { username: 'saved-admin', role: 'admin' });
});
after(async () => sys.stop());

const call = (who: TestUser | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: who ? who.headers : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

const PARAMS = {
  query: 'event_type:login_failed AND source_ip:10.0.0.0/8',
  filters: { severity: 'high', hostname: 'web-1' },
  range: { type: 'relative', seconds: 3600 },
};

describe('saved searches', () => {
  let privateId: string;
  let sharedId: string;

  it('an analyst saves a search: 201 with the params as given, owner and editable', async () => {
    const res = await call(alice, 'POST', '/v1/saved-searches', { name: 'Failed logins', params: PARAMS });
    assert.equal(res.statusCode, 201, res.body);
    const s = res.json();
    assert.match(s.id, /^[0-9a-f]{24}$/);
    assert.deepEqual(s.params, PARAMS);
    assert.equal(s.shared, false);
    assert.equal(s.owner, 'saved-alice');
    assert.equal(s.editable, true);
    assert.equal(s.description, '');
    privateId = s.id;
    const shared = await call(alice, 'POST', '/v1/saved-searches', {
      name: 'Team view',
      shared: true,
      params: { filters: {}, range: { type: 'absolute', since: '2026-03-01T00:00:00Z', until: '2026-03-02T00:00:00Z' } },
    });
    assert.equal(shared.statusCode, 201, shared.body);
    sharedId = shared.json().id;
  });

  it('the owner lists both; another analyst sees only the shared one, read-only', async () => {
    const own = (await call(alice, 'GET', '/v1/saved-searches')).json();
    assert.deepEqual(own.map((s: { name: string }) => s.name), ['Failed logins', 'Team view']);
    const other = (await call(bob, 'GET', '/v1/saved-searches')).json();
    assert.deepEqual(other.map((s: { name: string; editable: boolean }) => [s.name, s.editable]), [['Team view', false]]);
    assert.equal((await call(bob, 'GET', `/v1/saved-searches/${sharedId}`)).statusCode, 200);
    const hidden = await call(bob, 'GET', `/v1/saved-searches/${privateId}`);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().message, 'SavedSearch not found');
  });

  it('only the owner or an admin changes or deletes one', async () => {
    const denied = await call(bob, 'PATCH', `/v1/saved-searches/${sharedId}`, { name: 'mine now' });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'FORBIDDEN_NOT_OWNER');
    assert.equal((await call(bob, 'DELETE', `/v1/saved-searches/${sharedId}`)).json().code, 'FORBIDDEN_NOT_OWNER');
    assert.equal((await call(bob, 'PATCH', `/v1/saved-searches/${privateId}`, { name: 'x' })).statusCode, 404, 'a private one stays invisible');

    const renamed = await call(alice, 'PATCH', `/v1/saved-searches/${privateId}`, { name: 'Failed logins (web)', shared: true });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'Failed logins (web)');
    assert.equal(renamed.json().shared, true);
    assert.deepEqual(renamed.json().params, PARAMS, 'params untouched');

    const byAdmin = await call(admin, 'PATCH', `/v1/saved-searches/${privateId}`, { description: 'checked by admin' });
    assert.equal(byAdmin.statusCode, 200);
    assert.equal(byAdmin.json().editable, true);
    assert.equal(byAdmin.json().owner, 'saved-alice');
    assert.deepEqual(await call(admin, 'DELETE', `/v1/saved-searches/${privateId}`).then((r) => r.json()), { deleted: true });
    assert.equal((await call(alice, 'GET', `/v1/saved-searches/${privateId}`)).statusCode, 404);
  });

  it('names are unique per owner, not across owners', async () => {
    const dup = await call(alice, 'POST', '/v1/saved-searches', { name: 'Team view', params: {} });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'CONFLICT_DUPLICATE');
    assert.equal((await call(bob, 'POST', '/v1/saved-searches', { name: 'Team view', params: {} })).statusCode, 201);
    const b2 = (await call(bob, 'POST', '/v1/saved-searches', { name: 'Other', params: {} })).json();
    assert.equal((await call(bob, 'PATCH', `/v1/saved-searches/${b2.id}`, { name: 'Team view' })).statusCode, 409);
  });

  it('invalid bodies are 422 with details; an empty update is 422; no token is 401', async () => {
    const bad = [
      { params: {} },
      { name: '', params: {} },
      { name: 'x'.repeat(121), params: {} },
      { name: 'a' },
      { name: 'a', params: { filters: { severity: 'extreme' } } },
      { name: 'a', params: { filters: { nope: 'x' } } },
      { name: 'a', params: { range: { type: 'relative', seconds: 0 } } },
      { name: 'a', params: { range: { type: 'absolute', since: 'yesterday' } } },
      { name: 'a', params: { range: { type: 'sometimes' } } },
      { name: 'a', params: { query: 'q'.repeat(4001) } },
      { name: 'a', params: { unknown: 1 } },
    ];
    for (const body of bad) {
      const res = await call(alice, 'POST', '/v1/saved-searches', body);
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      assert.equal(res.json().error, 'ValidationError');
      assert.ok(res.json().details.length > 0);
    }
    const nothing = await call(alice, 'PATCH', `/v1/saved-searches/${sharedId}`, {});
    assert.equal(nothing.statusCode, 422);
    assert.equal(nothing.json().code, 'VALIDATION_NOTHING_TO_UPDATE');
    assert.equal((await call(null, 'GET', '/v1/saved-searches')).statusCode, 401);
    assert.equal((await call(alice, 'GET', '/v1/saved-searches/not-an-id')).statusCode, 404);
  });

  it(`an account keeps at most ${SAVED_SEARCH_LIMITS.perUser}`, async () => {
    const carol = await createTestUser(sys.app, { username: 'saved-carol' });
    await sys.deps.db.query(
      `INSERT INTO saved_searches (id, owner_id, name, params) SELECT lpad(to_hex(i), 24, '0'), $1, 'bulk ' || i, '{}' FROM generate_series(1, $2::int) i`,
      [carol.user.id, SAVED_SEARCH_LIMITS.perUser],
    );
    const res = await call(carol, 'POST', '/v1/saved-searches', { name: 'one too many', params: {} });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'SAVED_SEARCH_LIMIT');
  });

  it("deleting the account deletes its searches", async () => {
    const dave = await createTestUser(sys.app, { username: 'saved-dave' });
    const s = (await call(dave, 'POST', '/v1/saved-searches', { name: 'temp', shared: true, params: {} })).json();
    assert.equal((await call(admin, 'DELETE', `/v1/admin/users/${dave.user.id}`)).statusCode, 200);
    assert.equal((await call(admin, 'GET', `/v1/saved-searches/${s.id}`)).statusCode, 404);
  });
});
