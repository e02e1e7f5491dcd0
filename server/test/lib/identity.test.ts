// Identity building blocks: ids that reveal nothing about the next one, the confusable
// skeleton of usernames, and the signing secret generated when SECRET_KEY is unset (a 0600
// file with the embedded store, one shared row with a PostgreSQL server).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isObjectId, newObjectId } from '../../src/lib/object-id.ts';
import { usernameSkeleton } from '../../src/lib/username-skeleton.ts';
import { loadSecret, SECRET_FILE } from '../../src/services/secret.ts';
import { createAppStateRepo } from '../../src/store/app-state-repo.ts';
import { openTestDb } from '../helpers/store.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';

describe('object ids', () => {
  it('keep the 24-hex shape with the creation second first, and 64 fresh random bits each', () => {
    const now = Date.UTC(2026, 2, 1, 12, 0, 0);
    const ids = Array.from({ length: 2000 }, () => newObjectId(now));
    assert.ok(ids.every(isObjectId));
    assert.ok(ids.every((id) => id.slice(0, 8) === (now / 1000).toString(16)));
    assert.equal(new Set(ids).size, ids.length);
    // No shared middle part and no counter: consecutive ids differ in about half their random bits.
    assert.equal(new Set(ids.map((id) => id.slice(8, 18))).size, ids.length);
    let differing = 0;
    for (let i = 1; i < ids.length; i++) {
      const a = BigInt(`0x${ids[i - 1]!.slice(8)}`);
      const b = BigInt(`0x${ids[i]!.slice(8)}`);
      differing += (a ^ b).toString(2).replace(/0/g, '').length;
    }
    const mean = differing / (ids.length - 1);
    assert.ok(mean > 28 && mean < 36, `mean differing bits ${mean}`);
    // Still ordered by second.
    assert.ok(newObjectId(now + 1000) > newObjectId(now));
  });
});

describe('username skeleton', () => {
  const same = ['admin1', 'Admin1', 'ADMIN1', '\u0430dmin1', 'adm\u0456n1', '\uff41\uff44\uff4d\uff49\uff4e\uff11', 'admIn1', 'adminl', 'adm\u0131n1', '\u0391DMIN1', '\u0410DMIN1', 'admi\u0301n1', 'admin\u00b9', '\ud835\udc1a\ud835\udc1d\ud835\udc26\ud835\udc22\ud835\udc27\ud835\udfcf'];
  it('maps case, width, styled, Cyrillic and Greek look-alikes and 1/l/I onto one form', () => {
    for (const name of same) assert.equal(usernameSkeleton(name), usernameSkeleton('admin1'), JSON.stringify(name));
    assert.equal(usernameSkeleton('r00t'), usernameSkeleton('root'));
    assert.equal(usernameSkeleton('rnallory'), usernameSkeleton('mallory'));
    assert.equal(usernameSkeleton('\u03b7ick'), usernameSkeleton('nick'), 'Greek eta reads as n');
    assert.equal(usernameSkeleton('\u0397ANK'), usernameSkeleton('hank'), 'Greek capital Eta reads as H');
  });

  it('keeps different-looking names apart', () => {
    for (const [a, b] of [['admin1', 'admin2'], ['alice', 'alicia'], ['bob', 'b0bby'], ['analyst', 'analysts'], ['\u0436\u0443\u043a', 'zhuk']]) {
      assert.notEqual(usernameSkeleton(a!), usernameSkeleton(b!), `${a} / ${b}`);
    }
  });
});

describe('generated signing secret', () => {
  const appStateUnused = { claim: async () => false, get: async () => undefined } as unknown as ReturnType<typeof createAppStateRepo>;

  it('without SECRET_KEY and with a data directory: generated once into a 0600 file, the same at the next start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-secret-'));
    try {
      const first = await loadSecret({ configured: undefined, databaseUrl: undefined, dataDir: dir, appState: appStateUnused });
      assert.equal(first.source, 'file');
      assert.ok(first.secret.length >= 32);
      const file = path.join(dir, SECRET_FILE);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const again = await loadSecret({ configured: undefined, databaseUrl: undefined, dataDir: dir, appState: appStateUnused });
      assert.equal(again.secret, first.secret);
      // A file left readable by others is tightened.
      fs.chmodSync(file, 0o644);
      await loadSecret({ configured: undefined, databaseUrl: undefined, dataDir: dir, appState: appStateUnused });
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      // Another installation gets another secret.
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-secret-'));
      assert.notEqual((await loadSecret({ configured: undefined, databaseUrl: undefined, dataDir: other, appState: appStateUnused })).secret, first.secret);
      fs.rmSync(other, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a configured SECRET_KEY wins; a throw-away store gets a throw-away secret', async () => {
    assert.deepEqual(await loadSecret({ configured: 'k'.repeat(40), databaseUrl: undefined, dataDir: ':memory:', appState: appStateUnused }), { secret: 'k'.repeat(40), source: 'config' });
    const a = await loadSecret({ configured: undefined, databaseUrl: undefined, dataDir: ':memory:', appState: appStateUnused });
    const b = await loadSecret({ configured: undefined, databaseUrl: undefined, dataDir: ':memory:', appState: appStateUnused });
    assert.equal(a.source, 'memory');
    assert.notEqual(a.secret, b.secret);
  });

  it('with a PostgreSQL server: processes starting together agree on one secret kept in the database', { skip: skipWithoutPostgres }, async () => {
    const { db, drop } = await openTestDb('postgres');
    try {
      const appState = createAppStateRepo(db);
      const opts = { configured: undefined, databaseUrl: 'postgres://shared', dataDir: '/nonexistent/dir', appState };
      const results = await Promise.all(Array.from({ length: 6 }, () => loadSecret(opts)));
      assert.ok(results.every((r) => r.source === 'database' && r.secret === results[0]!.secret));
      assert.ok(results[0]!.secret.length >= 32);
    } finally {
      await drop();
    }
  });
});
