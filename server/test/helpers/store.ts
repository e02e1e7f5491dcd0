// Opens a migrated store for repository tests: PGlite in memory, or a fresh schema on the
// PostgreSQL server. Both variants run the same suites.
import pg from 'pg';
import { openDb } from '../../src/store/db.ts';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { DATABASE_URL, uniqueName } from './env.ts';

export type StoreKind = 'pglite' | 'postgres';

export async function openTestDb(kind: StoreKind): Promise<{ db: Db; schema?: string; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDb({ dataDir: ':memory:' });
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const schema = uniqueName('t').toLowerCase();
  const db = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema, poolSize: 4 });
  await migrate(db);
  return {
    db,
    schema,
    async drop() {
      await db.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
