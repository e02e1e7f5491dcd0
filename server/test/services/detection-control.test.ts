// Rule changes reach the running engine through the control channel, not the periodic
// reload (set to an hour here): a change written by "another process" (straight into the
// store, no in-process notice) applies as soon as its control message is read. With the
// bus down no message can arrive: the loop then reloads every few seconds on its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { Bus } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createControlChannel, publishControl } from '../../src/services/control.ts';
import { createDetectionService } from '../../src/services/detection.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { loginFailure, openDetectionStore, waitFor } from '../helpers/detection.ts';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const HOUR = 3_600_000;

async function setup(bus: Bus) {
  const s = await openDetectionStore('pglite');
  // Only the rule added below: the helper's brute-force rule is switched off.
  for (const r of await s.rules.list()) await s.rules.update(r.id, { enabled: false });
  const metrics = createMetrics();
  const control = createControlChannel({ bus, log, metrics, blockMs: 50 });
  const detection = createDetectionService({
    db: s.db, bus, rules: s.rules, alerts: s.alerts, correlation: s.correlation, metrics, log, control,
    cooldownMs: 300_000, maxMatchedIds: 100, reloadMs: HOUR, consumer: 'control-test', idleMs: 50,
  });
  /** A threshold rule (3 failures per source) written as another process would: store only. */
  const addRule = () =>
    s.rules.insert({
      id: newObjectId(), name: 'three failures', description: '', rule_type: 'threshold', severity: 'high', enabled: true,
      conditions: { event_filter: { event_type: 'login_failure' }, threshold: 3, window_seconds: 600, group_by: 'source_ip' },
      mitre_tactic: null, mitre_technique: null, cooldown_seconds: null, builtin_key: null,
    });
  const attack = async (ip: string) => {
    const t = Date.now() - 10_000;
    await s.store([0, 1, 2].map((i) => loginFailure(ip, t + i)));
  };
  return { ...s, control, detection, addRule, attack };
}

describe('rule changes and the control channel', () => {
  it('a rule added by another process applies once its control message is read, with an hour-long safety net', async () => {
    const bus = createMemoryBus({ maxLen: 1000 });
    const s = await setup(bus);
    s.control.start();
    s.detection.start();
    try {
      await waitFor(async () => s.detection.state() === 'running' && s.control.isLive());
      const rule = await s.addRule();
      await publishControl(bus, { type: 'rules_changed', at: Date.now(), rule_ids: [rule.id] });
      // The rule is in the engine (the reload is an hour away): its series exist.
      await waitFor(async () => (await s.detection.rulesView()).rules.some((r) => r.rule_id === rule.id));
      await s.attack('203.0.113.7');
      await waitFor(async () => (await s.alerts.counts()).total === 1);
      const view = (await s.detection.rulesView()).rules.find((r) => r.rule_id === rule.id)!;
      assert.equal(view.alerts, 1);
    } finally {
      await s.detection.stop();
      await s.control.stop();
      await bus.close();
      await s.drop();
    }
  });

  it('with the bus down, a rule added elsewhere still applies within a few seconds', async () => {
    const memory = createMemoryBus({ maxLen: 1000 });
    const down: Bus = new Proxy(memory, {
      get: (target, prop) => (prop === 'isConnected' ? () => false : prop === 'kind' ? target.kind : () => Promise.reject(new Error('connection refused'))),
    });
    const s = await setup(down);
    s.control.start();
    s.detection.start();
    try {
      await waitFor(async () => s.detection.state() === 'running');
      assert.equal(s.control.isLive(), false);
      const rule = await s.addRule();
      await waitFor(async () => (await s.detection.rulesView()).rules.some((r) => r.rule_id === rule.id));
      await s.attack('203.0.113.8');
      await waitFor(async () => (await s.alerts.counts()).total === 1);
    } finally {
      await s.detection.stop();
      await s.control.stop();
      await memory.close();
      await s.drop();
    }
  });
});
