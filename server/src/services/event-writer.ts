// The micro-batching writer every ingest path goes through. Concurrent submissions are
// coalesced into transactions (dedup keys claimed, rows written by COPY or a multi-row
// insert, rollups), then published on the "logs" stream, and only then acknowledged. An
// event whose key (client id, or raw digest) is already claimed is a duplicate: it is
// acknowledged but neither stored, counted in rollups, nor published. The queue is bounded in events and in bytes: a full
// queue refuses new work with 503 instead of growing memory, and nothing of a refused
// request is kept. Batches can be time-bounded (PGlite runs every query on the main thread
// and one at a time): a large submission is then written in several short transactions,
// and the loop yields between them so other queries and requests interleave.
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import type { Db } from '../store/db.ts';
import { isStoreUnavailable } from '../store/db.ts';
import type { EventsRepo, NewEvent } from '../store/events-repo.ts';
import type { RollupsRepo } from '../store/rollups-repo.ts';
import type { DedupClaim, DedupRepo } from '../store/dedup-repo.ts';
import type { Queryable } from '../store/db.ts';
import { dedupKeyOf, type DedupKey, type DedupSettings } from './event-dedup.ts';
import type { Metrics } from '../metrics.ts';
import type { OutboxRepo } from '../store/outbox-repo.ts';
import { publishOrPark } from './bus-outbox.ts';
import { toBusEvent } from './event-messages.ts';

/** What a submission came to. */
export interface SubmitResult {
  /** Submitted events already stored by an earlier delivery: submitted id -> stored event's id. */
  duplicates: Map<string, string>;
}

interface Entry {
  events: NewEvent[];
  duplicates: Map<string, string>;
  /** Events of this submission already taken into batches. */
  taken: number;
  /** Batches holding part of it that have not finished. */
  open: number;
  bytesPerEvent: number;
  failure?: unknown;
  settled: boolean;
  resolve: (result: SubmitResult) => void;
  reject: (err: unknown) => void;
}

/** Part of one submission inside a batch. */
interface Slice {
  entry: Entry;
  events: NewEvent[];
  finished: boolean;
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
  /** Bytes of events waiting or being written (JSON size, as received) before 503. */
  queueMaxBytes?: number;
  /** Batches written at once (default 1). */
  concurrency?: number;
  /**
   * Aim for transactions of about this long (0 = no aim: batchMax events). The batch size
   * follows the measured cost per event, between MIN_TIMED_BATCH and batchMax.
   */
  batchTargetMs?: number;
  /** Enrichment steps run on every submission before it is queued (services/enrichment.ts). */
  enrich?: (events: NewEvent[]) => void;
  /** Deduplication of retried deliveries; without it every event is stored. */
  dedup?: { repo: DedupRepo; settings: DedupSettings; clock?: () => number };
}

/** A batch after its keys were claimed: what to store, and what was a duplicate of what. */
interface Claimed {
  stored: NewEvent[];
  duplicates: Map<string, string>;
  kinds: { id: number; hash: number };
}

const MIN_TIMED_BATCH = 100;
/** First batch when batches are timed, before any cost is measured. */
const FIRST_TIMED_BATCH = 500;
/** Overhead per event beyond its raw JSON (ids, columns, normalized fields). */
const EVENT_OVERHEAD_BYTES = 256;
const MAX_RETRY_AFTER_S = 10;
/** Recent batches whose cost and completion feed batch sizing and Retry-After. */
const HISTORY = 16;
const RATE_WINDOW_MS = 5000;

/** Size of events whose body size is unknown (in-process producers): their raw JSON. */
export function estimateBytes(events: NewEvent[]): number {
  let bytes = 0;
  for (const e of events) bytes += (JSON.stringify(e.raw)?.length ?? 0) + EVENT_OVERHEAD_BYTES;
  return bytes;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createEventWriter(deps: EventWriterDeps) {
  const { db, events, rollups, bus, metrics, log } = deps;
  const queue: Entry[] = [];
  const maxBytes = deps.queueMaxBytes ?? Number.POSITIVE_INFINITY;
  const targetMs = deps.batchTargetMs ?? 0;
  let queued = 0;
  let queuedBytes = 0;
  let inFlight = 0;
  let inFlightBytes = 0;
  // Loops writing batches right now; up to `concurrency` (a server store takes several
  // transactions at once, PGlite runs one anyway).
  const flushing = new Set<Promise<void>>();
  const concurrency = Math.max(1, deps.concurrency ?? 1);
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  // Storage cost per event of recent batches. A PGlite transaction never gives the event
  // loop a turn, so its duration is its own cost; the median keeps one checkpoint (or one
  // unusually cheap batch) from resizing the next batches.
  const costs: number[] = [];
  // When recent batches finished and their size: the drain rate Retry-After is based on.
  const done: { at: number; count: number }[] = [];
  // Submitted bytes per event, smoothed: lets admission turn reserved bytes into events.
  let bytesPerEvent = 0;

  const depth = () => queued + inFlight;
  const depthBytes = () => queuedBytes + inFlightBytes;
  const updateGauge = () => {
    metrics.queueDepth.set(depth());
    metrics.queueBytes.set(depthBytes());
  };

  function batchLimit(): number {
    if (targetMs <= 0) return deps.batchMax;
    if (costs.length === 0) return Math.min(deps.batchMax, FIRST_TIMED_BATCH);
    const msPerEvent = [...costs].sort((a, b) => a - b)[Math.floor(costs.length / 2)]!;
    return Math.max(Math.min(MIN_TIMED_BATCH, deps.batchMax), Math.min(deps.batchMax, Math.floor(targetMs / msPerEvent)));
  }

  function measured(count: number, ms: number): void {
    costs.push(ms / count);
    if (costs.length > HISTORY) costs.shift();
    done.push({ at: performance.now(), count });
    if (done.length > HISTORY * 4) done.shift();
  }

  function settle(entry: Entry): void {
    if (entry.settled || entry.open > 0) return;
    if (entry.failure === undefined && entry.taken < entry.events.length) return;
    entry.settled = true;
    if (entry.failure === undefined) entry.resolve({ duplicates: entry.duplicates });
    else entry.reject(entry.failure);
  }

  function takeBatch(): Slice[] {
    const limit = batchLimit();
    const slices: Slice[] = [];
    let size = 0;
    let bytes = 0;
    while (queue.length > 0 && size < limit) {
      const entry = queue[0]!;
      const rest = entry.events.length - entry.taken;
      if (entry.failure !== undefined) {
        // An earlier part failed: the request is answered with that error, skip the rest.
        queue.shift();
        queued -= rest;
        queuedBytes -= rest * entry.bytesPerEvent;
        entry.taken = entry.events.length;
        settle(entry);
        continue;
      }
      const n = Math.min(rest, limit - size);
      const part = n === entry.events.length ? entry.events : entry.events.slice(entry.taken, entry.taken + n);
      slices.push({ entry, events: part, finished: false });
      entry.taken += n;
      entry.open += 1;
      size += n;
      bytes += n * entry.bytesPerEvent;
      if (entry.taken === entry.events.length) queue.shift();
    }
    queued -= size;
    queuedBytes -= bytes;
    inFlight += size;
    inFlightBytes += bytes;
    return slices;
  }

  /**
   * Claims the batch's keys and keeps the events whose key is new (or that have none); in a
   * batch holding one key twice, the first event is the one stored.
   */
  async function claim(tx: Queryable, all: NewEvent[]): Promise<Claimed> {
    const none: Claimed = { stored: all, duplicates: new Map(), kinds: { id: 0, hash: 0 } };
    if (!deps.dedup) return none;
    const { repo, settings } = deps.dedup;
    const now = (deps.dedup.clock ?? Date.now)();
    const keys: (DedupKey | null)[] = all.map((e) => dedupKeyOf(e, settings));
    const first = new Map<string, NewEvent>();
    const claims: DedupClaim[] = [];
    keys.forEach((k, i) => {
      if (k === null || first.has(k.key)) return;
      first.set(k.key, all[i]!);
      claims.push({ key: k.key, eventId: all[i]!.id, expiresMs: now + k.horizonMs });
    });
    if (claims.length === 0) return none;
    const won = await repo.claim(tx, claims, now);
    const result: Claimed = { stored: [], duplicates: new Map(), kinds: { id: 0, hash: 0 } };
    const lost: { event: NewEvent; key: string }[] = [];
    keys.forEach((k, i) => {
      const e = all[i]!;
      if (k === null) result.stored.push(e);
      else if (won.has(k.key) && first.get(k.key) === e) result.stored.push(e);
      else {
        lost.push({ event: e, key: k.key });
        result.kinds[k.kind] += 1;
      }
    });
    if (lost.length === 0) return result;
    // Keys claimed earlier name the event stored then; a key won by this batch, its first event.
    const earlier = [...new Set(lost.filter((l) => !won.has(l.key)).map((l) => l.key))];
    const owners = await repo.owners(tx, earlier);
    for (const { event, key } of lost) {
      const owner = won.has(key) ? first.get(key)!.id : owners.get(key);
      result.duplicates.set(event.id, owner ?? event.id);
    }
    return result;
  }

  async function persist(all: NewEvent[]): Promise<Claimed> {
    const started = performance.now();
    const claimed = await db.transaction(async (tx) => {
      const result = await claim(tx, all);
      await events.insertMany(tx, result.stored);
      await rollups.applyBatch(tx, result.stored);
      return result;
    });
    metrics.batchLatency.observe((performance.now() - started) / 1000);
    metrics.batchSize.observe(all.length);
    metrics.eventsStored.inc(claimed.stored.length);
    if (claimed.kinds.id > 0) metrics.eventsDuplicate.inc({ key: 'id' }, claimed.kinds.id);
    if (claimed.kinds.hash > 0) metrics.eventsDuplicate.inc({ key: 'hash' }, claimed.kinds.hash);
    return claimed;
  }

  async function publish(all: NewEvent[]): Promise<void> {
    if (all.length === 0) return;
    // Correlation reads the store; the bus carries the live tail. When the bus is down the
    // ids are parked and published later, without holding the ingest request.
    await publishOrPark({ bus, outbox: deps.outbox, metrics, log }, STREAMS.logs, all.map((e) => e.id), () =>
      all.map((e) => JSON.stringify(toBusEvent(e))),
    );
  }

  /** A slice is out of the queue's accounting before its request hears back. */
  function finish(slices: Slice[], failure?: unknown, duplicates?: Map<string, string>): void {
    for (const slice of slices) {
      if (slice.finished) continue;
      slice.finished = true;
      const { entry } = slice;
      if (duplicates !== undefined && duplicates.size > 0) {
        for (const e of slice.events) {
          const owner = duplicates.get(e.id);
          if (owner !== undefined) entry.duplicates.set(e.id, owner);
        }
      }
      inFlight -= slice.events.length;
      inFlightBytes -= slice.events.length * entry.bytesPerEvent;
      entry.open -= 1;
      if (failure !== undefined && entry.failure === undefined) entry.failure = failure;
      settle(entry);
    }
    // Per-event shares are fractions: an idle writer holds exactly nothing.
    if (inFlight === 0 && queued === 0) inFlightBytes = queuedBytes = 0;
    updateGauge();
  }

  async function writeSlices(slices: Slice[]): Promise<void> {
    const all = slices.length === 1 ? slices[0]!.events : slices.flatMap((s) => s.events);
    const started = performance.now();
    let claimed: Claimed;
    try {
      claimed = await persist(all);
    } catch (err) {
      if (slices.length > 1 && !isStoreUnavailable(err)) {
        // One bad submission must not fail the others it was coalesced with.
        for (const slice of slices) await writeSlices([slice]);
        return;
      }
      const failure = isStoreUnavailable(err)
        ? new AppError('DEPENDENCY_DOWN', 'Event storage is unavailable; retry later', { retryAfter: 5 })
        : err;
      if (!isStoreUnavailable(err)) log.error({ err, count: all.length }, 'storing a batch failed');
      finish(slices, failure);
      return;
    }
    measured(all.length, performance.now() - started);
    await publish(claimed.stored);
    finish(slices, undefined, claimed.duplicates);
  }

  async function flushLoop(): Promise<void> {
    while (queue.length > 0) {
      const slices = takeBatch();
      try {
        if (slices.length > 0) await writeSlices(slices);
      } catch (err) {
        log.error({ err }, 'writing a batch failed unexpectedly');
        finish(slices, err);
      }
      // Let requests that arrived meanwhile (health, triage) queue their queries before
      // the next transaction: PGlite serves queries in arrival order.
      await yieldToLoop();
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
    const full = queued >= batchLimit();
    if (flushing.size >= concurrency) return;
    if (flushing.size > 0 && !full) return;
    if (full || deps.delayMs === 0 || flushing.size > 0) startFlush();
    else if (!timer) timer = setTimeout(startFlush, deps.delayMs);
  }

  /** Seconds until the queue has drained at the rate of the last few seconds (1-10). */
  function retryAfterSeconds(): number {
    const since = performance.now() - RATE_WINDOW_MS;
    const recent = done.filter((d) => d.at >= since);
    if (recent.length === 0) return 1;
    const stored = recent.reduce((n, d) => n + d.count, 0);
    const perSecond = stored / (Math.max(performance.now() - recent[0]!.at, 1000) / 1000);
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(depth() / perSecond)));
  }

  function backpressure(): AppError {
    return new AppError('INGEST_BACKPRESSURE', 'Ingest queue is full; retry later', { retryAfter: retryAfterSeconds() });
  }

  return {
    /**
     * Resolves once the events are stored and published (duplicates acknowledged, named in
     * the result); rejects with 503 when the queue
     * is full (in events or bytes). `bytes` is the submission's size as received; without
     * it the events' raw JSON is measured. An empty queue always takes one submission, so
     * a request larger than the bound still gets through on its own. A refused submission
     * leaves nothing stored; one split over several transactions that fails midway (storage
     * down) is rejected, and the parts already stored stay stored (never acknowledged
     * events may then come twice if the client retries; acknowledged ones are never lost).
     */
    submit(newEvents: NewEvent[], opts: { bytes?: number } = {}): Promise<SubmitResult> {
      if (newEvents.length === 0) return Promise.resolve({ duplicates: new Map() });
      if (closed) return Promise.reject(new AppError('DEPENDENCY_DOWN', 'Server is shutting down', { retryAfter: 5 }));
      const bytes = opts.bytes ?? estimateBytes(newEvents);
      if (depth() > 0 && (depth() + newEvents.length > deps.queueMax || depthBytes() + bytes > maxBytes)) {
        metrics.eventsRejected.inc({ reason: 'backpressure' }, newEvents.length);
        return Promise.reject(backpressure());
      }
      deps.enrich?.(newEvents);
      const perEvent = bytes / newEvents.length;
      bytesPerEvent = bytesPerEvent === 0 ? perEvent : bytesPerEvent * 0.9 + perEvent * 0.1;
      return new Promise<SubmitResult>((resolve, reject) => {
        queue.push({ events: newEvents, duplicates: new Map(), taken: 0, open: 0, bytesPerEvent: perEvent, settled: false, resolve, reject });
        queued += newEvents.length;
        queuedBytes += bytes;
        updateGauge();
        schedule();
      });
    },

    depth,

    /** What admission control needs to decide before a body is read. */
    load() {
      return { events: depth(), bytes: depthBytes(), maxEvents: deps.queueMax, maxBytes, bytesPerEvent: bytesPerEvent || EVENT_OVERHEAD_BYTES };
    },

    backpressure,

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
