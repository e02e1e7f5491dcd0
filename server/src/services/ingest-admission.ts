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
  let bodies = 0;

  /**
   * Whether `bytes` more fit beside what is reserved and queued, in bytes and in the
   * events they will become. With nothing in flight anything fits, so a body larger than
   * the bound still gets through on its own.
   */
  function fits(bytes: number, own: number): boolean {
    const load = deps.load();
    const others = reserved - own;
    if (load.bytes === 0 && load.events === 0 && others === 0) return true;
    if (load.bytes + reserved + bytes > load.maxBytes) return false;
    const projected = load.events + (reserved + bytes) / load.bytesPerEvent;
    return load.events < load.maxEvents && projected <= load.maxEvents;
  }

  const gauge = () => deps.metrics.admissionBytes.set(reserved);

  function refuse(): never {
    deps.metrics.eventsRejected.inc({ reason: 'backpressure' });
    throw deps.refusal();
  }

  return {
    /** Reserves room for a body of `bytes`; throws the 503 INGEST_BACKPRESSURE when it does not fit. */
    reserve(bytes: number): Reservation {
      if (!fits(bytes, 0)) refuse();
      let held = bytes;
      let open = true;
      reserved += held;
      bodies += 1;
      gauge();
      return {
        get bytes() {
          return held;
        },
        grow(more: number) {
          if (!open) return;
          if (!fits(more, held)) refuse();
          held += more;
          reserved += more;
          gauge();
        },
        release() {
          if (!open) return;
          open = false;
          reserved -= held;
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
