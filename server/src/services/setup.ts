// First run: while the server has no active administrator, each process that starts makes a
// one-time setup token and prints a link carrying it; opening the link lets the first
// administrator be created in the browser. Only SHA-256 digests of the tokens are stored
// (app_state), so any process behind a load balancer accepts a link another one printed, and a
// copy of the database does not reveal one. Tokens are compared in constant time and all of
// them are void as soon as any administrator exists (however it was made: here or with
// `npm run admin -- create`).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SetupBody, Token } from '@siem/contracts';
import { AppError } from '../errors.ts';
import { newObjectId } from '../lib/object-id.ts';
import type { AppStateRepo } from '../store/app-state-repo.ts';
import type { Db } from '../store/db.ts';
import type { UsersRepo } from '../store/users-repo.ts';
import { emailTaken, rethrowConflict, usernameTaken } from './auth.ts';
import type { PasswordHasher } from './passwords.ts';
import type { TokenService } from './tokens.ts';

const KEY = 'setup_tokens';
/** Digests kept: one per process start while no admin exists; the oldest go first. */
const MAX_TOKENS = 16;

export interface SetupDeps {
  db: Db;
  users: UsersRepo;
  appState: AppStateRepo;
  passwords: PasswordHasher;
  tokens: TokenService;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Whether `token` is one of the stored digests; every digest is compared, in constant time. */
export function tokenMatches(token: string, digests: readonly string[]): boolean {
  const presented = digest(token);
  let found = false;
  for (const hex of digests) {
    const stored = Buffer.from(hex, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) found = true;
  }
  return found;
}

export function createSetupService({ db, users, appState, passwords, tokens }: SetupDeps) {
  const invalid = () => new AppError('SETUP_TOKEN_INVALID', 'This setup link is not valid: use the link the server printed at its last start');
  const done = () => new AppError('SETUP_DONE', 'An administrator already exists; sign in instead');

  return {
    async required(): Promise<boolean> {
      return (await users.countActiveAdmins()) === 0;
    },

    /**
     * At start: a new token while no admin exists (null once one does, when the stored
     * digests are dropped). The caller prints it in a link; it is not kept anywhere else.
     */
    async begin(): Promise<string | null> {
      if (await this.required()) {
        const token = randomBytes(32).toString('base64url');
        await db.transaction(async (tx) => {
          await appState.claim(KEY, [], tx);
          const kept = (await appState.getForUpdate<string[]>(KEY, tx)) ?? [];
          await appState.put(KEY, [...kept, digest(token).toString('hex')].slice(-MAX_TOKENS), tx);
        });
        return token;
      }
      await appState.remove(KEY);
      return null;
    },

    /**
     * POST /v1/setup: checks the token, then creates the administrator in one transaction
     * holding the digests' row, so two links used at once make one administrator, not two.
     */
    async complete(body: SetupBody): Promise<Token> {
      const digests = (await appState.get<string[]>(KEY)) ?? [];
      const valid = tokenMatches(body.token, digests);
      if (!(await this.required())) throw done();
      if (!valid) throw invalid();
      if (await users.usernameTaken(body.username)) throw usernameTaken();
      if (await users.emailTaken(body.email)) throw emailTaken();
      const password_hash = await passwords.hash(body.password);
      const user = await db.transaction(async (tx) => {
        const locked = (await appState.getForUpdate<string[]>(KEY, tx)) ?? [];
        if ((await users.countActiveAdmins(tx)) > 0) throw done();
        if (!tokenMatches(body.token, locked)) throw invalid();
        const created = await users
          .insert({ id: newObjectId(), username: body.username, email: body.email, password_hash, role: 'admin' }, tx)
          .catch(rethrowConflict);
        await appState.remove(KEY, tx);
        return created;
      });
      return { access_token: await tokens.issue(user), token_type: 'bearer' };
    },
  };
}
export type SetupService = ReturnType<typeof createSetupService>;
