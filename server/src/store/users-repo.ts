// users: lookups by id, exact username and case-insensitive name or email, newest-first
// pages, inserts and partial updates, and the row locks the last-admin guard takes. Every
// function takes an optional transaction. A username's confusable skeleton is written with
// it, so the unique index refuses look-alikes however they race.
import type { Role } from '@siem/contracts';
import { usernameSkeleton } from '../lib/username-skeleton.ts';
import type { Queryable } from './db.ts';
import { sqlState } from './db.ts';

export interface UserRecord {
  id: string;
  username: string;
  email: string;
  role: Role;
  is_active: boolean;
  password_hash: string;
  token_version: number;
  created_at: Date;
}

export interface NewUser {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  role: Role;
}

export type UserPatch = Partial<Pick<UserRecord, 'username' | 'email' | 'password_hash' | 'role' | 'is_active'>> & {
  /** Increment the token version: every token issued before is refused. */
  revokeTokens?: boolean;
};

const COLUMNS = 'id, username, email, role, is_active, password_hash, token_version, created_at';
const PATCHABLE = ['username', 'email', 'password_hash', 'role', 'is_active'] as const;

/** Which unique rule a failed insert or update broke (SQLSTATE 23505 + index name). */
export function uniqueViolation(err: unknown): 'username' | 'email' | undefined {
  if (sqlState(err) !== '23505') return undefined;
  const constraint = (err as { constraint?: unknown }).constraint;
  if (constraint === 'users_username_lower_key' || constraint === 'users_username_skeleton_key') return 'username';
  if (constraint === 'users_email_lower_key') return 'email';
  return undefined;
}

export function createUsersRepo(db: Queryable) {
  const one = async (sql: string, params: unknown[], q: Queryable): Promise<UserRecord | null> =>
    (await q.query<UserRecord>(sql, params)).rows[0] ?? null;

  return {
    findById: (id: string, q: Queryable = db) => one(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id], q),

    /**
     * The public fields only: the access guard runs this on every protected request, and
     * leaving out the hash and the timestamp makes it markedly cheaper on PGlite.
     */
    async findPublicById(id: string, q: Queryable = db): Promise<Omit<UserRecord, 'password_hash' | 'created_at'> | null> {
      const { rows } = await q.query<Omit<UserRecord, 'password_hash' | 'created_at'>>(
        'SELECT id, username, email, role, is_active, token_version FROM users WHERE id = $1',
        [id],
      );
      return rows[0] ?? null;
    },

    /** Login lookup: exact match, served by the lower(username) index. */
    findByUsername: (username: string, q: Queryable = db) =>
      one(`SELECT ${COLUMNS} FROM users WHERE lower(username) = lower($1) AND username = $1`, [username], q),

    /** Uniqueness probes: a name is taken by any account whose name looks like it. */
    async usernameTaken(username: string, exceptId?: string, q: Queryable = db): Promise<boolean> {
      const { rows } = await q.query(
        'SELECT 1 FROM users WHERE (username_skeleton = $1 OR lower(username) = lower($2)) AND id <> $3',
        [usernameSkeleton(username), username, exceptId ?? ''],
      );
      return rows.length > 0;
    },

    async emailTaken(email: string, exceptId?: string, q: Queryable = db): Promise<boolean> {
      const { rows } = await q.query('SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2', [email, exceptId ?? '']);
      return rows.length > 0;
    },

    /** Accounts whose name or email matches, case-insensitively (operator bootstrap). */
    async findByNameOrEmail(username: string, email: string, q: Queryable = db): Promise<UserRecord[]> {
      const { rows } = await q.query<UserRecord>(
        `SELECT ${COLUMNS} FROM users WHERE lower(username) = lower($1) OR lower(email) = lower($2) ORDER BY created_at`,
        [username, email],
      );
      return rows;
    },

    async list(offset: number, limit: number, q: Queryable = db): Promise<UserRecord[]> {
      const { rows } = await q.query<UserRecord>(
        `SELECT ${COLUMNS} FROM users ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT $2`,
        [offset, limit],
      );
      return rows;
    },

    async count(q: Queryable = db): Promise<number> {
      const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      return rows[0]?.n ?? 0;
    },

    async countActiveAdmins(q: Queryable = db): Promise<number> {
      const { rows } = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND is_active");
      return rows[0]?.n ?? 0;
    },

    /**
     * Locks the active admins' rows until the transaction ends and returns their ids. A
     * concurrent demotion waits here, then re-reads the rows, so it counts what the first
     * one committed.
     */
    async lockActiveAdmins(q: Queryable): Promise<string[]> {
      const { rows } = await q.query<{ id: string }>(
        "SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE",
      );
      return rows.map((r) => r.id);
    },

    async insert(user: NewUser, q: Queryable = db): Promise<UserRecord> {
      const { rows } = await q.query<UserRecord>(
        `INSERT INTO users (id, username, email, password_hash, role, username_skeleton) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [user.id, user.username, user.email, user.password_hash, user.role, usernameSkeleton(user.username)],
      );
      return rows[0]!;
    },

    /** Applies the given fields (an empty patch only reads the row); null when no such user. */
    async update(id: string, patch: UserPatch, q: Queryable = db): Promise<UserRecord | null> {
      const sets: string[] = [];
      const params: unknown[] = [id];
      for (const key of PATCHABLE) {
        if (patch[key] === undefined) continue;
        params.push(patch[key]);
        sets.push(`${key} = $${params.length}`);
      }
      if (patch.username !== undefined) {
        params.push(usernameSkeleton(patch.username));
        sets.push(`username_skeleton = $${params.length}`);
      }
      if (patch.revokeTokens) sets.push('token_version = token_version + 1');
      if (sets.length === 0) return one(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id], q);
      return one(`UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, params, q);
    },

    /** Accounts made before skeletons existed (or whose skeleton collided): id and name. */
    async withoutSkeleton(q: Queryable = db): Promise<{ id: string; username: string }[]> {
      const { rows } = await q.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE username_skeleton IS NULL ORDER BY created_at, id');
      return rows;
    },

    /** false when another account already holds that skeleton. */
    async setSkeleton(id: string, q: Queryable = db): Promise<boolean> {
      const user = await one(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id], q);
      if (!user) return true;
      try {
        await q.query('UPDATE users SET username_skeleton = $2 WHERE id = $1', [id, usernameSkeleton(user.username)]);
        return true;
      } catch (err) {
        if (uniqueViolation(err) === 'username') return false;
        throw err;
      }
    },

    async remove(id: string, q: Queryable = db): Promise<boolean> {
      return (await q.query('DELETE FROM users WHERE id = $1', [id])).rowCount > 0;
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
