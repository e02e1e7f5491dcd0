// The delivery queue on both stores: claims never hand one delivery to two workers (SKIP
// LOCKED), a lease that ends returns a delivery to the queue, retries wait their delay,
// and a channel's deletion takes its deliveries and attempts with it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import type { NotifyAlert } from '../../src/engine/notify/index.ts';
import type { Db } from '../../src/store/db.ts';
import { createNotificationsRepo } from '../../src/store/notifications-repo.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

const alert = (id: string): NotifyAlert => ({
  id, title: 't', severity: 'high', status: 'new', group_value: null, rule_id: newObjectId(), rule_name: 'r',
  mitre_tactic: null, mitre_technique: null, matched_event_count: 1, fired_at: new Date().toISOString(), url: `http://x/alerts/${id}`,
});

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`notification queue on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => ({ db, drop } = await openTestDb(kind)));
    after(async () => drop());

    it('concurrent claims share the due deliveries without overlap', async () => {
      const repo = createNotificationsRepo(db);
      const ch = await repo.insertChannel({ id: newObjectId(), name: 'c1', kind: 'slack', enabled: true, config: { url: 'http://127.0.0.1:9/x' }, routing: { min_severity: 'info', rule_ids: [], tactics: [], tags: [] }, template: '', created_by: null });
      const items = Array.from({ length: 30 }, () => ({ id: newObjectId(), channelId: ch.id, alert: alert(newObjectId()) }));
      assert.equal(await db.transaction((tx) => repo.enqueue(tx, items)), 30);
      assert.equal(await repo.queued(), 30);
      const claims = await Promise.all([repo.claim(12, 60_000), repo.claim(12, 60_000), repo.claim(12, 60_000)]);
      const ids = claims.flat().map((d) => d.id);
      assert.equal(ids.length, 30);
      assert.equal(new Set(ids).size, 30);
      assert.equal((await repo.claim(10, 60_000)).length, 0, 'leased deliveries are not claimed again');
    });

    it('a retry waits its delay; an ended lease returns a delivery; deleting the channel removes its deliveries', async () => {
      const repo = createNotificationsRepo(db);
      const ch = await repo.insertChannel({ id: newObjectId(), name: 'c2', kind: 'slack', enabled: true, config: { url: 'http://127.0.0.1:9/x' }, routing: { min_severity: 'info', rule_ids: [], tactics: [], tags: [] }, template: '', created_by: null });
      const [a, b] = [newObjectId(), newObjectId()];
      await db.transaction((tx) => repo.enqueue(tx, [{ id: a, channelId: ch.id, alert: alert(newObjectId()) }, { id: b, channelId: ch.id, alert: alert(newObjectId()) }]));
      // Earlier channel's leased rows stay out of the way (60 s lease).
      const claimed = await repo.claim(10, 1);
      assert.deepEqual(claimed.map((d) => d.id).sort(), [a, b].sort());
      await repo.finishAttempt({ deliveryId: a, ok: false, status_code: 503, error: 'HTTP 503', latency_ms: 3 }, { status: 'pending', retryInMs: 60_000 });
      await new Promise((r) => setTimeout(r, 20));
      const again = await repo.claim(10, 60_000);
      assert.deepEqual(again.map((d) => d.id), [b], 'the lease of b ended; a waits for its retry');
      const [listed] = (await repo.listDeliveries({ channelId: ch.id, limit: 10 })).filter((d) => d.id === a);
      assert.equal(listed!.attempt_count, 1);
      assert.equal(listed!.attempts[0]!.status_code, 503);
      assert.ok(listed!.next_attempt_at);
      assert.equal(await repo.removeChannel(ch.id), true);
      assert.equal((await repo.listDeliveries({ channelId: ch.id, limit: 10 })).length, 0);
    });
  });
}
