// What the test run can reach. Suites that need a PostgreSQL or Redis server skip
// themselves (loudly, see scripts/test.mjs) when the variable is not set.
export const DATABASE_URL = process.env.DATABASE_URL || undefined;
export const REDIS_URL = process.env.REDIS_URL || undefined;

export const skipWithoutPostgres: string | false = DATABASE_URL ? false : 'DATABASE_URL not set: PostgreSQL server suite skipped';
export const skipWithoutRedis: string | false = REDIS_URL ? false : 'REDIS_URL not set: Redis suite skipped';

/** A unique, SQL-safe name for per-test schemas and Redis key prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
