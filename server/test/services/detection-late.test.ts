// Late events through the live correlation loop: a source hours behind the live traffic
// still raises its alert while current events flow between its events (more than a sweep
// interval of them), events beyond CORRELATION_MAX_LATENESS_SECONDS are counted in
// siem_correlation_late_events_total and raise nothing, and a takeover rebuilds the late
// group's window (the replay reaches back by the lateness too).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createDetectionService } from '../../src/services/detection.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { loginFailure, openDetectionStore, waitFor } from '../helpers/detection.ts';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const HOUR = 3_600_000;
/** Thousands of events per step on a loaded machine: this suite waits longer than the default. */
const LONG_WAIT_MS = 120_000;

async function setup(kind: 'pglite' | 'postgres') {
  const { db, drop, rules, alerts, correlation, store, caughtUp } = await openDetectionStore(kind);
  const bus = createMemoryBus({ maxLen: 100_000 });
  const metrics = createMetrics();
  const make = (consumer: string) =>
    createDetectionService({ db, bus, rules, alerts, correlation, metrics, log, cooldownMs: 300_000, maxMatchedIds: 100, reloadMs: 60_000, consumer, idleMs: 50, maxLatenessMs: 24 * HOUR });
  const lateMetric = async () => (await metrics.correlationLate.get()).values[0]?.value ?? 0;
  const close = async () => {
    await bus.close();
    await drop();
  };
  return { alerts, make, store, caughtUp, lateMetric, close };
}

/** `n` current failures from distinct addresses, 2 s apart from `t` (none reaches the threshold). */
const current = (from: number, n: number, t: number): NewEvent[] => Array.from({ length: n }, (_, k) => loginFailure(`10.20.${((from + k) >> 8) & 255}.${(from + k) & 255}`, t + (from + k) * 2000));

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`late events from the ${kind} store`, { skip: kind === 'postgres' && skipWithoutPostgres }, () => {
    it('a source hours behind raises its alert through thousands of current events between its failures; beyond the lateness is counted', async () => {
      const s = await setup(kind);
      try {
        const now = Date.now() - 60_000;
        const start = now - 12 * HOUR;
        // Log order: a late failure, then 4200 current events (more than the engine's sweep
        // interval, 140 min of event time), and so on: the late group must outlive sweeps.
        for (let i = 0; i < 5; i++) await s.store([loginFailure('203.0.113.9', now - 14 * HOUR + i * 1000), ...current(i * 4200, 4200, start)]);
        // Beyond the 24 h lateness: stored, counted, never correlated (6 would reach 5).
        await s.store(Array.from({ length: 6 }, (_, i) => loginFailure('203.0.113.66', now - 30 * HOUR + i * 1000)));
        const det = s.make('one');
        det.start();
        try {
          await waitFor(s.caughtUp, LONG_WAIT_MS);
        } finally {
          await det.stop();
        }
        const alerts = await s.alerts.counts();
        assert.equal(alerts.total, 1, 'the late brute force, once');
        assert.equal(det.stats().late, 6);
        assert.equal(await s.lateMetric(), 6);
      } finally {
        await s.close();
      }
    });

    it('a takeover rebuilds the window of a group hours behind the high-water mark', async () => {
      const s = await setup(kind);
      try {
        const now = Date.now() - 60_000;
        const late = (i: number) => loginFailure('203.0.113.9', now - 2 * HOUR + i * 1000);
        await s.store([late(0), late(1), late(2), ...current(0, 100, now - 600_000)]);
        const first = s.make('first');
        first.start();
        await waitFor(s.caughtUp, LONG_WAIT_MS);
        await first.stop();
        await s.store([late(3), late(4), late(5)]);
        const second = s.make('second');
        second.start();
        try {
          await waitFor(s.caughtUp, LONG_WAIT_MS);
        } finally {
          await second.stop();
        }
        assert.equal((await s.alerts.counts()).total, 1, 'the first half was replayed: the fifth failure fires');
        assert.equal(second.stats().replayed, 103);
        assert.equal(second.stats().late, 0);
      } finally {
        await s.close();
      }
    });
  });
}
