// Shipped rules across releases: the first start installs them all; a later start installs
// only the keys a release added, never one the admin deleted; an installation from before
// per-key tracking gets the rules added since its release.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { DEFAULT_RULES } from '../../src/scenarios/default-rules.ts';
import { createDefaultRulesService } from '../../src/services/default-rules.ts';
import { createAppStateRepo } from '../../src/store/app-state-repo.ts';
import type { Db } from '../../src/store/db.ts';
import { createRuleAuditRepo } from '../../src/store/rule-audit-repo.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb, type StoreKind } from '../helpers/store.ts';

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`shipped rules across releases (${kind})`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => ({ db, drop } = await openTestDb(kind)));
    after(async () => drop());

    const service = () =>
      createDefaultRulesService({ db, rules: createRulesRepo(db), audit: createRuleAuditRepo(db), appState: createAppStateRepo(db), log: pino({ level: 'silent' }), onChange: () => {} });
    const count = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM correlation_rules WHERE builtin_key IS NOT NULL')).rows[0]!.n);

    it('installs all at first start, nothing at the next, and never re-creates a deleted one', async () => {
      assert.equal(await service().installOnce(), DEFAULT_RULES.length);
      assert.equal(await service().installOnce(), 0);
      const victim = DEFAULT_RULES.at(-1)!.key;
      await db.query('DELETE FROM correlation_rules WHERE builtin_key = $1', [victim]);
      assert.equal(await service().installOnce(), 0);
      assert.equal(await count(), DEFAULT_RULES.length - 1);
    });

    it('an installation that predates per-key tracking receives the rules added since, once', async () => {
      await db.query('DELETE FROM correlation_rules');
      await db.query("DELETE FROM app_state WHERE key = 'default_rules_offered'");
      // Such an installation holds the first release's rules (here: an admin deleted one of them).
      const first = (await import('../../src/services/default-rules.ts')).FIRST_RELEASE_KEYS;
      const added = DEFAULT_RULES.filter((r) => !first.includes(r.key)).length;
      assert.ok(added > 0, 'this release ships rules the first did not');
      assert.equal(await service().installOnce(), added);
      assert.equal(await service().installOnce(), 0);
      assert.equal(await count(), added);
    });
  });
}
