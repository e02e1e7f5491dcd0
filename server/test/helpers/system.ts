// Builds the whole server for a test: embedded PGlite in memory by default, or a fresh
// schema on the PostgreSQL server ({ DATABASE_URL, DATABASE_SCHEMA }), memory bus unless
// REDIS_URL is passed. stop() tears everything down (and drops the schema, and the keys
// under a REDIS_PREFIX the test chose). Also mints
// accounts and tokens for tests of protected routes.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Role, User } from '@siem/contracts';
import { loadConfig } from '../../src/config.ts';
import { createSystem } from '../../src/system.ts';
import type { System, SystemOptions } from '../../src/system.ts';

export type TestSystem = System;

// registerUser(app) finds the services of an app built here.
const systems = new WeakMap<FastifyInstance, System>();

export async function startTestSystem(env: Record<string, string> = {}, opts: SystemOptions = {}): Promise<TestSystem> {
  // Listeners beyond HTTP are off unless a test turns them on with a port of its own.
  const listenersOff = { SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0' };
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:', LOG_LEVEL: 'silent', ...listenersOff, ...env });
  const system = await createSystem(config, pino({ level: process.env.TEST_LOG ?? 'silent' }), opts);
  systems.set(system.app, system);
  const stop = system.stop;
  return {
    ...system,
    async stop() {
      await stop();
      if (config.DATABASE_URL && config.DATABASE_SCHEMA) {
        const client = new pg.Client({ connectionString: config.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${config.DATABASE_SCHEMA} CASCADE`);
        await client.end();
      }
      if (config.REDIS_URL && env.REDIS_PREFIX) await dropRedisKeys(config.REDIS_URL, env.REDIS_PREFIX);
    },
  };
}

/** Deletes the keys under `prefix` on the shared Redis (bounded: at most 1,000 scan rounds). */
async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    for (let round = 0; round < 1000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

export const TEST_PASSWORD = 'correct-horse-battery';

export interface TestUser {
  user: User;
  token: string;
  password: string;
  /** `{ authorization: 'Bearer <token>' }`, ready for app.inject. */
  headers: { authorization: string };
}

let serial = 0;

/**
 * Creates an account through the auth service (no HTTP, so the auth rate limit is left
 * alone) and returns it with a token; role `admin` promotes it right after.
 */
export async function createTestUser(app: FastifyInstance, opts: { username?: string; email?: string; password?: string; role?: Role } = {}): Promise<TestUser> {
  const system = systems.get(app);
  if (!system) throw new Error('createTestUser: the app was not built by startTestSystem');
  const username = opts.username ?? `user${process.pid}x${++serial}`;
  const password = opts.password ?? TEST_PASSWORD;
  const { auth, users } = system.deps;
  const { access_token: token } = await auth.register({ username, email: opts.email ?? `${username.toLowerCase()}@example.com`, password });
  let user = await auth.authenticate(token);
  if (opts.role && opts.role !== 'analyst') user = await users.setRole(user.id, user.id, opts.role);
  return { user, token, password, headers: { authorization: `Bearer ${token}` } };
}

/** A token for a new account (role `analyst` unless asked otherwise). */
export async function registerUser(app: FastifyInstance, opts: { username?: string; role?: Role } = {}): Promise<string> {
  return (await createTestUser(app, opts)).token;
}
