// Admission control for ingest bodies, decided before a body is read: a request reserves
// its declared size (or grows its reservation as chunks arrive) against one byte bound
// shared with the write queue, so bodies being received and parsed plus events waiting to
// be stored never exceed INGEST_QUEUE_MAX_BYTES. Refusing costs nothing; parsing does.
import { AppError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';

export interface QueueLoad {
  events: number;
  bytes: number;
  maxEvents: number;
  maxBytes: number;
  /** Recent average size of a submitted event, to turn reserved bytes into events. */
  bytesPerEvent: number;
}

export interface AdmissionDeps {
  /** The write queue's current load (EventWriter.load). */
  load: () => QueueLoad;
  /** The 503 to answer, with a Retry-After that fits the queue (EventWriter.backpressure). */
  refusal: () => AppError;
  metrics: Metrics;
}

export interface Reservation {
  /** Bytes held for this body. */
  readonly bytes: number;
  /** Holds `more` bytes too; throws the 503 when they do not fit. */
  grow(more: number): void;
  /** Gives the bytes back; later calls do nothing. */
  release(): void;
}

export function createIngestAdmission(deps: AdmissionDeps) {
  let reserved = 0;
  // Events the reserved bodies may become: bytes over the recent size of an event, but
  // never more than the route takes per request (one 5 MB event is not 30,000 events).
  let reservedEvents = 0;
  let bodies = 0;

  /**
   * Whether `bytes` (becoming up to `events`) more fit beside what is reserved and
   * queued, in bytes and in events. With nothing in flight anything fits, so a body
   * larger than the bound still gets through on its own.
   */
  function fits(bytes: number, events: number, ownBytes: number): boolean {
    const load = deps.load();
    if (load.bytes === 0 && load.events === 0 && reserved - ownBytes === 0) return true;
    if (load.bytes + reserved + bytes > load.maxBytes) return false;
    return load.events < load.maxEvents && load.events + reservedEvents + events <= load.maxEvents;
  }

  const eventsIn = (bytes: number, maxEvents: number) => Math.min(maxEvents, Math.ceil(bytes / deps.load().bytesPerEvent));

  const gauge = () => deps.metrics.admissionBytes.set(reserved);

  function refuse(): never {
    deps.metrics.eventsRejected.inc({ reason: 'backpressure' });
    throw deps.refusal();
  }

  return {
    /**
     * Reserves room for a body of `bytes` holding at most `maxEvents` events; throws the
     * 503 INGEST_BACKPRESSURE when it does not fit.
     */
    reserve(bytes: number, maxEvents = Number.POSITIVE_INFINITY): Reservation {
      let events = eventsIn(bytes, maxEvents);
      if (!fits(bytes, events, 0)) refuse();
      let held = bytes;
      let open = true;
      reserved += held;
      reservedEvents += events;
      bodies += 1;
      gauge();
      return {
        get bytes() {
          return held;
        },
        grow(more: number) {
          if (!open) return;
          const moreEvents = eventsIn(held + more, maxEvents) - events;
          if (!fits(more, moreEvents, held)) refuse();
          held += more;
          events += moreEvents;
          reserved += more;
          reservedEvents += moreEvents;
          gauge();
        },
        release() {
          if (!open) return;
          open = false;
          reserved -= held;
          reservedEvents -= events;
          bodies -= 1;
          gauge();
        },
      };
    },

    /** Bytes reserved by bodies in flight, and how many bodies. */
    inFlight(): { bytes: number; bodies: number } {
      return { bytes: reserved, bodies };
    },
  };
}
export type IngestAdmission = ReturnType<typeof createIngestAdmission>;
