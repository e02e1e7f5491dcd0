// The live correlation loop on the memory bus and on Redis: an acknowledged event raises
// its alert once even when the process dies between persisting and acknowledging; a rule
// change reaches the running engine within a second, also from another process; one bad
// rule stops nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { Bus } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { createRedisBus } from '../../src/bus/redis-bus.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createDetectionService } from '../../src/services/detection.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { STREAMS } from '../../src/bus/bus.ts';
import { DATABASE_URL, REDIS_URL, skipWithoutPostgres, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const waitFor = async (check: () => Promise<boolean>, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

function busEvent(ip: string, t: number) {
  return JSON.stringify({
    id: newObjectId(t), timestamp: new Date(t).toISOString(), source_type: 'auth', severity: 'medium', event_type: 'login_failure',
    source_ip: ip, dest_ip: null, source_port: null, dest_port: null, hostname: null, username: 'root', mitre_tactic: null,
    mitre_technique: null, scenario_run_id: null, normalized: {},
  });
}

const buses: [string, () => Promise<Bus>, string | false][] = [
  ['memory', async () => createMemoryBus({ maxLen: 10_000 }), false],
  ['redis', async () => createRedisBus(REDIS_URL!, { maxLen: 10_000, prefix: `${uniqueName('det')}:` }), skipWithoutRedis],
];

for (const [name, makeBus, skip] of buses) {
  describe(`detection on the ${name} bus`, { skip }, () => {
    it('a crash between persisting an alert and acknowledging its events does not duplicate the alert', async () => {
      const { db, drop } = await openTestDb('pglite');
      const bus = await makeBus();
      try {
        const rules = createRulesRepo(db);
        const alerts = createAlertsRepo(db);
        await rules.insert({
          id: newObjectId(), name: 'brute', description: '', rule_type: 'threshold', severity: 'high', enabled: true,
          conditions: { event_filter: { event_type: 'login_failure' }, threshold: 3, window_seconds: 60, group_by: 'source_ip' },
          mitre_tactic: null, mitre_technique: null, cooldown_seconds: null, builtin_key: null,
        });
        // The first process dies at ack time: its bus refuses the acknowledgement.
        const dying: Bus = { ...bus, ack: async () => { throw new Error('process killed'); } };
        const make = (b: Bus, consumer: string) =>
          createDetectionService({ db, bus: b, rules, alerts, metrics: createMetrics(), log, cooldownMs: 300_000, maxMatchedIds: 100, reloadMs: 1000, consumer, claimIdleMs: 100, blockMs: 50 });
        // The events wait in the group before the first process reads them all at once.
        await bus.ensureGroup(STREAMS.logs, 'correlation', '$');
        const t = Date.now();
        await bus.publish(STREAMS.logs, [0, 1, 2].map((i) => busEvent('192.0.2.9', t + i)));
        const first = make(dying, 'first');
        try {
          first.start();
          await waitFor(async () => (await alerts.counts()).total === 1);
        } finally {
          await first.stop();
        }
        assert.equal(await bus.pending(STREAMS.logs, 'correlation'), 3, 'the events were never acknowledged');

        const second = make(bus, 'second');
        try {
          second.start();
          await waitFor(async () => (await bus.pending(STREAMS.logs, 'correlation')) === 0);
        } finally {
          await second.stop();
        }
        assert.equal((await alerts.counts()).total, 1, 'the redelivered firing found its key taken');
        assert.equal(second.stats().duplicates, 1);
      } finally {
        await bus.close();
        await drop();
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

  it('a rule created in one process reaches the engine running in another (PostgreSQL + Redis)', { skip: skipWithoutPostgres || skipWithoutRedis }, async () => {
    const shared = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('det').toLowerCase(), REDIS_URL: REDIS_URL!, REDIS_PREFIX: `${uniqueName('det')}:` };
    const a = await startTestSystem(shared);
    await waitFor(async () => a.deps.detection.isLeader());
    const b = await startTestSystem(shared);
    try {
      assert.equal(b.deps.detection.isLeader(), false, 'one engine per deployment');
      const h = { authorization: `Bearer ${await registerUser(b.app, { role: 'engineer' })}` };
      const created = await b.app.inject({ method: 'POST', url: '/v1/rules', headers: h, payload: { name: 'cross', rule_type: 'threshold', severity: 'high', conditions: { event_filter: { event_type: 'x' }, threshold: 2, window_seconds: 60, group_by: 'hostname' } } });
      assert.equal(created.statusCode, 201);
      await new Promise((r) => setTimeout(r, 1000));
      for (let i = 0; i < 2; i++) await b.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic', event_type: 'x', hostname: 'h1' } });
      await waitFor(async () => (await b.app.inject({ method: 'GET', url: '/v1/alerts', headers: h })).json().total === 1);
      assert.equal(a.deps.detection.stats().alerts, 1);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

