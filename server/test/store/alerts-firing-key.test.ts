// A rule grouped by a long normalized field (a command line) makes a long firing key; the
// alert must still be stored once, and a redelivered event must still find it, on PGlite
// and on the PostgreSQL server (whose btree entries hold ~2.7 kB at most).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/store/db.ts';
import { createAlertsRepo, storedFiringKey } from '../../src/store/alerts-repo.ts';
import type { NewAlert } from '../../src/store/alerts-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

/** 4-byte characters that do not compress. */
const longGroup = Array.from({ length: 20_000 }, (_, i) => String.fromCodePoint(0x10000 + ((i * 7919) % 0xf0000))).join('');

function firing(key: string): NewAlert {
  return {
    id: newObjectId(), firing_key: key, rule_id: newObjectId(), rule_name: 'r', severity: 'high', title: 't',
    matched_event_ids: [], matched_event_count: 1, group_value: longGroup, mitre_tactic: null, mitre_technique: null, firedAtMs: Date.now(),
  };
}

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`alert firing keys on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => ({ db, drop } = await openTestDb(kind)));
    after(async () => drop());

    it('stores a firing with a 20,000-character group once, and ignores its redelivery', async () => {
      const alerts = createAlertsRepo(db);
      const key = `rule:${longGroup}:event`;
      const first = await db.transaction((tx) => alerts.insertFiring(tx, firing(key)));
      assert.ok(first);
      assert.equal(first.group_value, longGroup);
      assert.equal(await db.transaction((tx) => alerts.insertFiring(tx, firing(key))), null);
      assert.ok(await db.transaction((tx) => alerts.insertFiring(tx, firing(`${key}2`))), 'another event fires anew');
    });

    it('keeps short keys readable and hashes only long ones', () => {
      assert.equal(storedFiringKey('a:b:c'), 'a:b:c');
      assert.match(storedFiringKey('x'.repeat(300)), /^sha256:[0-9a-f]{64}$/);
    });
  });
}
