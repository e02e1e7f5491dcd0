// From alert to queued delivery: routing (severity, rule, tactic, tag), the alerts stream
// read through the dispatcher's "notify" consumer group, a queue that survives a restart and
// is bounded, a dead consumer's message taken over on Redis, and the start-up catch-up of
// alerts stored but never queued. Transports and retries: notify-delivery.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STREAMS } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { createRedisBus } from '../../src/bus/redis-bus.ts';
import { NOTIFY_GROUP } from '../../src/services/notify/dispatcher.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createChannelService } from '../../src/services/notify/channels.ts';
import { createNotifyDispatcher } from '../../src/services/notify/dispatcher.ts';
import { createNotifyWorker } from '../../src/services/notify/worker.ts';
import { toAlertFeedItem } from '../../src/services/alert-feed.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { waitFor } from '../helpers/detection.ts';
import { REDIS_URL, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { BASE, addAlert, addChannel, db, deliveriesOf, log, received, receiverUrl, repo, setup, useNotifyFixture } from '../helpers/notify.ts';

useNotifyFixture();

describe('notification dispatch', () => {
  it('routing: only the channels whose filters hold get a delivery', async () => {
    const { dispatcher } = setup();
    const high = await addChannel('slack', { url: `${receiverUrl}/r1` }, { routing: { min_severity: 'high', rule_ids: [], tactics: [], tags: [] } });
    const persistence = await addChannel('slack', { url: `${receiverUrl}/r2` }, { routing: { min_severity: 'info', rule_ids: [], tactics: ['persistence'], tags: [] } });
    const off = await addChannel('slack', { url: `${receiverUrl}/r3` }, { enabled: false });
    await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(await addAlert('medium'))), JSON.stringify(toAlertFeedItem(await addAlert('critical')))]);
    assert.equal((await deliveriesOf(high.id)).length, 1);
    assert.equal((await deliveriesOf(persistence.id)).length, 0);
    assert.equal((await deliveriesOf(off.id)).length, 0);
    await repo().removeChannel(high.id);
  });

  it('routing by tag: a channel routed on threat-intel receives the alert of a tagged rule, not of an untagged one', async () => {
    const { dispatcher, worker } = setup();
    const rules = createRulesRepo(db);
    const rule = (name: string, tags: string[]) => rules.insert({
      id: newObjectId(), name, description: '', rule_type: 'single', conditions: { event_filter: { event_type: 'x' } }, severity: 'high',
      enabled: true, mitre_tactic: null, mitre_technique: null, cooldown_seconds: null, builtin_key: null, tags,
    });
    const tagged = await rule(`Intel match ${newObjectId()}`, ['threat-intel', 'network']);
    const untagged = await rule(`Untagged ${newObjectId()}`, []);
    const ch = await addChannel('webhook', { url: `${receiverUrl}/by-tag`, secret: '', headers: {} }, {
      routing: { min_severity: 'info', rule_ids: [], tactics: [], tags: ['threat-intel'] },
      template: '{{alert.title}} [{{rule.tags}}]',
    });
    const hit = await addAlert('high', tagged.id);
    const miss = await addAlert('high', untagged.id);
    await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(hit)), JSON.stringify(toAlertFeedItem(miss))]);
    await worker.drain();
    const got = received.filter((r) => r.path === '/by-tag');
    assert.equal(got.length, 1);
    const body = JSON.parse(got[0]!.body);
    assert.equal(body.alert.id, hit.id);
    assert.equal(body.text, `${hit.title} [threat-intel, network]`);
    assert.deepEqual(body.alert.rule_tags, ['threat-intel', 'network']);
    assert.deepEqual((await deliveriesOf(ch.id)).map((d) => d.alert_id), [hit.id]);
    // A tag added later routes the rule's next alert (tags are read per batch, not cached).
    await rules.update(untagged.id, { tags: ['threat-intel'] });
    const next = await addAlert('high', untagged.id);
    await dispatcher.enqueue([JSON.stringify(toAlertFeedItem(next))]);
    await worker.drain();
    assert.equal(received.filter((r) => r.path === '/by-tag').length, 2);
    await repo().removeChannel(ch.id);
  });

  it('the alerts stream feeds the queue through the "notify" consumer group, and the worker sends', async () => {
    const { dispatcher, worker, bus } = setup();
    const ch = await addChannel('webhook', { url: `${receiverUrl}/stream`, secret: '', headers: {} });
    await dispatcher.start();
    worker.start();
    try {
      const a = await addAlert();
      await bus.publish(STREAMS.alerts, [JSON.stringify(toAlertFeedItem(a))]);
      await waitFor(async () => (await deliveriesOf(ch.id))[0]?.status === 'delivered', 5000);
      assert.equal(await bus.pending(STREAMS.alerts, 'notify'), 0);
    } finally {
      await dispatcher.stop();
      await worker.stop();
      await bus.close();
    }
    await repo().removeChannel(ch.id);
  });

  it('a queued delivery survives a restart: another worker (a new process) sends it', async () => {
    const first = setup();
    const ch = await addChannel('webhook', { url: `${receiverUrl}/restart`, secret: '', headers: {} });
    await first.dispatcher.enqueue([JSON.stringify(toAlertFeedItem(await addAlert()))]);
    // The first process stops before sending; the queue is in the store.
    const second = setup();
    await second.worker.drain();
    assert.equal((await deliveriesOf(ch.id))[0]!.status, 'delivered');
    await repo().removeChannel(ch.id);
  });

  it('the queue is bounded: beyond NOTIFY_QUEUE_MAX new deliveries are dropped and counted', async () => {
    const channels = createChannelService({ repo: repo(), baseUrl: BASE, timeoutMs: 500 });
    const worker = createNotifyWorker({ repo: repo(), deliver: channels.deliver, policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 500, log });
    await worker.drain();
    const dispatcher = createNotifyDispatcher({
      db, bus: createMemoryBus({ maxLen: 10 }), repo: repo(), log, baseUrl: BASE, consumer: 'q', queueMax: 2,
      findAlerts: (ids) => createAlertsRepo(db).findByIds(ids), onQueued: () => {},
    });
    const ch = await addChannel('webhook', { url: `${receiverUrl}/bounded`, secret: '', headers: {} });
    const items = [];
    for (let i = 0; i < 3; i++) items.push(JSON.stringify(toAlertFeedItem(await addAlert())));
    assert.equal(await dispatcher.enqueue(items), 2);
    assert.equal(dispatcher.dropped(), 1);
    await repo().removeChannel(ch.id);
  });

  it('on Redis, an alert read by a process that died before queuing it is taken over by another', { skip: skipWithoutRedis }, async () => {
    const prefix = `${uniqueName('notify')}:`;
    const bus = await createRedisBus(REDIS_URL!, { maxLen: 1000, prefix });
    try {
      const channels = createChannelService({ repo: repo(), baseUrl: BASE, timeoutMs: 2000 });
      const worker = createNotifyWorker({ repo: repo(), deliver: channels.deliver, policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 }, timeoutMs: 2000, log, pollMs: 10 });
      const ch = await addChannel('webhook', { url: `${receiverUrl}/redis`, secret: '', headers: {} });
      await bus.ensureGroup(STREAMS.alerts, NOTIFY_GROUP, '$');
      const a = await addAlert();
      await bus.publish(STREAMS.alerts, [JSON.stringify(toAlertFeedItem(a))]);
      // The first process reads the message and dies before queuing anything.
      assert.equal((await bus.readGroup(STREAMS.alerts, NOTIFY_GROUP, 'dead-process', { count: 10 })).length, 1);
      const dispatcher = createNotifyDispatcher({
        db, bus, repo: repo(), log, baseUrl: BASE, consumer: 'survivor', queueMax: 100, staleMs: 50,
        findAlerts: (ids) => createAlertsRepo(db).findByIds(ids), onQueued: () => worker.kick(),
      });
      await dispatcher.start();
      worker.start();
      try {
        await waitFor(async () => (await deliveriesOf(ch.id))[0]?.status === 'delivered', 8000);
        await waitFor(async () => (await bus.pending(STREAMS.alerts, NOTIFY_GROUP)) === 0, 3000);
      } finally {
        await dispatcher.stop();
        await worker.stop();
      }
      await repo().removeChannel(ch.id);
    } finally {
      await bus.close();
      const { Redis } = await import('ioredis');
      const redis = new Redis(REDIS_URL!);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('at start, alerts stored but never queued (the process stopped first) are queued; a newer channel gets none of them', async () => {
    const { dispatcher, worker } = setup();
    const older = await addChannel('webhook', { url: `${receiverUrl}/catchup`, secret: '', headers: {} });
    const a = await addAlert();
    const newer = await addChannel('webhook', { url: `${receiverUrl}/catchup-new`, secret: '', headers: {} });
    assert.ok((await dispatcher.catchUp(60_000)) >= 1);
    await worker.drain();
    const [d] = (await deliveriesOf(older.id)).filter((x) => x.alert_id === a.id);
    assert.equal(d!.status, 'delivered');
    assert.equal((await deliveriesOf(newer.id)).length, 0);
    // Run again (another start): nothing is queued twice.
    await dispatcher.catchUp(60_000);
    assert.equal((await deliveriesOf(older.id)).filter((x) => x.alert_id === a.id).length, 1);
    await repo().removeChannel(older.id);
    await repo().removeChannel(newer.id);
  });
});
