// What every operator command shares: opening the store exactly as the server does (.env,
// configuration, migrations), saying plainly why it cannot (a running server holding the
// embedded database, a bad setting), and running as a script with a proper exit status.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { ConfigError, loadConfig } from '../config.ts';
import { isAppError } from '../errors.ts';
import { openDb, type Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';

/** Writing to the command's output: a line, or an error line that yields the exit status. */
export function cliOutput(io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }) {
  return {
    say: (text: string): void => {
      io.stdout.write(`${text}\n`);
    },
    fail: (text: string, status: number): number => {
      io.stderr.write(`${text}\n`);
      return status;
    },
  };
}

/** The store, migrated; or the message and exit status of why it could not be opened. */
export type OpenedStore = { ok: true; db: Db } | { ok: false; message: string; status: number };

export async function openStoreForCli(env: Record<string, string | undefined>): Promise<OpenedStore> {
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, message: err.message, status: 78 };
    throw err;
  }
  let db: Db;
  try {
    db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, schema: config.DATABASE_SCHEMA, poolSize: 2 });
  } catch (err) {
    // Most often DATA_DIR_LOCKED: a running server holds the embedded database; its message says what to do.
    return { ok: false, message: isAppError(err) ? err.message : `Cannot open the database: ${(err as Error).message}`, status: 1 };
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { ok: true, db };
}

/** Runs `main` when the module at `moduleUrl` is the script node was started with. */
export function runAsScript(moduleUrl: string, main: () => Promise<number>): void {
  let direct = false;
  try {
    direct = process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fileURLToPath(moduleUrl);
  } catch {
    direct = false;
  }
  if (!direct) return;
  dotenv.config({ quiet: true });
  main().then(
    (status) => {
      process.exitCode = status;
    },
    (err: unknown) => {
      process.stderr.write(`Unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
