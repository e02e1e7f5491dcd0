// The lists repository on both stores: insert and read back (items in order, counted in
// SQL), listing without items, partial updates, unique names (23505), removal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { sqlState } from '../../src/store/db.ts';
import { createListsRepo } from '../../src/store/lists-repo.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`lists repository on ${kind}`, { skip: kind === 'postgres' && skipWithoutPostgres }, () => {
    it('stores a list, reads it by id and name, updates parts of it and removes it', async () => {
      const { db, drop } = await openTestDb(kind);
      try {
        const repo = createListsRepo(db);
        const id = newObjectId();
        const created = await repo.insert({ id, name: 'scanners', kind: 'ip', description: 'known scanners', items: ['10.0.0.0/8', '2001:db8::1'], created_by: 'eve' });
        assert.equal(created.item_count, 2);
        assert.deepEqual(created.items, ['10.0.0.0/8', '2001:db8::1']);
        assert.equal(created.created_by, 'eve');
        assert.equal(created.updated_by, 'eve');
        assert.match(created.created_at, /^\d{4}-\d\d-\d\dT/);

        assert.deepEqual((await repo.findByName('scanners'))?.id, id);
        assert.equal(await repo.findByName('nope'), null);
        assert.equal(await repo.findById(newObjectId()), null);

        await repo.insert({ id: newObjectId(), name: 'admins', kind: 'user', description: '', items: [], created_by: null });
        const heads = await repo.list();
        assert.deepEqual(heads.map((h) => [h.name, h.item_count]), [['admins', 0], ['scanners', 2]]);
        assert.equal('items' in heads[0]!, false);
        assert.equal(await repo.count(), 2);
        assert.deepEqual(await repo.contents(), [
          { name: 'admins', kind: 'user', items: [] },
          { name: 'scanners', kind: 'ip', items: ['10.0.0.0/8', '2001:db8::1'] },
        ]);

        const described = await repo.update(id, { description: 'edited', updated_by: 'mallory' });
        assert.equal(described?.description, 'edited');
        assert.deepEqual(described?.items, ['10.0.0.0/8', '2001:db8::1']);
        assert.equal(described?.updated_by, 'mallory');
        const replaced = await repo.update(id, { items: ['192.0.2.1'], updated_by: 'eve' }, db);
        assert.deepEqual(replaced?.items, ['192.0.2.1']);
        assert.equal(replaced?.description, 'edited');
        assert.equal(await repo.update(newObjectId(), { items: [], updated_by: null }), null);

        await assert.rejects(
          repo.insert({ id: newObjectId(), name: 'scanners', kind: 'text', description: '', items: [], created_by: null }),
          (err: unknown) => sqlState(err) === '23505',
        );
        await assert.rejects(
          db.query("INSERT INTO lists (id, name, kind) VALUES ('x', 'badkind', 'colour')"),
          (err: unknown) => sqlState(err) === '23514',
        );

        const locked = await db.transaction(async (tx) => repo.findById(id, tx, { forUpdate: true }));
        assert.equal(locked?.name, 'scanners');
        assert.equal(await repo.remove(id), true);
        assert.equal(await repo.remove(id), false);
        assert.equal(await repo.count(), 1);
      } finally {
        await drop();
      }
    });
  });
}
