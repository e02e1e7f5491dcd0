// Builds the whole server for a test: embedded PGlite in memory by default, or a fresh
// schema on the PostgreSQL server ({ DATABASE_URL, DATABASE_SCHEMA }), memory bus unless
// REDIS_URL is passed. stop() tears everything down (and drops the schema).
import pino from 'pino';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { createSystem } from '../../src/system.ts';
import type { System } from '../../src/system.ts';

export type TestSystem = System;

export async function startTestSystem(env: Record<string, string> = {}): Promise<TestSystem> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:', LOG_LEVEL: 'silent', ...env });
  const system = await createSystem(config, pino({ level: 'silent' }));
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
    },
  };
}
