// The control channel: messages are dispatched by type to the handlers registered for it;
// a message that does not parse is counted (by reason) and skipped, never thrown, and the
// reader goes on; messages in the format of earlier releases are still understood. Run on
// the memory bus, and on Redis when REDIS_URL is set.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Bus } from '../../src/bus/bus.ts';
import { STREAMS } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { createRedisBus } from '../../src/bus/redis-bus.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { ControlMessage } from '../../src/services/control.ts';
import { createControlChannel, parseControl, publishControl } from '../../src/services/control.ts';
import { REDIS_URL, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { waitFor } from '../helpers/detection.ts';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });

async function counter(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return Number(value?.value ?? 0);
}

describe('parseControl', () => {
  it('reads the formats of earlier releases and ignores unknown keys', () => {
    assert.deepEqual(parseControl('{"type":"rules_changed","at":1700000000000}'), { ok: true, message: { type: 'rules_changed', at: 1700000000000 } });
    assert.deepEqual(parseControl('{"type":"scenario_control","run_id":"abc"}'), { ok: true, message: { type: 'scenario_control', run_id: 'abc' } });
    const extra = parseControl('{"type":"lists_changed","at":5,"list_ids":["l1"],"from":"a newer process"}');
    assert.deepEqual(extra, { ok: true, message: { type: 'lists_changed', at: 5, list_ids: ['l1'] } });
  });

  it('tells malformed, unknown and invalid messages apart', () => {
    const cases: [string, string][] = [
      ['not json', 'malformed'],
      ['x'.repeat(70_000), 'malformed'],
      ['[1,2]', 'unknown_type'],
      ['{"type":"cache_flushed"}', 'unknown_type'],
      ['{"at":1}', 'unknown_type'],
      ['{"type":"rules_changed"}', 'invalid'],
      ['{"type":"rules_changed","at":"yesterday"}', 'invalid'],
      ['{"type":"scenario_control","run_id":"r","action":"explode"}', 'invalid'],
    ];
    for (const [payload, reason] of cases) {
      const parsed = parseControl(payload);
      assert.equal(parsed.ok, false, payload);
      if (!parsed.ok) assert.equal(parsed.reason, reason, payload.slice(0, 60));
    }
  });
});

function channelSuite(name: string, makeBus: () => Promise<Bus>, skip: string | false) {
  describe(`control channel on the ${name} bus`, { skip }, () => {
    it('dispatches each message to the handlers of its type only, and survives messages that do not parse', async () => {
      const bus = await makeBus();
      const metrics = createMetrics();
      const channel = createControlChannel({ bus, log, metrics, blockMs: 100 });
      const rules: ControlMessage[] = [];
      const scenarios: ControlMessage[] = [];
      channel.on('rules_changed', (m) => void rules.push(m));
      const off = channel.on('scenario_control', (m) => {
        scenarios.push(m);
      });
      channel.on('lists_changed', () => {
        throw new Error('a failing handler is logged, not fatal');
      });
      channel.start();
      try {
        await waitFor(async () => channel.isLive());
        // Another process, in raw form: garbage and messages of other versions in between.
        await bus.publish(STREAMS.control, [
          'not json',
          '{"type":"cache_flushed","at":1}',
          '{"type":"rules_changed","at":"soon"}',
          '{"type":"rules_changed","at":1}', // an earlier release's format
          '{"type":"scenario_control","run_id":"run1"}', // an earlier release's format
          '{"type":"lists_changed","at":2}',
        ]);
        await publishControl(bus, { type: 'rules_changed', at: 3, rule_ids: ['r1'] });
        await waitFor(async () => rules.length === 2);
        assert.deepEqual(rules, [{ type: 'rules_changed', at: 1 }, { type: 'rules_changed', at: 3, rule_ids: ['r1'] }]);
        assert.deepEqual(scenarios, [{ type: 'scenario_control', run_id: 'run1' }]);
        assert.equal(await counter(metrics, 'siem_control_invalid_messages_total', { reason: 'malformed' }), 1);
        assert.equal(await counter(metrics, 'siem_control_invalid_messages_total', { reason: 'unknown_type' }), 1);
        assert.equal(await counter(metrics, 'siem_control_invalid_messages_total', { reason: 'invalid' }), 1);
        assert.equal(await counter(metrics, 'siem_control_messages_total', { type: 'rules_changed' }), 2);
        assert.equal(await counter(metrics, 'siem_control_messages_total', { type: 'lists_changed' }), 1);

        // A removed handler hears nothing more; announce goes through the same stream.
        off();
        await channel.announce({ type: 'scenario_control', run_id: 'run2', action: 'pause' });
        await channel.announce({ type: 'rules_changed', at: 4 });
        await waitFor(async () => rules.length === 3);
        assert.equal(scenarios.length, 1);
      } finally {
        await channel.stop();
        await bus.close();
      }
    });

    it('an announcement never throws while the bus is down, and a malformed one is refused at once', async () => {
      const real = await makeBus();
      const down: Bus = new Proxy(real, {
        get: (target, prop) => (prop === 'isConnected' ? () => false : prop === 'kind' ? target.kind : () => Promise.reject(new Error('connection refused'))),
      });
      const channel = createControlChannel({ bus: down, log, metrics: createMetrics(), blockMs: 100 });
      channel.start();
      try {
        assert.equal(channel.isLive(), false);
        await channel.announce({ type: 'rules_changed', at: 1 });
        await assert.rejects(channel.announce({ type: 'rules_changed' } as unknown as ControlMessage));
      } finally {
        await channel.stop();
        await real.close();
      }
    });
  });
}

channelSuite('memory', async () => createMemoryBus({ maxLen: 1000 }), false);
const prefix = `${uniqueName('ctl')}:`;
channelSuite('redis', () => createRedisBus(REDIS_URL!, { maxLen: 1000, prefix }), skipWithoutRedis);
// The shared Redis keeps nothing of this file's streams.
after(async () => {
  if (skipWithoutRedis) return;
  const redis = new Redis(REDIS_URL!);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});
