// Deduplication of retried deliveries: which key an event is remembered under (the id its
// sender gave it, else, when enabled, a digest of the raw event), how a client id is
// checked, and the pruning of expired keys. The writer claims the keys in the transaction
// that stores the batch, so an event is stored (and correlated) once per key.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { EventIdSchema, EVENT_ID_MAX } from '@siem/contracts';
import type { DedupRepo } from '../store/dedup-repo.ts';
import type { NewEvent } from '../store/events-repo.ts';

export interface DedupSettings {
  /** How long a client-given id is remembered (ms). */
  idHorizonMs: number;
  /** How long a digest of the raw event is remembered (ms); 0 = events without an id are never deduplicated. */
  hashHorizonMs: number;
}

export interface DedupKey {
  key: string;
  kind: 'id' | 'hash';
  horizonMs: number;
}

/**
 * The key an event is remembered under, or null. Kinds are prefixed so a client id can never
 * equal a digest. Scenario events are never deduplicated: a playbook repeats identical
 * events on purpose, and a run is not a delivery that could be retried.
 */
export function dedupKeyOf(e: NewEvent, settings: DedupSettings): DedupKey | null {
  if (e.scenario_run_id !== null) return null;
  if (e.clientId !== undefined) return { key: `id:${e.clientId}`, kind: 'id', horizonMs: settings.idHorizonMs };
  if (settings.hashHorizonMs <= 0) return null;
  // The event as it arrived: a text line's `{message}`, a document as sent. Receipt time
  // is left out (a retry arrives later), so is the input (a retry may come another way).
  const digest = createHash('sha256').update(JSON.stringify(e.raw)).digest('base64url');
  return { key: `hash:${digest}`, kind: 'hash', horizonMs: settings.hashHorizonMs };
}

export type ClientIdCheck = { ok: true; id: string | undefined } | { ok: false; message: string };

/**
 * A client-given event id: absent (undefined/null), or 1 to EVENT_ID_MAX characters without
 * control characters. `numbers` accepts an integer (ECS event.id, Elasticsearch _id) as its text.
 */
export function checkClientId(value: unknown, field: string, opts: { numbers?: boolean } = {}): ClientIdCheck {
  if (value === undefined || value === null) return { ok: true, id: undefined };
  const text = opts.numbers && typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  const parsed = EventIdSchema.safeParse(text);
  if (parsed.success) return { ok: true, id: parsed.data };
  if (typeof text !== 'string') return { ok: false, message: `${field} must be a string` };
  if (text.length === 0) return { ok: false, message: `${field} must not be empty` };
  if (text.length > EVENT_ID_MAX) return { ok: false, message: `${field} is longer than ${EVENT_ID_MAX} characters` };
  return { ok: false, message: `${field} must not contain control characters` };
}

/** ECS `event.id` of a document (nested `{event: {id}}` or the dotted key), checked. */
export function ecsEventId(doc: Record<string, unknown>): ClientIdCheck {
  const event = doc.event;
  const nested = event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>).id : undefined;
  return checkClientId(Object.hasOwn(doc, 'event.id') ? doc['event.id'] : nested, 'event.id', { numbers: true });
}

export interface DedupPrunerDeps {
  dedup: DedupRepo;
  log: Logger;
  intervalMs?: number;
  /** Keys deleted per statement. */
  batch?: number;
  /** Statements per round: a backlog is worked off over several rounds, not in one long one. */
  maxBatches?: number;
  clock?: () => number;
}

/** Deletes expired keys every `intervalMs`, in bounded batches. */
export function createDedupPruner(deps: DedupPrunerDeps) {
  const intervalMs = deps.intervalMs ?? 60_000;
  const batch = deps.batch ?? 5000;
  const maxBatches = deps.maxBatches ?? 20;
  const clock = deps.clock ?? Date.now;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function pruneOnce(): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await deps.dedup.prune(clock(), batch);
      total += n;
      if (n < batch) break;
    }
    return total;
  }

  function tick(): void {
    if (running) return;
    running = pruneOnce()
      .catch((err: unknown) => {
        deps.log.warn({ err }, 'pruning expired dedup keys failed; trying again later');
        return 0;
      })
      .finally(() => {
        running = null;
      });
  }

  return {
    /** One round now (tests, and the first round after start). */
    pruneOnce,
    start(): void {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type DedupPruner = ReturnType<typeof createDedupPruner>;
