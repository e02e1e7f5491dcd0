// The micro-batching writer every ingest path goes through. Concurrent submissions are
// coalesced into one transaction (multi-row insert + rollups), then published on the
// "logs" stream, and only then acknowledged. The queue is bounded: a full queue refuses
// new work with 503 instead of growing memory, and nothing of a refused request is kept.
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import type { Db } from '../store/db.ts';
import { sqlState } from '../store/db.ts';
import type { EventsRepo, NewEvent } from '../store/events-repo.ts';
import type { RollupsRepo } from '../store/rollups-repo.ts';
import type { Metrics } from '../metrics.ts';
import type { OutboxRepo } from '../store/outbox-repo.ts';
import { publishOrPark } from './bus-outbox.ts';
import { toBusEvent } from './event-messages.ts';

interface Entry {
  events: NewEvent[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface EventWriterDeps {
  db: Db;
  events: EventsRepo;
  rollups: RollupsRepo;
  bus: Bus;
  /** Parks the ids of stored events the bus could not take (published when it is back). */
  outbox?: OutboxRepo;
  metrics: Metrics;
  log: Logger;
  batchMax: number;
  delayMs: number;
  queueMax: number;
  /** Batches written at once (default 1). */
  concurrency?: number;
}

/** Connection-class failures (SQLSTATE 08xxx, 57P0x) and socket errors mean "storage down". */
function isUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state && (state.startsWith('08') || state.startsWith('57P'))) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code);
}

export function createEventWriter(deps: EventWriterDeps) {
  const { db, events, rollups, bus, metrics, log } = deps;
  const queue: Entry[] = [];
  let queued = 0;
  let inFlight = 0;
  // Loops writing batches right now; up to `concurrency` (a server store takes several
  // transactions at once, PGlite runs one anyway).
  const flushing = new Set<Promise<void>>();
  const concurrency = Math.max(1, deps.concurrency ?? 1);
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const depth = () => queued + inFlight;
  const updateGauge = () => metrics.queueDepth.set(depth());

  function takeBatch(): Entry[] {
    const batch: Entry[] = [];
    let size = 0;
    while (queue.length > 0 && (batch.length === 0 || size + queue[0]!.events.length <= deps.batchMax)) {
      const entry = queue.shift()!;
      batch.push(entry);
      size += entry.events.length;
    }
    queued -= size;
    inFlight += size;
    return batch;
  }

  async function persist(all: NewEvent[]): Promise<void> {
    const started = performance.now();
    await db.transaction(async (tx) => {
      await events.insertMany(tx, all);
      await rollups.applyBatch(tx, all);
    });
    metrics.batchLatency.observe((performance.now() - started) / 1000);
    metrics.batchSize.observe(all.length);
    metrics.eventsStored.inc(all.length);
  }

  async function publish(all: NewEvent[]): Promise<void> {
    // Correlation reads the store; the bus carries the live tail. When the bus is down the
    // ids are parked and published later, without holding the ingest request.
    await publishOrPark({ bus, outbox: deps.outbox, metrics, log }, STREAMS.logs, all.map((e) => e.id), () =>
      all.map((e) => JSON.stringify(toBusEvent(e))),
    );
  }

  async function writeEntries(batch: Entry[]): Promise<void> {
    const all = batch.flatMap((e) => e.events);
    try {
      await persist(all);
    } catch (err) {
      if (batch.length > 1 && !isUnavailable(err)) {
        // One bad submission must not fail the others it was coalesced with.
        for (const entry of batch) await writeEntries([entry]);
        return;
      }
      const failure = isUnavailable(err)
        ? new AppError('DEPENDENCY_DOWN', 'Event storage is unavailable; retry later', { retryAfter: 5 })
        : err;
      if (!isUnavailable(err)) log.error({ err, count: all.length }, 'storing a batch failed');
      for (const entry of batch) entry.reject(failure);
      return;
    }
    await publish(all);
    for (const entry of batch) entry.resolve();
  }

  async function flushLoop(): Promise<void> {
    while (queue.length > 0) {
      const batch = takeBatch();
      const size = batch.reduce((n, e) => n + e.events.length, 0);
      try {
        await writeEntries(batch);
      } finally {
        inFlight -= size;
        updateGauge();
      }
    }
  }

  function startFlush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    while (flushing.size < concurrency && queue.length > 0) {
      const loop: Promise<void> = flushLoop().finally(() => {
        flushing.delete(loop);
        if (queue.length > 0) schedule();
      });
      flushing.add(loop);
    }
  }

  function schedule(): void {
    // A running loop picks new entries up; another starts only for a full batch.
    if (flushing.size >= concurrency) return;
    if (flushing.size > 0 && queued < deps.batchMax) return;
    if (queued >= deps.batchMax || deps.delayMs === 0 || flushing.size > 0) startFlush();
    else if (!timer) timer = setTimeout(startFlush, deps.delayMs);
  }

  return {
    /** Resolves once the events are stored and published; rejects with 503 when the queue is full. */
    submit(newEvents: NewEvent[]): Promise<void> {
      if (newEvents.length === 0) return Promise.resolve();
      if (closed) return Promise.reject(new AppError('DEPENDENCY_DOWN', 'Server is shutting down', { retryAfter: 5 }));
      if (depth() + newEvents.length > deps.queueMax) {
        metrics.eventsRejected.inc({ reason: 'backpressure' }, newEvents.length);
        return Promise.reject(new AppError('INGEST_BACKPRESSURE', 'Ingest queue is full; retry later', { retryAfter: 1 }));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ events: newEvents, resolve, reject });
        queued += newEvents.length;
        updateGauge();
        schedule();
      });
    },

    depth,

    /** Stops taking work and waits until everything queued is stored. */
    async close(): Promise<void> {
      closed = true;
      while (queue.length > 0 || flushing.size > 0) {
        if (flushing.size === 0) startFlush();
        await Promise.all([...flushing]);
      }
    },
  };
}
export type EventWriter = ReturnType<typeof createEventWriter>;
