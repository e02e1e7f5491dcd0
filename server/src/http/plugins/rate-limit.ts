// Per-client, per-route rate limits on @fastify/rate-limit. One app-level
// onRequest hook, added before the access guard so a 429 precedes a 401; it picks the
// route's class (auth, ingest or default) and counts in a moving window kept in Redis when
// REDIS_URL is set (shared by every server process) or in memory otherwise. Fails open.
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `auth`: the stricter RATELIMIT_AUTH bucket instead of the default one (login, register). */
    limit?: 'auth';
  }
}

type Limit = { max: number; windowMs: number } | null;

/** Counts of the current and the previous fixed window, and how far into the current one we are. */
export interface WindowState {
  allowed: boolean;
  current: number;
  previous: number;
  elapsedMs: number;
}

export interface WindowStore {
  /** Counts one request unless that would exceed `max`; the answer says which. */
  hit(key: string, windowMs: number, max: number): Promise<WindowState>;
}

/**
 * Moving window, approximated the usual way: the previous window's count weighted by the
 * part of it still inside the moving window, plus the current count. Two counters per key
 * instead of a log of every request, and no burst of 2x the limit at a window edge.
 */
export function estimate(s: Pick<WindowState, 'current' | 'previous' | 'elapsedMs'>, windowMs: number): number {
  return (s.previous * (windowMs - s.elapsedMs)) / windowMs + s.current;
}

/** Milliseconds until one more request would fit. */
export function retryAfterMs(s: WindowState, windowMs: number, max: number): number {
  const untilWindowEnd = windowMs - s.elapsedMs;
  if (max < 1) return untilWindowEnd + windowMs;
  if (s.current + 1 <= max) {
    // Still this window: wait for enough of the previous one to slide out.
    const at = windowMs * (1 - (max - 1 - s.current) / s.previous);
    return Math.max(1, Math.ceil(at - s.elapsedMs));
  }
  // This window alone is full: wait into the next one, where it becomes the previous.
  return Math.max(1, Math.ceil(untilWindowEnd + windowMs * (1 - (max - 1) / s.current)));
}

const MEMORY_MAX_KEYS = 100_000;

export function createMemoryWindowStore(now: () => number = Date.now): WindowStore {
  // Insertion order doubles as recency (entries are re-inserted on each hit), so the
  // oldest key goes first when the map is full: bounded memory under address churn.
  const windows = new Map<string, { index: number; current: number; previous: number }>();
  return {
    async hit(key, windowMs, max) {
      const t = now();
      const index = Math.floor(t / windowMs);
      const elapsedMs = t - index * windowMs;
      let entry = windows.get(key);
      if (!entry || entry.index < index - 1) entry = { index, current: 0, previous: 0 };
      else if (entry.index === index - 1) entry = { index, current: 0, previous: entry.current };
      windows.delete(key);
      windows.set(key, entry);
      if (windows.size > MEMORY_MAX_KEYS) windows.delete(windows.keys().next().value!);
      const allowed = estimate({ ...entry, elapsedMs }, windowMs) + 1 <= max;
      if (allowed) entry.current += 1;
      return { allowed, current: entry.current, previous: entry.previous, elapsedMs };
    },
  };
}

// Same algorithm in one round trip. Redis's own clock, so processes with skewed clocks
// still agree on the window. Keys: <prefix><route>|<client>:<window index>.
const HIT_SCRIPT = `
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local index = math.floor(now / window)
local elapsed = now - index * window
local curKey = KEYS[1] .. ':' .. index
local current = tonumber(redis.call('GET', curKey) or '0')
local previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. (index - 1)) or '0')
local allowed = 0
if previous * (window - elapsed) / window + current + 1 <= max then
  allowed = 1
  current = redis.call('INCR', curKey)
  if current == 1 then redis.call('PEXPIRE', curKey, window * 2) end
end
return {allowed, current, previous, elapsed}
`;

type HitCommand = (key: string, windowMs: number, max: number) => Promise<[number, number, number, number]>;

export function createRedisWindowStore(redis: Redis, prefix: string): WindowStore {
  if (!('siemRateHit' in redis)) redis.defineCommand('siemRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  const run = (redis as unknown as { siemRateHit: HitCommand }).siemRateHit.bind(redis);
  return {
    async hit(key, windowMs, max) {
      const [allowed, current, previous, elapsedMs] = await run(prefix + key, windowMs, max);
      return { allowed: allowed === 1, current, previous, elapsedMs };
    },
  };
}

/** Adapts a WindowStore to the plugin's store interface ({current, ttl}; over max = refused). */
function pluginStore(store: WindowStore) {
  return class {
    incr(key: string, cb: (err: Error | null, result?: { current: number; ttl: number }) => void, windowMs: number, max: number): void {
      store.hit(key, windowMs, max).then(
        (s) => cb(null, s.allowed
          ? { current: Math.ceil(estimate(s, windowMs)), ttl: windowMs - s.elapsedMs }
          : { current: max + 1, ttl: retryAfterMs(s, windowMs, max) }),
        (err: Error) => cb(err),
      );
    }

    // Keys already name the route, so every limiter shares one flat key space.
    child() {
      return this;
    }
  };
}

const routeKey = (req: FastifyRequest) => `${req.routeOptions.method} ${req.routeOptions.url}|${normalizeIP(req.ip)}`;

export async function registerRateLimits(app: FastifyInstance, opts: { config: Config; store: WindowStore }): Promise<void> {
  const { config } = opts;
  await app.register(rateLimit, { global: false, skipOnError: true, store: pluginStore(opts.store) });
  const limiter = (limit: Limit) =>
    limit ? app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: routeKey }) : undefined;
  const limiters = { default: limiter(config.RATELIMIT_DEFAULT), auth: limiter(config.RATELIMIT_AUTH), ingest: limiter(config.RATELIMIT_INGEST) };

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions;
    // Unmatched paths have no bucket; /health and /metrics opt out with `rateLimit: false`.
    if (route.url === undefined || route.config.rateLimit === false) return;
    const check = route.config.limit === 'auth' ? limiters.auth : route.config.access === 'ingest' ? limiters.ingest : limiters.default;
    if (!check) return;
    const result = await check(request);
    if (result.isAllowed) return;
    reply.header('X-RateLimit-Limit', result.max);
    reply.header('X-RateLimit-Remaining', result.remaining);
    reply.header('X-RateLimit-Reset', Math.ceil((Date.now() + result.ttl) / 1000));
    reply.header('Retry-After', result.ttlInSeconds);
    if (result.isExceeded) throw new AppError('RATE_LIMITED', 'Too many requests', { retryAfter: result.ttlInSeconds });
  });
}

// Fail fast rather than queue: with no offline queue a command errors at once while Redis
// is unreachable, and a slow one is cut after COMMAND_TIMEOUT_MS; the limiter then lets
// the request through (fail open) instead of stalling every request.
const COMMAND_TIMEOUT_MS = 500;
const READY_WAIT_MS = 2000;

/**
 * The limiter's own Redis connection; resolves once connected or after a short wait.
 * `onError` hears of each outage once (ioredis repeats the error on every reconnect try).
 */
export async function connectLimiterRedis(url: string, onError: (err: Error) => void): Promise<Redis> {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: READY_WAIT_MS,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    disconnectTimeout: 200,
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) onError(err);
    down = true;
  });
  client.on('ready', () => {
    down = false;
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, READY_WAIT_MS);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return client;
}
