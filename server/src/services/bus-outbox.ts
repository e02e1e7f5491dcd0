// Publication that never stalls and never forgets: records are published on the bus right
// away when it answers; when it does not (known down, error, or slower than a second) their
// ids are parked in the store's outbox and a background drain publishes them, oldest first,
// once the bus is back. Correlation reads the store, so this only concerns the live feeds.
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import { withTimeout } from '../lib/timeout.ts';
import type { Metrics } from '../metrics.ts';
import type { AlertsRepo } from '../store/alerts-repo.ts';
import type { CorrelationRepo } from '../store/correlation-repo.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { OutboxRepo } from '../store/outbox-repo.ts';
import { toAlertFeedItem } from './alert-feed.ts';

/** A publish slower than this is abandoned to the outbox (the caller is an ingest request). */
const PUBLISH_TIMEOUT_MS = 1000;
const BUS_TIMEOUT = `bus did not answer within ${PUBLISH_TIMEOUT_MS} ms`;

export interface Publication {
  bus: Bus;
  /** Where failed publications are parked; without it they are only counted and logged. */
  outbox?: OutboxRepo | undefined;
  metrics: Metrics;
  log: Logger;
}

/**
 * Publishes stored records, or parks their ids in the outbox. Never throws: the records are
 * stored (acknowledged) whatever happens here.
 */
export async function publishOrPark(p: Publication, stream: string, ids: string[], payloads: () => string[]): Promise<void> {
  if (ids.length === 0) return;
  let failure: unknown = new Error('bus is disconnected');
  if (p.bus.isConnected()) {
    try {
      await withTimeout(p.bus.publish(stream, payloads()), PUBLISH_TIMEOUT_MS, BUS_TIMEOUT);
      return;
    } catch (err) {
      failure = err;
    }
  }
  p.metrics.publishFailures.inc({ stream });
  if (!p.outbox) {
    p.log.error({ err: failure, stream, count: ids.length }, 'publishing stored records failed');
    return;
  }
  try {
    await p.outbox.add(stream, ids);
    p.log.warn({ err: failure, stream, count: ids.length }, 'bus unavailable: stored records parked for publication');
  } catch (err) {
    p.log.error({ err, stream, count: ids.length }, 'publishing stored records failed and they could not be parked');
  }
}

export interface OutboxDrainDeps {
  db: Db;
  bus: Bus;
  outbox: OutboxRepo;
  events: CorrelationRepo;
  alerts: AlertsRepo;
  metrics: Metrics;
  log: Logger;
  intervalMs?: number;
}

/** Publishes parked records once the bus answers; every process runs one (rows are locked). */
export function createOutboxDrain(deps: OutboxDrainDeps) {
  const { db, bus, outbox, log } = deps;
  const intervalMs = deps.intervalMs ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let published = 0;

  // Read inside the draining transaction: PGlite runs one at a time, a query beside it would wait forever.
  async function payloadsFor(tx: Queryable, stream: string, ids: string[]): Promise<string[]> {
    if (stream === STREAMS.alerts) return (await deps.alerts.findByIds(ids, tx)).map((a) => JSON.stringify(toAlertFeedItem(a)));
    return (await deps.events.readByIds(ids, tx)).map(({ cursor: _cursor, ...event }) => JSON.stringify(event));
  }

  /** Publishes up to 20 parked entries; returns how many it published. */
  async function drainOnce(): Promise<number> {
    if (!bus.isConnected()) return 0;
    return db.transaction(async (tx) => {
      const entries = await outbox.take(tx, 20);
      for (const e of entries) {
        const payloads = await payloadsFor(tx, e.stream, e.recordIds);
        // A failure here rolls the transaction back: the entries stay parked.
        await withTimeout(bus.publish(e.stream, payloads), PUBLISH_TIMEOUT_MS, BUS_TIMEOUT);
      }
      await outbox.remove(tx, entries.map((e) => e.id));
      return entries.length;
    });
  }

  async function tick(): Promise<void> {
    try {
      for (let n = await drainOnce(); n > 0; n = await drainOnce()) {
        published += n;
        log.info({ entries: n }, 'parked records published on the bus');
      }
    } catch (err) {
      log.warn({ err }, 'publishing parked records failed; will retry');
    }
  }

  return {
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        running ??= tick().finally(() => {
          running = null;
        });
      }, intervalMs);
      timer.unref();
    },
    /** Runs one drain now (tests, shutdown). */
    drain: () => tick(),
    published: () => published,
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type OutboxDrain = ReturnType<typeof createOutboxDrain>;
