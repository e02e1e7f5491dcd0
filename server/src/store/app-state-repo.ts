// app_state: small installation-wide facts. `claim` sets a key only if it is absent and
// says whether this caller set it, so two processes starting together do a one-time job once.
import type { Queryable } from './db.ts';

export function createAppStateRepo(db: Queryable) {
  return {
    async claim(key: string, value: unknown, tx: Queryable = db): Promise<boolean> {
      const { rowCount } = await tx.query('INSERT INTO app_state (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING', [key, JSON.stringify(value)]);
      return rowCount > 0;
    },

    async get<T = unknown>(key: string, tx: Queryable = db): Promise<T | undefined> {
      const { rows } = await tx.query<{ value: T }>('SELECT value FROM app_state WHERE key = $1', [key]);
      return rows[0]?.value;
    },

    /** The value, locked until the transaction ends (callers serialize a read-modify-write on it). */
    async getForUpdate<T = unknown>(key: string, tx: Queryable): Promise<T | undefined> {
      const { rows } = await tx.query<{ value: T }>('SELECT value FROM app_state WHERE key = $1 FOR UPDATE', [key]);
      return rows[0]?.value;
    },

    /** The values of these keys (missing ones are left out). */
    async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
      if (keys.length === 0) return new Map();
      const { rows } = await db.query<{ key: string; value: T }>('SELECT key, value FROM app_state WHERE key = ANY($1::text[])', [[...keys]]);
      return new Map(rows.map((r) => [r.key, r.value]));
    },

    async remove(key: string, tx: Queryable = db): Promise<void> {
      await tx.query('DELETE FROM app_state WHERE key = $1', [key]);
    },

    async put(key: string, value: unknown, tx: Queryable = db): Promise<void> {
      await tx.query(
        'INSERT INTO app_state (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
        [key, JSON.stringify(value)],
      );
    },
  };
}
export type AppStateRepo = ReturnType<typeof createAppStateRepo>;
