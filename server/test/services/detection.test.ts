// The live correlation loop reads the store: a new owner rebuilds open windows so attacks
// straddling a takeover raise exactly one alert; it needs no bus; a fenced-out owner moves
// nothing. A rule change reaches the running engine within a second, also from another
// process; one bad rule stops nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { Bus } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createDetectionService } from '../../src/services/detection.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { DATABASE_URL, REDIS_URL, skipWithoutPostgres, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { loginFailure, openDetectionStore, waitFor } from '../helpers/detection.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
async function setup(kind: 'pglite' | 'postgres') {
  const { db, drop, rules, alerts, correlation, store, caughtUp } = await openDetectionStore(kind);
  const make = (bus: Bus, consumer: string, over: { replayMax?: number } = {}) =>
    createDetectionService({ db, bus, rules, alerts, correlation, metrics: createMetrics(), log, cooldownMs: 300_000, maxMatchedIds: 100, reloadMs: 60_000, consumer, idleMs: 50, ...over });
  return { db, drop, alerts, correlation, make, store, caughtUp };
}

/** `attacks` sources, `n` failures each, one second apart, starting at t. */
function attacks(count: number, n: number, t: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (let i = 0; i < n; i++) for (let a = 0; a < count; a++) out.push(loginFailure(`198.51.100.${a + 1}`, t + i * 1000 + a));
  return out;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`correlation from the ${kind} store`, { skip: kind === 'postgres' && skipWithoutPostgres }, () => {
    it('a new owner rebuilds the open windows, so attacks straddling a takeover are alerted exactly once', async () => {
      const s = await setup(kind);
      const bus = createMemoryBus({ maxLen: 10_000 });
      try {
        const t = Date.now() - 60_000;
        await s.store(attacks(20, 3, t));
        const first = s.make(bus, 'first');
        first.start();
        await waitFor(s.caughtUp);
        await first.stop(); // its windows are gone with it
        await s.store(attacks(20, 3, t + 3000).map((e) => ({ ...e, id: newObjectId(e.timeMs) })));
        const second = s.make(bus, 'second');
        second.start();
        try {
          await waitFor(s.caughtUp);
        } finally {
          await second.stop();
        }
        const counts = await s.alerts.counts();
        assert.equal(counts.total, 20, 'each of the 20 attacks raised one alert');
        assert.equal(second.stats().replayed, 60, 'the first halves were replayed');
        assert.equal(first.stats().alerts + second.stats().alerts, 20);
      } finally {
        await bus.close();
        await s.drop();
      }
    });

    it('without the replay the same takeover misses every straddling attack (the replay is what works)', async () => {
      const s = await setup(kind);
      const bus = createMemoryBus({ maxLen: 10_000 });
      try {
        const t = Date.now() - 60_000;
        await s.store(attacks(5, 3, t));
        const first = s.make(bus, 'first');
        first.start();
        await waitFor(s.caughtUp);
        await first.stop();
        await s.store(attacks(5, 3, t + 3000).map((e) => ({ ...e, id: newObjectId(e.timeMs) })));
        const second = s.make(bus, 'second', { replayMax: 0 });
        second.start();
        await waitFor(s.caughtUp);
        await second.stop();
        assert.equal((await s.alerts.counts()).total, 0);
      } finally {
        await bus.close();
        await s.drop();
      }
    });

    it('correlates stored events with no bus at all, and a fenced-out owner keeps nothing of its batch', async () => {
      const s = await setup(kind);
      const memory = createMemoryBus({ maxLen: 10_000 });
      // A bus that is down for good: every call fails, as Redis does while unreachable.
      const down: Bus = new Proxy(memory, {
        get: (target, prop) => (prop === 'isConnected' ? () => false : prop === 'kind' ? target.kind : () => Promise.reject(new Error('connection refused'))),
      });
      try {
        await s.store(attacks(3, 5, Date.now() - 30_000));
        const det = s.make(down, 'lonely');
        det.start();
        try {
          await waitFor(async () => (await s.alerts.counts()).total === 3);
        } finally {
          await det.stop();
        }
        const [cp] = await s.correlation.partitions();
        assert.ok(cp && cp.epoch >= 1);
        // Another process claims a partition: the old epoch can no longer move it, nor the
        // partitions claimed with it (the whole batch is refused).
        const [next] = await s.correlation.claimPartitions([cp.partition], 'other');
        assert.equal(next!.epoch, cp.epoch + 1);
        const all = await s.correlation.partitions();
        const claims = all.map((c) => ({ partition: c.partition, epoch: c.partition === cp.partition ? cp.epoch : c.epoch }));
        const moved = await s.db.transaction((tx) => s.correlation.advancePartitions(tx, claims, { cursor: { tx: '999999', seq: '1' }, highWaterMs: null, lastEventId: null, lastEventMs: null }));
        assert.equal(moved, false); // the transaction is the caller's to roll back; here it committed the others
        assert.deepEqual((await s.correlation.partitions())[cp.partition]?.cursor, cp.cursor);
      } finally {
        await memory.close();
        await s.drop();
      }
    });
  });
}

describe('detection through the whole server', () => {
  it('a rule change takes effect within a second, and a broken stored rule stops nothing', async () => {
    const sys = await startTestSystem();
    try {
      const h = { authorization: `Bearer ${await registerUser(sys.app, { role: 'engineer' })}` };
      // A rule written straight into the store with conditions the engine cannot run.
      await createRulesRepo(sys.deps.db).insert({
        id: newObjectId(), name: 'broken', description: '', rule_type: 'threshold', severity: 'low', enabled: true,
        conditions: { event_filter: {}, threshold: 'x' }, mitre_tactic: null, mitre_technique: null, cooldown_seconds: null, builtin_key: null,
      });
      const rule = (await sys.app.inject({ method: 'POST', url: '/v1/rules', headers: h, payload: { name: 'scan', rule_type: 'aggregation', severity: 'medium', enabled: false, conditions: { event_filter: { source_type: 'firewall' }, aggregation: 'count_distinct', aggregation_field: 'dest_port', threshold: 3, window_seconds: 60, group_by: 'source_ip' } } })).json();
      const send = (port: number) => sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'firewall', source_ip: '198.51.100.44', dest_port: port } });
      for (const port of [22, 80, 443]) await send(port);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(sys.deps.detection.stats().alerts, 0, 'a disabled rule does not run');
      await sys.app.inject({ method: 'PATCH', url: `/v1/rules/${rule.id}`, headers: h, payload: { enabled: true } });
      const enabledAt = Date.now();
      for (const port of [21, 23, 25]) await send(port);
      await waitFor(async () => sys.deps.detection.stats().alerts === 1, 1000);
      assert.ok(Date.now() - enabledAt < 1000);
    } finally {
      await sys.stop();
    }
  });

  it('a rule created in one process reaches the engines of both, which share the partitions (PostgreSQL + Redis)', { skip: skipWithoutPostgres || skipWithoutRedis }, async () => {
    const shared = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('det').toLowerCase(), REDIS_URL: REDIS_URL!, REDIS_PREFIX: `${uniqueName('det')}:` };
    const a = await startTestSystem(shared);
    await waitFor(async () => a.deps.detection.isLeader());
    const b = await startTestSystem(shared);
    try {
      // The second process joins: the 16 partitions end up split 8 / 8.
      await waitFor(async () => a.deps.detection.partitions().length === 8 && b.deps.detection.partitions().length === 8, 20_000);
      const h = { authorization: `Bearer ${await registerUser(b.app, { role: 'engineer' })}` };
      const created = await b.app.inject({ method: 'POST', url: '/v1/rules', headers: h, payload: { name: 'cross', rule_type: 'threshold', severity: 'high', conditions: { event_filter: { event_type: 'x' }, threshold: 2, window_seconds: 60, group_by: 'hostname' } } });
      assert.equal(created.statusCode, 201);
      await new Promise((r) => setTimeout(r, 1000));
      for (let i = 0; i < 2; i++) await b.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic', event_type: 'x', hostname: 'h1' } });
      await waitFor(async () => (await b.app.inject({ method: 'GET', url: '/v1/alerts', headers: h })).json().total === 1);
      assert.equal(a.deps.detection.stats().alerts + b.deps.detection.stats().alerts, 1, 'raised once, by the owner of its partition');
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

