// The JWT signing secret when SECRET_KEY is not set: generated once, at first start, and
// kept where every process of the installation finds the same one. With the embedded store
// that is a 0600 file in the data directory (one process owns it); with a PostgreSQL server,
// processes may run on different machines with different data directories, so the secret
// lives in the shared database (app_state), claimed atomically by whichever starts first.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppStateRepo } from '../store/app-state-repo.ts';

export const SECRET_FILE = 'secret.key';
const SECRET_STATE_KEY = 'jwt_secret';
const MIN_LENGTH = 32;

export type SecretSource = 'config' | 'file' | 'database' | 'memory';

const generate = () => randomBytes(48).toString('base64url');

function fromFile(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SECRET_FILE);
  try {
    // `wx`: two starts racing cannot both write; the loser reads the winner's secret.
    fs.writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_LENGTH) {
    throw new Error(`${file} holds no usable secret (fewer than ${MIN_LENGTH} characters): delete it to have a new one generated, or set SECRET_KEY`);
  }
  return secret;
}

export async function loadSecret(opts: {
  configured: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  appState: AppStateRepo;
}): Promise<{ secret: string; source: SecretSource }> {
  if (opts.configured !== undefined) return { secret: opts.configured, source: 'config' };
  if (opts.databaseUrl) {
    await opts.appState.claim(SECRET_STATE_KEY, { secret: generate() });
    const stored = await opts.appState.get<{ secret?: unknown }>(SECRET_STATE_KEY);
    if (typeof stored?.secret !== 'string' || stored.secret.length < MIN_LENGTH) {
      throw new Error(`the generated secret stored in the database (app_state '${SECRET_STATE_KEY}') is unusable: delete that row, or set SECRET_KEY`);
    }
    return { secret: stored.secret, source: 'database' };
  }
  // A throw-away store gets a throw-away secret: its tokens die with it.
  if (opts.dataDir === ':memory:') return { secret: generate(), source: 'memory' };
  return { secret: fromFile(opts.dataDir), source: 'file' };
}
