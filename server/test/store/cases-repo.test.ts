// The case tables on both stores: older alert history rows read as status changes, the
// store refuses a closed case without a resolution (and the reverse), removing an account
// clears its assignments but keeps the trail, and text filters take LIKE characters literally.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/store/db.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createCasesRepo } from '../../src/store/cases-repo.ts';
import { createUsersRepo } from '../../src/store/users-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';
import { insertAlert } from '../helpers/cases.ts';

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`case tables on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const carol = { id: newObjectId(), username: 'carol' };
    before(async () => {
      ({ db, drop } = await openTestDb(kind));
      await createUsersRepo(db).insert({ ...carol, email: 'carol@example.com', password_hash: 'x', role: 'analyst' });
    });
    after(async () => drop());

    it('reads a history row written without kind as a status change', async () => {
      const a = await insertAlert(db);
      await db.query("INSERT INTO alert_history (alert_id, from_status, to_status, by_username) VALUES ($1, 'new', 'resolved', 'old')", [a.id]);
      const h = await createAlertsRepo(db).history(a.id);
      assert.deepEqual(h.map((e) => [e.kind, e.from, e.to, e.from_value, e.to_value]), [
        ['status', null, 'new', null, null],
        ['status', 'new', 'resolved', null, null],
      ]);
    });

    it('ties the resolution to the closed status', async () => {
      const cases = createCasesRepo(db);
      const id = newObjectId();
      await db.transaction((tx) => cases.insert(tx, { id, title: 't', description: '', severity: 'low', assignee_id: null, created_by: 'carol', nowMs: Date.now() }));
      await assert.rejects(db.query("UPDATE cases SET status = 'closed' WHERE id = $1", [id]));
      await assert.rejects(db.query("UPDATE cases SET resolution = 'benign' WHERE id = $1", [id]));
      await db.query("UPDATE cases SET status = 'closed', resolution = 'benign' WHERE id = $1", [id]);
    });

    it('clears the assignments of a removed account and keeps who did what', async () => {
      const cases = createCasesRepo(db);
      const id = newObjectId();
      const a = await insertAlert(db);
      await db.transaction(async (tx) => {
        await cases.insert(tx, { id, title: 'Gone', description: '', severity: 'low', assignee_id: carol.id, created_by: 'carol', nowMs: Date.now() });
        await cases.addTimeline(tx, id, [{ kind: 'created', to: 'Gone' }], 'carol', Date.now());
      });
      await db.query('UPDATE alerts SET assignee_id = $1 WHERE id = $2', [carol.id, a.id]);
      assert.equal((await cases.findById(id))!.assignee, 'carol');
      assert.equal((await createAlertsRepo(db).findById(a.id))!.assignee, 'carol');
      await db.query('DELETE FROM users WHERE id = $1', [carol.id]);
      assert.equal((await cases.findById(id))!.assignee, null);
      assert.equal((await createAlertsRepo(db).findById(a.id))!.assignee, null);
      assert.equal((await cases.timeline(id, 0, 10)).items[0]!.by, 'carol');
    });

    it('matches text filters literally', async () => {
      const cases = createCasesRepo(db);
      const id = newObjectId();
      await db.transaction((tx) => cases.insert(tx, { id, title: '100% phish_ing', description: '', severity: 'low', assignee_id: null, created_by: 'x', nowMs: Date.now() }));
      assert.deepEqual((await cases.list({ text: '100%' }, 0, 10)).items.map((c) => c.id), [id]);
      assert.equal((await cases.list({ text: 'phish%ing' }, 0, 10)).total, 0);
      assert.equal((await cases.list({ text: '_' }, 0, 10)).total, 1);
    });
  });
}
