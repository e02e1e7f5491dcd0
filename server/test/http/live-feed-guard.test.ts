// Live feeds under least privilege, over a real socket: bounded per account and per
// process (429 / 503 with the API error body), closed within seconds when the account is
// deactivated or deleted or its password changes, and authenticated only by the literal
// `token` query parameter.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, startTestSystem, TEST_PASSWORD } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let base: string;
let admin: TestUser;
before(async () => {
  sys = await startTestSystem({ SSE_MAX_PER_USER: '2', SSE_MAX_TOTAL: '4', SSE_RECHECK_SECONDS: '1', SSE_KEEPALIVE_SECONDS: '1' });
  await sys.app.listen({ host: '127.0.0.1', port: 0 });
  const address = sys.app.server.address();
  assert.ok(address && typeof address === 'object');
  base = `http://127.0.0.1:${address.port}`;
  admin = await createTestUser(sys.app, { username: 'feed-admin', role: 'admin' });
});
after(async () => sys.stop());

interface Stream {
  status: number;
  body: unknown;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

async function open(token: string, feed: 'logs' | 'alerts' = 'logs', param = 'token'): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/${feed}/stream?${param}=${encodeURIComponent(token)}`, { signal: abort.signal });
  if (res.status !== 200) return { status: res.status, body: await res.json(), ended: Promise.resolve(), close: () => {} };
  const reader = res.body!.getReader();
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return;
    } catch {
      /* aborted by the test */
    }
  })();
  return { status: 200, body: null, ended, close: () => abort.abort() };
}

const within = (p: Promise<void>, ms: number, what: string) =>
  Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))]);

const waitForCount = async (n: number) => {
  for (let i = 0; i < 100 && sys.deps.liveClients.count() !== n; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(sys.deps.liveClients.count(), n);
};

describe('live feed bounds', () => {
  it('refuses a third stream of one account with 429, and any stream past the process total with 503', async () => {
    const a = await createTestUser(sys.app, { username: 'feed-a' });
    const b = await createTestUser(sys.app, { username: 'feed-b' });
    const c = await createTestUser(sys.app, { username: 'feed-c' });
    const mine = [await open(a.token), await open(a.token, 'alerts')];
    assert.deepEqual(mine.map((s) => s.status), [200, 200]);
    const third = await open(a.token);
    assert.equal(third.status, 429);
    assert.equal((third.body as { error: string }).error, 'RateLimitExceeded');
    assert.match((third.body as { message: string }).message, /at most 2/);
    assert.equal(typeof (third.body as { retry_after: unknown }).retry_after, 'number');

    const others = [await open(b.token), await open(b.token)];
    assert.deepEqual(others.map((s) => s.status), [200, 200]);
    const full = await open(c.token);
    assert.equal(full.status, 503);
    assert.equal((full.body as { error: string }).error, 'ServiceUnavailable');
    assert.match((full.body as { message: string }).message, /maximum of 4 live feeds/);

    // Closing one frees its place.
    mine[0]!.close();
    await waitForCount(3);
    const again = await open(c.token);
    assert.equal(again.status, 200);
    for (const s of [mine[1]!, ...others, again]) s.close();
    await waitForCount(0);
  });
});

describe('open streams follow the account', () => {
  it('are closed within seconds after a deactivation, a deletion or a password change', async () => {
    const deactivated = await createTestUser(sys.app, { username: 'feed-deact' });
    const deleted = await createTestUser(sys.app, { username: 'feed-del' });
    const changer = await createTestUser(sys.app, { username: 'feed-pw' });
    const bystander = await createTestUser(sys.app, { username: 'feed-ok' });
    const streams = {
      deactivated: await open(deactivated.token),
      deleted: await open(deleted.token, 'alerts'),
      changer: await open(changer.token),
      bystander: await open(bystander.token),
    };
    assert.ok(Object.values(streams).every((s) => s.status === 200));

    await sys.deps.users.deactivate(admin.user.id, deactivated.user.id);
    await sys.deps.users.remove(admin.user.id, deleted.user.id);
    const changed = await sys.app.inject({ method: 'PATCH', url: '/v1/auth/me', headers: changer.headers, payload: { current_password: TEST_PASSWORD, password: 'a-brand-new-password' } });
    assert.equal(changed.statusCode, 200);
    const t0 = Date.now();
    await within(Promise.all([streams.deactivated.ended, streams.deleted.ended, streams.changer.ended]).then(() => undefined), 5000, 'closing');
    assert.ok(Date.now() - t0 < 5000);

    // The other account's stream stays open, and the new token opens a stream.
    let bystanderEnded = false;
    void streams.bystander.ended.then(() => (bystanderEnded = true));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(bystanderEnded, false);
    const fresh = await open(changed.json().access_token);
    assert.equal(fresh.status, 200);
    assert.equal((await open(changer.token)).status, 401);
    streams.bystander.close();
    fresh.close();
  });
});

describe('stream authentication', () => {
  it('takes only the literal `token` parameter: a percent-encoded name is no token', async () => {
    const u = await createTestUser(sys.app, { username: 'feed-enc' });
    for (const param of ['%74oken', 'tok%65n', 'Token']) {
      const s = await open(u.token, 'logs', param);
      assert.equal(s.status, 401, param);
    }
    const ok = await open(u.token);
    assert.equal(ok.status, 200);
    ok.close();
  });
});
