// Migration 007 on a store with accounts: they get their username skeleton at the next
// start (look-alikes made before it existed are reported, not lost), and from then on the
// unique index refuses look-alikes however registrations race.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createAuthService } from '../../src/services/auth.ts';
import { createPasswordHasher } from '../../src/services/passwords.ts';
import { createTokenService } from '../../src/services/tokens.ts';
import { createUserService } from '../../src/services/users.ts';
import { openDb } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { createUsersRepo } from '../../src/store/users-repo.ts';

describe('username skeletons', () => {
  it('are computed for the accounts of an older store; an older look-alike is reported', async () => {
    const db = await openDb({ dataDir: ':memory:' });
    try {
      await migrate(db, loadMigrations().filter((m) => m.version < '007'));
      const insert = (id: string, username: string) =>
        db.query("INSERT INTO users (id, username, email, password_hash, role) VALUES ($1, $2, $3, 'x', 'analyst')", [id, username, `${id}@example.com`]);
      await insert('0000000000000000000000a1', 'admin1');
      await insert('0000000000000000000000a2', '\u0430dmin1');
      await insert('0000000000000000000000a3', 'carol');
      await migrate(db);

      const users = createUsersRepo(db);
      const service = createUserService({ db, users, passwords: createPasswordHasher() });
      assert.deepEqual(await service.backfillSkeletons(), ['\u0430dmin1']);
      const { rows } = await db.query<{ username: string; username_skeleton: string | null }>('SELECT username, username_skeleton FROM users ORDER BY id');
      assert.deepEqual(rows.map((r) => r.username_skeleton === null), [false, true, false]);
      // A second start has nothing new to do and reports the same account.
      assert.deepEqual(await service.backfillSkeletons(), ['\u0430dmin1']);

      const auth = createAuthService({
        users, passwords: createPasswordHasher(), log: pino({ level: 'silent' }), registrationEnabled: true,
        tokens: createTokenService({ secret: 's'.repeat(40), expirationHours: 1 }),
      });
      // Concurrent look-alike registrations: exactly one wins.
      const names = ['dave', 'DAVE', 'd\u0430ve', '\uff44\uff41\uff56\uff45'];
      const results = await Promise.allSettled(names.map((username, i) => auth.register({ username, email: `dave${i}@example.com`, password: 'password123' })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'CONFLICT_USERNAME');
    } finally {
      await db.close();
    }
  });
});
