// The threat-intel repository on both stores: lists with their import outcome, batched
// upserts (new and refreshed rows), paged search, the matcher's keyset load (expired and
// disabled left out), replacing what an import did not see, pruning and the version counter.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createIntelRepo, UPSERT_BATCH } from '../../src/store/intel-repo.ts';
import type { IndicatorWrite } from '../../src/store/intel-repo.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

const list = (name: string) => ({
  id: newObjectId(), name, description: '', source: 'test feed', default_confidence: 60,
  feed_kind: 'manual' as const, path: null, format: null, enabled: true, created_by: 'eve',
});

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`threat-intel repository on ${kind}`, { skip: kind === 'postgres' && skipWithoutPostgres }, () => {
    it('upserts indicators in batches, pages and searches them, loads the unexpired ones of enabled lists', async () => {
      const { db, drop } = await openTestDb(kind);
      try {
        const repo = createIntelRepo(db);
        const a = await repo.insertList(list('bad ips'));
        const b = await repo.insertList({ ...list('off'), enabled: false });
        const n = UPSERT_BATCH + 10;
        const items: IndicatorWrite[] = Array.from({ length: n }, (_, i) => ({
          type: 'ip', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, source: null, confidence: 70, expiresMs: null,
        }));
        items.push({ type: 'domain', value: 'evil.example', source: 'x', confidence: 90, expiresMs: Date.now() + 3_600_000 });
        items.push({ type: 'domain', value: 'old.example', source: 'x', confidence: 90, expiresMs: Date.now() - 3_600_000 });
        const t1 = new Date();
        assert.equal(await repo.upsertIndicators(a.id, items, t1), n + 2);
        await repo.upsertIndicators(b.id, [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', source: null, confidence: 1, expiresMs: null }], t1);
        await repo.recordImport(a.id, { at: t1.toISOString(), format: 'csv', imported: n + 2, rejected: 0, truncated: 0, duration_ms: 1, errors: [] });
        const stored = (await repo.findList(a.id))!;
        assert.equal(stored.indicator_count, n + 2);
        assert.equal(stored.last_import?.imported, n + 2);

        const page = await repo.page(a.id, { q: 'EVIL', offset: 0, limit: 10 });
        assert.deepEqual(page.items.map((i) => i.value), ['evil.example']);
        assert.equal(page.total, 1);
        assert.match(page.items[0]!.expires_at!, /Z$/);
        assert.equal((await repo.page(a.id, { type: 'ip', offset: 0, limit: 5 })).total, n);
        assert.equal((await repo.page(a.id, { q: '10.0.0.%', offset: 0, limit: 5 })).total, 0, 'LIKE wildcards are literal');

        const loaded = [];
        for (let after = 0; ; ) {
          const rows = await repo.loadPage(after, 2000);
          if (rows.length === 0) break;
          loaded.push(...rows);
          after = rows[rows.length - 1]!.seq;
        }
        assert.equal(loaded.filter((r) => r.list_id === a.id).length, n + 1, 'expired indicators are not loaded');
        assert.equal(loaded.length, n + 2, 'indicators of disabled lists are loaded (the matcher leaves them out)');
        assert.ok(loaded.find((r) => r.value === 'evil.example')!.expires_ms! > Date.now());

        // Refresh one, and replace: what was not seen again goes.
        const t2 = new Date(t1.getTime() + 1000);
        await repo.upsertIndicators(a.id, [{ type: 'domain', value: 'evil.example', source: 'y', confidence: 95, expiresMs: null }], t2);
        const refreshed = (await repo.findIndicator(a.id, 'domain', 'evil.example'))!;
        assert.equal(refreshed.source, 'y');
        assert.equal(refreshed.expires_at, null);
        assert.notEqual(refreshed.first_seen, refreshed.last_seen);
        assert.equal(await repo.removeUnseen(a.id, t2), n + 1);
        assert.equal(await repo.pruneExpired(new Date()), 0);
        assert.deepEqual(await repo.removeIndicator(a.id, refreshed.id), { type: 'domain', value: 'evil.example' });
        assert.equal(await repo.removeIndicator(a.id, 'not-a-number'), null);

        const v = await repo.version();
        assert.equal(await repo.bumpVersion(), v + 1);
        assert.equal(await repo.removeList(a.id), true);
        assert.equal((await repo.lists()).length, 1);
      } finally {
        await drop();
      }
    });

    it('prunes indicators expired before a time and recounts the lists', async () => {
      const { db, drop } = await openTestDb(kind);
      try {
        const repo = createIntelRepo(db);
        const a = await repo.insertList(list('p'));
        const now = Date.now();
        await repo.upsertIndicators(a.id, [
          { type: 'ip', value: '192.0.2.1', source: null, confidence: 1, expiresMs: now - 10_000 },
          { type: 'ip', value: '192.0.2.2', source: null, confidence: 1, expiresMs: now + 10_000 },
        ], new Date());
        assert.equal(await repo.pruneExpired(new Date(now)), 1);
        assert.equal((await repo.findList(a.id))!.indicator_count, 1);
      } finally {
        await drop();
      }
    });
  });
}
