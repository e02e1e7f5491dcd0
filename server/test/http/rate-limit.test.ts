// Rate limits: 429 with the error body and Retry-After, then recovery; 429
// before 401; buckets per route template and per client address; the auth routes apart
// from the default; ingest, /health and /metrics unlimited by default; the moving window;
// counters shared by two app instances through Redis, and fail-open when Redis is down.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.ts';
import { registerErrorHandling } from '../../src/http/plugins/errors.ts';
import { createMemoryWindowStore, createRedisWindowStore, registerRateLimits, retryAfterMs } from '../../src/http/plugins/rate-limit.ts';
import { REDIS_URL, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

const login = (sys: TestSystem, headers: Record<string, string> = {}) =>
  sys.app.inject({ method: 'POST', url: '/v1/auth/login', headers, payload: { username: 'nobody', password: 'whatever-password' } });

async function withSystem(env: Record<string, string>, fn: (sys: TestSystem) => Promise<void>) {
  const sys = await startTestSystem(env);
  try {
    await fn(sys);
  } finally {
    await sys.stop();
  }
}

describe('rate limits', () => {
  it('answers 429 with the error body and Retry-After, then recovers', async () => {
    await withSystem({ RATELIMIT_AUTH: '2/second' }, async (sys) => {
      assert.equal((await login(sys)).statusCode, 401);
      assert.equal((await login(sys)).statusCode, 401);
      const limited = await login(sys);
      assert.equal(limited.statusCode, 429);
      const body = limited.json();
      assert.deepEqual({ ...body, code: undefined }, { error: 'RateLimitExceeded', message: 'Too many requests', retry_after: body.retry_after, code: undefined });
      assert.ok(Number.isInteger(body.retry_after) && body.retry_after >= 1 && body.retry_after <= 2, String(body.retry_after));
      assert.equal(limited.headers['retry-after'], String(body.retry_after));
      assert.equal(limited.headers['x-ratelimit-limit'], '2');
      assert.equal(limited.headers['x-ratelimit-remaining'], '0');
      await sleep(body.retry_after * 1000 + 50);
      assert.equal((await login(sys)).statusCode, 401);
    });
  });

  it('sends X-RateLimit-Limit/Remaining/Reset (Unix seconds) and Retry-After on limited routes', async () => {
    await withSystem({ RATELIMIT_DEFAULT: '5/minute' }, async (sys) => {
      const user = await createTestUser(sys.app);
      const res = await sys.app.inject({ method: 'GET', url: '/v1/auth/me', headers: user.headers });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-ratelimit-limit'], '5');
      assert.equal(res.headers['x-ratelimit-remaining'], '4');
      const reset = Number(res.headers['x-ratelimit-reset']);
      const now = Date.now() / 1000;
      assert.ok(reset >= now && reset <= now + 61, `reset ${reset} vs now ${now}`);
      assert.ok(Number(res.headers['retry-after']) <= 60);
    });
  });

  it('counts before authenticating: the 429 comes ahead of the 401', async () => {
    await withSystem({ RATELIMIT_DEFAULT: '1/minute' }, async (sys) => {
      const me = () => sys.app.inject({ method: 'GET', url: '/v1/auth/me' });
      assert.equal((await me()).statusCode, 401);
      assert.equal((await me()).statusCode, 429);
    });
  });

  it('keeps one bucket per route template, not per path', async () => {
    await withSystem({ RATELIMIT_DEFAULT: '2/minute' }, async (sys) => {
      const user = await createTestUser(sys.app);
      const get = (url: string) => sys.app.inject({ method: 'GET', url, headers: user.headers });
      assert.equal((await get('/v1/logs/665f1c2e9b1e8a3d4c7f0a12')).statusCode, 404);
      assert.equal((await get('/v1/logs/665f1c2e9b1e8a3d4c7f0a13')).statusCode, 404);
      assert.equal((await get('/api/v1/logs/anything')).statusCode, 429);
      assert.equal((await get('/v1/auth/me')).statusCode, 200);
    });
  });

  it('keys on the client address, taken from X-Forwarded-For only behind a trusted proxy', async () => {
    await withSystem({ RATELIMIT_AUTH: '1/minute', TRUST_PROXY: 'true' }, async (sys) => {
      assert.equal((await login(sys, { 'x-forwarded-for': '203.0.113.1' })).statusCode, 401);
      assert.equal((await login(sys, { 'x-forwarded-for': '203.0.113.1' })).statusCode, 429);
      assert.equal((await login(sys, { 'x-forwarded-for': '203.0.113.2' })).statusCode, 401);
    });
    await withSystem({ RATELIMIT_AUTH: '1/minute' }, async (sys) => {
      assert.equal((await login(sys, { 'x-forwarded-for': '203.0.113.1' })).statusCode, 401);
      assert.equal((await login(sys, { 'x-forwarded-for': '203.0.113.2' })).statusCode, 429);
    });
  });

  it('holds login and register to RATELIMIT_AUTH only, not also to the default', async () => {
    await withSystem({ RATELIMIT_DEFAULT: '1/minute', RATELIMIT_AUTH: '3/minute' }, async (sys) => {
      for (let i = 0; i < 3; i++) assert.equal((await login(sys)).statusCode, 401);
      assert.equal((await login(sys)).statusCode, 429);
      const register = await sys.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { username: 'rl-user', email: 'rl@example.com', password: 'password123' } });
      assert.equal(register.statusCode, 201);
      assert.equal(register.headers['x-ratelimit-limit'], '3');
    });
  });

  it('leaves ingest, /health and /metrics unlimited by default; RATELIMIT_INGEST limits ingest', async () => {
    await withSystem({ RATELIMIT_DEFAULT: '1/minute' }, async (sys) => {
      for (let i = 0; i < 5; i++) {
        const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic' } });
        assert.equal(res.statusCode, 201);
        assert.equal(res.headers['x-ratelimit-limit'], undefined);
        assert.equal((await sys.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
        assert.equal((await sys.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
      }
    });
    await withSystem({ RATELIMIT_INGEST: '2/minute' }, async (sys) => {
      const ingest = (url: string) => sys.app.inject({ method: 'POST', url, payload: url.endsWith('bulk') ? [{ source_type: 'generic' }] : { source_type: 'generic' } });
      assert.equal((await ingest('/v1/logs/ingest')).statusCode, 201);
      assert.equal((await ingest('/v1/logs/ingest')).statusCode, 201);
      assert.equal((await ingest('/v1/logs/ingest')).statusCode, 429);
      assert.equal((await ingest('/v1/logs/bulk')).statusCode, 201);
    });
  });
});

describe('moving window', () => {
  it('does not let a full window burst again just after the window edge', async () => {
    let now = 60_000 * 100 + 59_000;
    const store = createMemoryWindowStore(() => now);
    for (let i = 0; i < 10; i++) assert.equal((await store.hit('k', 60_000, 10)).allowed, true);
    assert.equal((await store.hit('k', 60_000, 10)).allowed, false);
    now += 2_000; // a fixed window would start over here
    const state = await store.hit('k', 60_000, 10);
    assert.equal(state.allowed, false);
    const wait = retryAfterMs(state, 60_000, 10);
    assert.ok(wait > 0 && wait <= 60_000, String(wait));
    now += wait;
    assert.equal((await store.hit('k', 60_000, 10)).allowed, true);
    assert.equal((await store.hit('k', 60_000, 10)).allowed, false);
    now += 120_000;
    assert.equal((await store.hit('k', 60_000, 10)).allowed, true);
  });
});

describe('fail open', () => {
  it('lets requests through when the Redis store is unreachable', async () => {
    const redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    redis.on('error', () => {});
    const app = Fastify();
    registerErrorHandling(app);
    const config = loadConfig({ NODE_ENV: 'test', RATELIMIT_DEFAULT: '1/minute' });
    await registerRateLimits(app, { config, store: createRedisWindowStore(redis, 'x:') });
    app.get('/thing', async () => ({ ok: true }));
    try {
      for (let i = 0; i < 3; i++) assert.equal((await app.inject({ method: 'GET', url: '/thing' })).statusCode, 200);
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});

describe('shared through Redis', { skip: skipWithoutRedis }, () => {
  let a: TestSystem;
  let b: TestSystem;
  const prefix = `${uniqueName('rl')}:`;
  before(async () => {
    const env = { REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix, RATELIMIT_AUTH: '3/minute' };
    a = await startTestSystem(env);
    b = await startTestSystem(env);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const redis = new Redis(REDIS_URL!);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('two app instances count against one limit, in keys under REDIS_PREFIX', async () => {
    assert.equal((await login(a)).statusCode, 401);
    assert.equal((await login(a)).statusCode, 401);
    assert.equal((await login(b)).statusCode, 401);
    assert.equal((await login(b)).statusCode, 429);
    assert.equal((await login(a)).statusCode, 429);
    const redis = new Redis(REDIS_URL!);
    try {
      const keys = await redis.keys(`${prefix}ratelimit:*`);
      assert.equal(keys.length, 1);
      assert.match(keys[0]!, /^.*ratelimit:POST \/v1\/auth\/login\|127\.0\.0\.1:\d+$/);
    } finally {
      await redis.quit();
    }
  });
});
