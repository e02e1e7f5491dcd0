// Account administration and the operator bootstrap. Every change that could
// remove an active admin runs in a transaction holding row locks on the active admins, so
// two concurrent demotions, deactivations or deletions cannot both pass the last-admin
// guard; the caller's own admin rights are re-read under the same locks.
import type { Page, Role, User } from '@siem/contracts';
import { AppError } from '../errors.ts';
import { isObjectId, newObjectId } from '../lib/object-id.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { UserRecord, UsersRepo } from '../store/users-repo.ts';
import { rethrowConflict, toUser } from './auth.ts';
import type { PasswordHasher } from './passwords.ts';

type Action = 'demote' | 'deactivate' | 'delete';

const userNotFound = () => new AppError('NOT_FOUND', 'User not found');

export function createUserService({ db, users, passwords }: { db: Db; users: UsersRepo; passwords: PasswordHasher }) {
  /** The target row, or 404 (a malformed id names no record either). */
  async function target(id: string, q: Queryable): Promise<UserRecord> {
    const user = isObjectId(id) ? await users.findById(id, q) : null;
    if (!user) throw userNotFound();
    return user;
  }

  /**
   * Runs `change` after the 404 and 403 checks, under the active-admin row locks when the
   * change takes an active admin away. Order: target (404), then the guards.
   */
  async function guarded<T>(actorId: string, targetId: string, action: Action, change: (tx: Queryable, user: UserRecord) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => {
      const user = await target(targetId, tx);
      if (actorId === user.id && action === 'deactivate') throw new AppError('FORBIDDEN_SELF_ACTION', 'Cannot deactivate your own account');
      if (actorId === user.id && action === 'delete') throw new AppError('FORBIDDEN_SELF_ACTION', 'Cannot delete your own account');
      if (user.role === 'admin' && user.is_active) {
        const admins = await users.lockActiveAdmins(tx);
        // Re-read under the lock: a concurrent request may have just changed this admin.
        const locked = await target(targetId, tx);
        if (locked.role === 'admin' && locked.is_active && admins.length <= 1) {
          const verb = { demote: 'demote', deactivate: 'deactivate', delete: 'delete' }[action];
          throw new AppError('FORBIDDEN_LAST_ADMIN', `Cannot ${verb} the last admin`);
        }
        // The caller was checked before the transaction; a concurrent request may have
        // demoted or deactivated them since.
        if (!admins.includes(actorId)) throw new AppError('FORBIDDEN_ROLE', 'Insufficient permissions');
        return change(tx, locked);
      }
      return change(tx, user);
    });
  }

  const mustExist = (user: UserRecord | null): User => {
    if (!user) throw userNotFound();
    return toUser(user);
  };

  return {
    async list(query: { page: number; per_page: number }): Promise<Page<User>> {
      const [rows, total] = await Promise.all([users.list((query.page - 1) * query.per_page, query.per_page), users.count()]);
      return { items: rows.map(toUser), total, page: query.page, per_page: query.per_page, pages: total === 0 ? 0 : Math.ceil(total / query.per_page) };
    },

    async get(id: string): Promise<User> {
      return toUser(await target(id, db));
    },

    async setRole(actorId: string, targetId: string, role: Role): Promise<User> {
      if (role === 'admin') return mustExist(await users.update((await target(targetId, db)).id, { role }));
      return guarded(actorId, targetId, 'demote', async (tx, user) => mustExist(await users.update(user.id, { role }, tx)));
    },

    async deactivate(actorId: string, targetId: string): Promise<User> {
      return guarded(actorId, targetId, 'deactivate', async (tx, user) =>
        user.is_active ? mustExist(await users.update(user.id, { is_active: false }, tx)) : toUser(user),
      );
    },

    async activate(targetId: string): Promise<User> {
      const user = await target(targetId, db);
      // v1's 404 is kept here (a known oddity).
      if (user.is_active) throw new AppError('USER_ALREADY_ACTIVE', 'User is already active');
      return mustExist(await users.update(user.id, { is_active: true }));
    },

    async remove(actorId: string, targetId: string): Promise<{ deleted: true }> {
      return guarded(actorId, targetId, 'delete', async (tx, user) => {
        await users.remove(user.id, tx);
        return { deleted: true as const };
      });
    },

    /**
     * Start step: gives accounts made before look-alike checks existed their skeleton. An
     * account that looks like an older one keeps none (it can still sign in) and is
     * returned, so the operator can rename or remove it.
     */
    async backfillSkeletons(): Promise<string[]> {
      const colliding: string[] = [];
      for (const user of await users.withoutSkeleton()) {
        if (!(await users.setSkeleton(user.id))) colliding.push(user.username);
      }
      return colliding;
    },

    /** Whether any active admin exists (the server tells the operator how to create one). */
    async hasActiveAdmin(): Promise<boolean> {
      return (await users.countActiveAdmins()) > 0;
    },

    /**
     * Operator bootstrap: gives `role` (admin unless told otherwise) to the account whose
     * username or email matches, re-activating it, or creates a new account with that role
     * and the given password. Taking admin from the last active admin is refused.
     */
    async createOrPromoteAdmin(input: { username: string; email: string; password?: string | undefined }, role: Role = 'admin'): Promise<{ user: User; created: boolean }> {
      return db.transaction(async (tx) => {
        const matches = await users.findByNameOrEmail(input.username, input.email, tx);
        if (matches.length > 1) {
          throw new AppError('CONFLICT_DUPLICATE', `The username and the email belong to two different accounts (${matches.map((m) => m.username).join(', ')})`);
        }
        const existing = matches[0];
        if (existing) {
          if (existing.role === 'admin' && existing.is_active && role !== 'admin' && (await users.lockActiveAdmins(tx)).length <= 1) {
            throw new AppError('FORBIDDEN_LAST_ADMIN', 'Cannot demote the last admin');
          }
          return { user: mustExist(await users.update(existing.id, { role, is_active: true }, tx)), created: false };
        }
        if (input.password === undefined) throw new AppError('VALIDATION_FAILED', 'A password is required to create a new account');
        const password_hash = await passwords.hash(input.password);
        const user = await users
          .insert({ id: newObjectId(), username: input.username, email: input.email, password_hash, role }, tx)
          .catch(rethrowConflict);
        return { user: toUser(user), created: true };
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
