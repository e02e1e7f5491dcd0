// /v1/auth through app.inject: register, login, me, profile changes, and the token
// resolution every protected route runs: forged, expired, alg none, wrongly
// signed, deleted and deactivated all refused; role changes apply on the next request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { createTestUser, startTestSystem, TEST_PASSWORD } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
const SECRET = 'auth-test-secret-of-a-sufficient-length-0123';
before(async () => {
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute', SECRET_KEY: SECRET });
});
after(async () => sys.stop());

const post = (url: string, payload: unknown) => sys.app.inject({ method: 'POST', url, payload: payload as object });
const me = (authorization?: string, url = '/v1/auth/me') =>
  sys.app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });
const patchMe = (token: string, payload: unknown) =>
  sys.app.inject({ method: 'PATCH', url: '/v1/auth/me', headers: { authorization: `Bearer ${token}` }, payload: payload as object });
const bearer = (token: string) => `Bearer ${token}`;
const body401 = (message: string) => ({ error: 'AuthenticationError', message });
const strip = (body: Record<string, unknown>) => ({ error: body.error, message: body.message });

describe('register', () => {
  it('answers 201 with a bearer token for a new active analyst', async () => {
    const res = await post('/v1/auth/register', { username: 'reg-alice', email: 'Alice <reg-alice@Example.COM>', password: 'password123' });
    assert.equal(res.statusCode, 201);
    const token = res.json();
    assert.deepEqual(Object.keys(token).sort(), ['access_token', 'token_type']);
    assert.equal(token.token_type, 'bearer');
    const user = (await me(bearer(token.access_token))).json();
    assert.deepEqual(Object.keys(user).sort(), ['email', 'id', 'is_active', 'role', 'username']);
    assert.match(user.id, /^[0-9a-f]{24}$/);
    assert.deepEqual({ ...user, id: undefined }, { id: undefined, username: 'reg-alice', email: 'reg-alice@example.com', role: 'analyst', is_active: true });
  });

  it('reports schema problems with validation details (the documented example)', async () => {
    const res = await post('/v1/auth/register', { username: 'reg-bob', password: 'short' });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json().details, [
      { field: 'email', message: 'Field required', type: 'missing' },
      { field: 'password', message: 'String should have at least 8 characters', type: 'string_too_short' },
    ]);
  });

  it('checks username length, email form and the password cap', async () => {
    const res = await post('/v1/auth/register', { username: 'x'.repeat(33), email: 'bob@example.test', password: 'p'.repeat(257) });
    assert.equal(res.statusCode, 422);
    const details = res.json().details as { field: string; type: string; message: string }[];
    assert.deepEqual(details.map((d) => [d.field, d.type]), [['username', 'string_too_long'], ['email', 'value_error'], ['password', 'string_too_long']]);
    assert.match(details[1]!.message, /^value is not a valid email address: /);
  });

  it('refuses a taken username, case-insensitively, before looking at the email', async () => {
    await createTestUser(sys.app, { username: 'taken', email: 'taken@example.com' });
    for (const username of ['taken', 'TAKEN', 'Taken']) {
      const res = await post('/v1/auth/register', { username, email: 'taken@example.com', password: 'password123' });
      assert.equal(res.statusCode, 409);
      assert.deepEqual(strip(res.json()), { error: 'ConflictError', message: 'Username already taken' });
    }
  });

  it('refuses an email already registered, whatever its case', async () => {
    await createTestUser(sys.app, { username: 'mail-owner', email: 'owner@example.com' });
    const res = await post('/v1/auth/register', { username: 'someone-else', email: 'Owner@EXAMPLE.com', password: 'password123' });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(strip(res.json()), { error: 'ConflictError', message: 'Email already registered' });
  });

  it('turns concurrent registrations of one name into one 201 and 409s, never a 500', async () => {
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => post('/v1/auth/register', { username: 'racer', email: `racer${i}@example.com`, password: 'password123' })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409, 409, 409]);
  });
});

describe('login', () => {
  let alice: Awaited<ReturnType<typeof createTestUser>>;
  before(async () => {
    alice = await createTestUser(sys.app, { username: 'login-alice' });
  });

  it('answers a token for the right password', async () => {
    const res = await post('/v1/auth/login', { username: 'login-alice', password: TEST_PASSWORD });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().token_type, 'bearer');
    assert.equal((await me(bearer(res.json().access_token))).json().id, alice.user.id);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const wrong = await post('/v1/auth/login', { username: 'login-alice', password: 'not-the-password' });
    const unknown = await post('/v1/auth/login', { username: 'nobody-here', password: 'not-the-password' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, wrong.statusCode);
    assert.equal(unknown.body, wrong.body);
    assert.deepEqual(strip(wrong.json()), body401('Invalid username or password'));
    const { 'content-length': a, date: _d1, ...wrongHeaders } = wrong.headers;
    const { 'content-length': b, date: _d2, ...unknownHeaders } = unknown.headers;
    assert.equal(a, b);
    delete wrongHeaders['x-ratelimit-remaining'];
    delete unknownHeaders['x-ratelimit-remaining'];
    delete wrongHeaders['x-ratelimit-reset'];
    delete unknownHeaders['x-ratelimit-reset'];
    delete wrongHeaders['retry-after'];
    delete unknownHeaders['retry-after'];
    assert.deepEqual(unknownHeaders, wrongHeaders);
  });

  it('spends an Argon2 verification on an unknown user too', async () => {
    const time = async (username: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await post('/v1/auth/login', { username, password: 'not-the-password' });
        samples.push(performance.now() - start);
      }
      return samples.sort((x, y) => x - y)[2]!;
    };
    const wrong = await time('login-alice');
    const unknown = await time('nobody-here');
    // Without the dummy verification an unknown user costs a query (about a millisecond), a
    // twentieth of a verification; a busy machine skews single medians by 2x, not 20x.
    assert.ok(unknown > wrong * 0.25, `unknown user ${unknown.toFixed(1)} ms vs wrong password ${wrong.toFixed(1)} ms`);
  });

  it('matches the username case-sensitively', async () => {
    const res = await post('/v1/auth/login', { username: 'LOGIN-ALICE', password: TEST_PASSWORD });
    assert.deepEqual(strip(res.json()), body401('Invalid username or password'));
  });

  it('a deactivated account gets the same answer with its right password as with a wrong one', async () => {
    const bob = await createTestUser(sys.app, { username: 'login-bob' });
    const admin = await createTestUser(sys.app, { role: 'admin' });
    await sys.deps.users.deactivate(admin.user.id, bob.user.id);
    const timed = async (password: string) => {
      const t0 = performance.now();
      const res = await post('/v1/auth/login', { username: 'login-bob', password });
      return { res, ms: performance.now() - t0 };
    };
    // Interleaved samples, compared by their medians: one sample on a busy machine can be 7x off.
    const wrongs: number[] = [];
    const rights: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wrong = await timed('wrong-password');
      const right = await timed(TEST_PASSWORD);
      assert.equal(right.res.statusCode, 401);
      assert.deepEqual(right.res.json(), wrong.res.json());
      assert.deepEqual(strip(right.res.json()), body401('Invalid username or password'));
      wrongs.push(wrong.ms);
      rights.push(right.ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    const [right, wrong] = [median(rights), median(wrongs)];
    // Both spend one Argon2 verification: neither answers in a fraction of the other's time.
    assert.ok(right > wrong / 4 && wrong > right / 4, `${right} vs ${wrong} ms`);
  });

  it('re-hashes a password stored with outdated parameters', async () => {
    const old = await createTestUser(sys.app, { username: 'login-old' });
    const { createPasswordHasher } = await import('../../src/services/passwords.ts');
    const weak = await createPasswordHasher({ memoryCost: 4096, timeCost: 1, parallelism: 1 }).hash(TEST_PASSWORD);
    await sys.deps.db.query('UPDATE users SET password_hash = $1 WHERE id = $2', [weak, old.user.id]);
    assert.equal((await post('/v1/auth/login', { username: 'login-old', password: TEST_PASSWORD })).statusCode, 200);
    const { rows } = await sys.deps.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [old.user.id]);
    assert.match(rows[0]!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal((await post('/v1/auth/login', { username: 'login-old', password: TEST_PASSWORD })).statusCode, 200);
  });

  it('requires both fields', async () => {
    const res = await post('/v1/auth/login', {});
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json().details.map((d: { field: string }) => d.field), ['username', 'password']);
  });
});

describe('token resolution on protected routes', () => {
  let carol: Awaited<ReturnType<typeof createTestUser>>;
  let admin: Awaited<ReturnType<typeof createTestUser>>;
  const key = new TextEncoder().encode(SECRET);
  const now = () => Math.floor(Date.now() / 1000);
  before(async () => {
    carol = await createTestUser(sys.app, { username: 'tok-carol' });
    admin = await createTestUser(sys.app, { role: 'admin' });
  });

  it('no token: 401 "Authentication required"', async () => {
    const res = await me();
    assert.equal(res.statusCode, 401);
    assert.deepEqual(strip(res.json()), body401('Authentication required'));
  });

  it('only exactly "Bearer <jwt>" counts; other header forms are disregarded', async () => {
    for (const header of [`bearer ${carol.token}`, `Bearer  ${carol.token}`, carol.token, `Token ${carol.token}`, 'Bearer ']) {
      assert.deepEqual(strip((await me(header)).json()), body401('Authentication required'), header.slice(0, 12));
    }
  });

  it('forged, wrongly signed, alg none and expired tokens: 401 "Invalid or expired token"', async () => {
    const sub = carol.user.id;
    const [h, p, s] = carol.token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tokens = {
      malformed: 'not.a.jwt',
      forged: `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: admin.user.id })).toString('base64url')}.${s}`,
      wrongKey: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode('some-other-secret-key-value-here')),
      algNone: new UnsecuredJWT({}).setSubject(sub).setIssuedAt().setExpirationTime('1h').encode(),
      hs384: await new SignJWT({}).setProtectedHeader({ alg: 'HS384' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(key),
      expired: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now() - 7200).setExpirationTime(now() - 1).sign(key),
      noExp: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().sign(key),
      futureIat: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now() + 300).setExpirationTime(now() + 3600).sign(key),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await me(bearer(token));
      assert.equal(res.statusCode, 401, name);
      assert.deepEqual(strip(res.json()), body401('Invalid or expired token'), name);
    }
  });

  it('a valid token of a deleted user: 401 "User not found"', async () => {
    const gone = await createTestUser(sys.app);
    await sys.deps.users.remove(admin.user.id, gone.user.id);
    assert.deepEqual(strip((await me(gone.headers.authorization)).json()), body401('User not found'));
  });

  it("a deactivated user's still-valid token: 401 on the next request", async () => {
    const dave = await createTestUser(sys.app);
    assert.equal((await me(dave.headers.authorization)).statusCode, 200);
    await sys.deps.users.deactivate(admin.user.id, dave.user.id);
    const res = await me(dave.headers.authorization);
    assert.equal(res.statusCode, 401);
    assert.deepEqual(strip(res.json()), body401('Account is deactivated'));
  });

  it('a role change applies on the next request, whatever the token says', async () => {
    const erin = await createTestUser(sys.app);
    const list = () => sys.app.inject({ method: 'GET', url: '/v1/admin/users', headers: erin.headers });
    assert.equal((await list()).statusCode, 403);
    await sys.deps.users.setRole(admin.user.id, erin.user.id, 'admin');
    assert.equal((await list()).statusCode, 200);
    await sys.deps.users.setRole(admin.user.id, erin.user.id, 'analyst');
    assert.equal((await list()).statusCode, 403);
  });

  it('takes ?token= on the live feeds only, under its literal name', async () => {
    const viaQuery = await me(undefined, `/v1/auth/me?token=${carol.token}`);
    assert.deepEqual(strip(viaQuery.json()), body401('Authentication required'));
    for (const name of ['%74oken', 'TOKEN', 't%6Fken', 'token%00']) {
      const encoded = await sys.app.inject({ method: 'GET', url: `/v1/logs/stream?${name}=${encodeURIComponent(carol.token)}` });
      assert.deepEqual(strip(encoded.json()), body401('Authentication required'), name);
    }
    // The stream reads its token from the query: a bad one is judged, not ignored.
    const badStream = await sys.app.inject({ method: 'GET', url: '/v1/logs/stream?token=garbage' });
    assert.deepEqual(strip(badStream.json()), body401('Invalid or expired token'));
    await sys.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = sys.app.server.address() as { port: number };
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/logs/stream?token=${encodeURIComponent(carol.token)}`, { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    abort.abort();
  });

  it('ignores any token on public routes', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { authorization: 'Bearer garbage' }, payload: { username: 'tok-carol', password: TEST_PASSWORD } });
    assert.equal(res.statusCode, 200);
  });
});

describe('GET and PATCH /v1/auth/me', () => {
  it('GET answers the caller as a User', async () => {
    const u = await createTestUser(sys.app, { username: 'me-frank', email: 'frank@example.com' });
    assert.deepEqual((await me(u.headers.authorization)).json(), { id: u.user.id, username: 'me-frank', email: 'frank@example.com', role: 'analyst', is_active: true });
  });

  it('a wrong current password: 401 "Current password is incorrect"', async () => {
    const u = await createTestUser(sys.app);
    const res = await patchMe(u.token, { current_password: 'wrong-password', username: 'whatever' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(strip(res.json()), body401('Current password is incorrect'));
  });

  it('schema before password: a missing current_password is 422', async () => {
    const u = await createTestUser(sys.app);
    const res = await patchMe(u.token, { username: 'ab' });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json().details.map((d: { field: string; type: string }) => [d.field, d.type]), [['current_password', 'missing'], ['username', 'string_too_short']]);
  });

  it('a new username comes with a new token; the old token keeps working', async () => {
    const u = await createTestUser(sys.app, { username: 'me-grace' });
    const res = await patchMe(u.token, { current_password: TEST_PASSWORD, username: 'me-grace2' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.user.username, 'me-grace2');
    assert.equal(typeof body.access_token, 'string');
    assert.equal((await me(bearer(body.access_token))).json().username, 'me-grace2');
    assert.equal((await me(u.headers.authorization)).json().username, 'me-grace2');
  });

  it('an email change answers without the access_token key', async () => {
    const u = await createTestUser(sys.app, { username: 'me-quinn' });
    const res = await patchMe(u.token, { current_password: TEST_PASSWORD, email: 'Quinn <QUINN@Example.com>', username: null });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(Object.keys(res.json()).sort(), ['token_type', 'user']);
    assert.equal(res.json().user.email, 'QUINN@example.com');
    assert.equal((await me(u.headers.authorization)).statusCode, 200, 'an email change revokes nothing');
  });

  it('a password change revokes every older token and answers with a fresh one', async () => {
    const u = await createTestUser(sys.app, { username: 'me-heidi' });
    const other = await post('/v1/auth/login', { username: 'me-heidi', password: TEST_PASSWORD });
    const res = await patchMe(u.token, { current_password: TEST_PASSWORD, email: 'Heidi <HEIDI@Example.com>', password: 'new-password-1', username: null });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(Object.keys(res.json()).sort(), ['access_token', 'token_type', 'user']);
    assert.equal(res.json().user.email, 'HEIDI@example.com');
    for (const old of [u.token, other.json().access_token as string]) {
      assert.deepEqual(strip((await me(bearer(old))).json()), body401('Invalid or expired token'));
    }
    assert.equal((await me(bearer(res.json().access_token))).statusCode, 200);
    assert.equal((await post('/v1/auth/login', { username: 'me-heidi', password: TEST_PASSWORD })).statusCode, 401);
    assert.equal((await post('/v1/auth/login', { username: 'me-heidi', password: 'new-password-1' })).statusCode, 200);
  });

  it('re-hashes a password equal to the old one', async () => {
    const u = await createTestUser(sys.app);
    const hashOf = async () => (await sys.deps.db.query<{ h: string }>('SELECT password_hash AS h FROM users WHERE id = $1', [u.user.id])).rows[0]!.h;
    const before = await hashOf();
    assert.equal((await patchMe(u.token, { current_password: TEST_PASSWORD, password: TEST_PASSWORD })).statusCode, 200);
    assert.notEqual(await hashOf(), before);
  });

  it('nothing to change: 422 "No fields to update" without details', async () => {
    const u = await createTestUser(sys.app, { username: 'me-ivan', email: 'ivan@example.com' });
    for (const body of [{}, { username: 'me-ivan' }, { email: 'ivan@EXAMPLE.com' }, { username: null, email: null, password: null }]) {
      const res = await patchMe(u.token, { current_password: TEST_PASSWORD, ...body });
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      assert.deepEqual(strip(res.json()), { error: 'ValidationError', message: 'No fields to update' });
      assert.equal(res.json().details, undefined);
    }
  });

  it('refuses a username or email held by someone else (case-insensitively), but allows re-casing your own name', async () => {
    await createTestUser(sys.app, { username: 'me-judy', email: 'judy@example.com' });
    const u = await createTestUser(sys.app, { username: 'me-ken' });
    const taken = await patchMe(u.token, { current_password: TEST_PASSWORD, username: 'ME-JUDY' });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().message, 'Username already taken');
    const mail = await patchMe(u.token, { current_password: TEST_PASSWORD, email: 'JUDY@example.com' });
    assert.equal(mail.statusCode, 409);
    assert.equal(mail.json().message, 'Email already registered');
    const recased = await patchMe(u.token, { current_password: TEST_PASSWORD, username: 'Me-Ken' });
    assert.equal(recased.statusCode, 200);
    assert.equal(recased.json().user.username, 'Me-Ken');
  });
});
