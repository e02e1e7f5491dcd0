// Self-service accounts: register (when self-registration is on), login,
// profile changes, and the resolution of a bearer token to the current user that the HTTP
// guard runs on every protected request. Checks run in a fixed order; uniqueness
// races end as 409, not 500. A password change revokes the tokens issued before it.
import type { Logger } from 'pino';
import { normalizeUsername } from '@siem/contracts';
import type { AuthOptions, LoginBody, ProfileUpdate, ProfileUpdateBody, RegisterBody, Token, User } from '@siem/contracts';
import { AppError } from '../errors.ts';
import { isObjectId, newObjectId } from '../lib/object-id.ts';
import type { UserPatch, UserRecord, UsersRepo } from '../store/users-repo.ts';
import { uniqueViolation } from '../store/users-repo.ts';
import type { PasswordHasher } from './passwords.ts';
import type { TokenService } from './tokens.ts';

export function toUser(record: Pick<UserRecord, 'id' | 'username' | 'email' | 'role' | 'is_active'>): User {
  return { id: record.id, username: record.username, email: record.email, role: record.role, is_active: record.is_active };
}

export const usernameTaken = () => new AppError('CONFLICT_USERNAME', 'Username already taken');
export const emailTaken = () => new AppError('CONFLICT_EMAIL', 'Email already registered');

/** Turns a unique-index violation into the 409 it stands for; rethrows anything else. */
export function rethrowConflict(err: unknown): never {
  const which = uniqueViolation(err);
  if (which === 'username') throw usernameTaken();
  if (which === 'email') throw emailTaken();
  throw err;
}

export interface AuthDeps {
  users: UsersRepo;
  passwords: PasswordHasher;
  tokens: TokenService;
  log: Logger;
  /** Self-registration (REGISTRATION_ENABLED). */
  registrationEnabled: boolean;
}

export function createAuthService({ users, passwords, tokens, log, registrationEnabled }: AuthDeps) {
  const bearer = async (user: UserRecord): Promise<Token> => ({ access_token: await tokens.issue(user), token_type: 'bearer' });

  return {
    /** What the sign-in pages need to know before anyone is signed in. */
    async options(): Promise<AuthOptions> {
      return { registration_enabled: registrationEnabled, setup_required: (await users.countActiveAdmins()) === 0 };
    },

    /** POST /v1/auth/register runs this before reading the body: closed is 403 whatever is sent. */
    assertRegistrationOpen(): void {
      if (!registrationEnabled) {
        throw new AppError('REGISTRATION_CLOSED', 'Self-registration is disabled on this server; ask an administrator for an account');
      }
    },

    /** Creates an analyst account (the route checks assertRegistrationOpen first). */
    async register(body: RegisterBody): Promise<Token> {
      if (await users.usernameTaken(body.username)) throw usernameTaken();
      if (await users.emailTaken(body.email)) throw emailTaken();
      const password_hash = await passwords.hash(body.password);
      const user = await users
        .insert({ id: newObjectId(), username: body.username, email: body.email, password_hash, role: 'analyst' })
        .catch(rethrowConflict);
      return bearer(user);
    },

    async login(body: LoginBody): Promise<Token> {
      // Names are stored normalized; an account from before normalization keeps its exact form.
      const name = normalizeUsername(body.username);
      const user = (await users.findByUsername(name)) ?? (name !== body.username ? await users.findByUsername(body.username) : null);
      // Same work and the same answer whether the name exists or the password is wrong, and
      // for a deactivated account whether its password is right or not (a right one would
      // otherwise tell an attacker holding a stolen password that it works).
      const ok = user ? await passwords.verify(user.password_hash, body.password) : await passwords.verifyDummy(body.password);
      if (!user || !ok || !user.is_active) throw new AppError('AUTH_BAD_CREDENTIALS', 'Invalid username or password');
      if (passwords.needsRehash(user.password_hash)) {
        // The login succeeds even if the upgrade fails; it is retried on the next one.
        try {
          await users.update(user.id, { password_hash: await passwords.hash(body.password) });
        } catch (err) {
          log.warn({ err, userId: user.id }, 'password re-hash failed');
        }
      }
      return bearer(user);
    },

    /** The guard's resolver: token -> current, active user. */
    async authenticate(token: string | undefined): Promise<User> {
      if (!token) throw new AppError('AUTH_REQUIRED', 'Authentication required');
      const { sub, version } = await tokens.verifyToken(token);
      const user = isObjectId(sub) ? await users.findPublicById(sub) : null;
      if (!user) throw new AppError('AUTH_USER_NOT_FOUND', 'User not found');
      if (!user.is_active) throw new AppError('AUTH_ACCOUNT_DEACTIVATED', 'Account is deactivated');
      // Issued before the last password change.
      if (version !== user.token_version) throw new AppError('AUTH_TOKEN_REVOKED', 'Invalid or expired token');
      return toUser(user);
    },

    /** PATCH /v1/auth/me, steps in their fixed order. */
    async updateProfile(userId: string, body: ProfileUpdateBody): Promise<ProfileUpdate> {
      const current = await users.findById(userId);
      if (!current) throw new AppError('AUTH_USER_NOT_FOUND', 'User not found');
      if (!(await passwords.verify(current.password_hash, body.current_password))) {
        throw new AppError('AUTH_WRONG_PASSWORD', 'Current password is incorrect');
      }
      const patch: UserPatch = {};
      if (body.username !== undefined && body.username !== current.username) {
        if (await users.usernameTaken(body.username, current.id)) throw usernameTaken();
        patch.username = body.username;
      }
      if (body.email !== undefined && body.email !== current.email) {
        if (await users.emailTaken(body.email, current.id)) throw emailTaken();
        patch.email = body.email;
      }
      // A new password is hashed even when equal to the old one.
      if (body.password !== undefined) {
        patch.password_hash = await passwords.hash(body.password);
        patch.revokeTokens = true;
      }
      if (Object.keys(patch).length === 0) throw new AppError('VALIDATION_NOTHING_TO_UPDATE', 'No fields to update');

      const updated = await users.update(current.id, patch).catch(rethrowConflict);
      if (!updated) throw new AppError('AUTH_USER_NOT_FOUND', 'User not found');
      const result: ProfileUpdate = { user: toUser(updated), token_type: 'bearer' };
      // The caller's own token was revoked with the others: it gets a fresh one.
      if (patch.username !== undefined || patch.revokeTokens) result.access_token = await tokens.issue(updated);
      return result;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
