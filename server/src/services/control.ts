// The control channel: what server processes tell each other on the bus stream "control"
// (rules or shared lists changed, a scenario run was controlled). One zod union gives every
// message its shape; one reader per process parses each message and dispatches it by type
// to the handlers registered for it. A message that does not parse is counted and skipped.
//
// Mixed versions: the type strings and fields of earlier releases are kept (`rules_changed`
// with `at`, `scenario_control` with `run_id`), unknown keys are ignored, and a type this
// process does not know (sent by a newer one) is counted as `unknown_type`, never thrown.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import type { Metrics } from '../metrics.ts';

const Ids = z.array(z.string().min(1).max(200)).max(1000);

export const ControlMessageSchema = z.discriminatedUnion('type', [
  /** Rules were created, changed, enabled, disabled or deleted (rule_ids: which ones, when known). */
  z.object({ type: z.literal('rules_changed'), at: z.number(), rule_ids: Ids.optional() }),
  /** Shared lists changed (rules that use them must be compiled again). */
  z.object({ type: z.literal('lists_changed'), at: z.number(), list_ids: Ids.optional() }),
  /** Threat-intel lists or indicators changed: every process rebuilds its indicator index. */
  z.object({ type: z.literal('intel_changed'), at: z.number(), version: z.number().int().optional() }),
  /** A scenario run's stored state changed: the process playing it applies it. */
  z.object({
    type: z.literal('scenario_control'),
    run_id: z.string().min(1).max(200),
    action: z.enum(['stop', 'pause', 'resume', 'speed']).optional(),
  }),
]);
export type ControlMessage = z.infer<typeof ControlMessageSchema>;
export type ControlType = ControlMessage['type'];
export type ControlOf<T extends ControlType> = Extract<ControlMessage, { type: T }>;
export type ControlHandler<T extends ControlType> = (message: ControlOf<T>) => void | Promise<void>;

const TYPES: ReadonlySet<string> = new Set<ControlType>(['rules_changed', 'lists_changed', 'intel_changed', 'scenario_control']);
/** Longest payload read; a control message is a few hundred bytes. */
const MAX_PAYLOAD = 65_536;
/** An invalid message is logged the first time, then once every this many. */
const LOG_INVALID_EVERY = 100;
/** A failed announcement is retried this often, this many times (the safety-net reload covers the rest). */
const RETRY_MS = 1000;
const RETRY_MAX = 60;
/** Failed announcements kept for retrying; beyond it the oldest is given up. */
const PENDING_MAX = 100;

/** Announcements that say the same thing (the newest supersedes the older) share a key. */
const pendingKey = (m: ControlMessage): string => (m.type === 'scenario_control' ? `${m.type}:${m.run_id}` : m.type);

export type InvalidReason = 'malformed' | 'unknown_type' | 'invalid';

export type ParsedControl = { ok: true; message: ControlMessage } | { ok: false; reason: InvalidReason; detail: string };

/** Parses one payload of the control stream; never throws. */
export function parseControl(payload: string): ParsedControl {
  if (payload.length > MAX_PAYLOAD) return { ok: false, reason: 'malformed', detail: `payload of ${payload.length} characters` };
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not JSON' };
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !TYPES.has(type)) {
    return { ok: false, reason: 'unknown_type', detail: `type ${JSON.stringify(type ?? null).slice(0, 80)}` };
  }
  const parsed = ControlMessageSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid', detail: parsed.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`).join('; ').slice(0, 300) };
  }
  return { ok: true, message: parsed.data };
}

/** Publishes one control message (validated: an invalid one is a programming error and throws). */
export async function publishControl(bus: Bus, message: ControlMessage): Promise<void> {
  const checked = ControlMessageSchema.parse(message);
  await bus.publish(STREAMS.control, [JSON.stringify(checked)]);
}

export interface ControlChannelDeps {
  bus: Bus;
  log: Logger;
  metrics: Metrics;
  /** Longest blocking read of the stream (default 500 ms). */
  blockMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createControlChannel(deps: ControlChannelDeps) {
  const { bus, log, metrics } = deps;
  const blockMs = deps.blockMs ?? 500;
  // Stored untyped: on() pairs each handler with its type, dispatch looks it up by that type.
  type AnyHandler = (message: ControlMessage) => void | Promise<void>;
  const handlers = new Map<ControlType, AnyHandler[]>();
  const gapHandlers: (() => void)[] = [];
  let running = false;
  let loop: Promise<void> | null = null;
  let live = false;
  let everLive = false;
  let invalid = 0;
  /** Announcements that failed, by what they say: only the newest of each is worth retrying. */
  const pending = new Map<string, { message: ControlMessage; attempts: number }>();
  let retryTimer: NodeJS.Timeout | null = null;

  async function dispatch(payload: string): Promise<void> {
    const parsed = parseControl(payload);
    if (!parsed.ok) {
      metrics.controlInvalid.inc({ reason: parsed.reason });
      if (invalid++ % LOG_INVALID_EVERY === 0) {
        log.warn({ reason: parsed.reason, detail: parsed.detail, invalid_so_far: invalid }, `control message skipped (logged once every ${LOG_INVALID_EVERY})`);
      }
      return;
    }
    const { message } = parsed;
    metrics.controlMessages.inc({ type: message.type });
    for (const handler of handlers.get(message.type) ?? []) {
      try {
        await handler(message);
      } catch (err) {
        log.error({ err, type: message.type }, 'control message handler failed');
      }
    }
  }

  function gap(): void {
    for (const handler of gapHandlers) {
      try {
        handler();
      } catch (err) {
        log.error({ err }, 'control gap handler failed');
      }
    }
  }

  async function read(): Promise<void> {
    let position: string | null = null;
    while (running) {
      try {
        if (!bus.isConnected()) {
          live = false;
          position = null;
          await sleep(250);
          continue;
        }
        if (position === null) {
          position = await bus.lastId(STREAMS.control);
          // Messages sent while this reader was not reading are lost to it.
          if (everLive) gap();
          live = everLive = true;
        }
        const messages = await bus.read(STREAMS.control, position, { count: 100, blockMs });
        for (const msg of messages) {
          position = msg.id;
          await dispatch(msg.payload);
        }
      } catch (err) {
        if (!running) break;
        live = false;
        position = null;
        log.warn({ err }, 'reading the control stream failed; retrying');
        await sleep(1000);
      }
    }
    live = false;
  }

  async function retryPending(): Promise<void> {
    retryTimer = null;
    for (const [key, entry] of pending) {
      try {
        await publishControl(bus, entry.message);
        pending.delete(key);
      } catch {
        if (++entry.attempts >= RETRY_MAX) {
          pending.delete(key);
          log.warn({ type: entry.message.type }, 'gave up announcing a control message; other processes pick the change up with their periodic reload');
        }
      }
    }
    if (pending.size > 0 && running) schedule();
  }

  function schedule(): void {
    retryTimer ??= setTimeout(() => void retryPending(), RETRY_MS);
    retryTimer.unref();
  }

  return {
    /** Registers a handler for one message type; returns a function that removes it. */
    on<T extends ControlType>(type: T, handler: ControlHandler<T>): () => void {
      const list = handlers.get(type) ?? [];
      const entry = handler as unknown as AnyHandler;
      list.push(entry);
      handlers.set(type, list);
      return () => {
        const at = list.indexOf(entry);
        if (at >= 0) list.splice(at, 1);
      };
    },

    /** Called when the reader resumes after an outage: messages sent meanwhile were missed. */
    onGap(handler: () => void): void {
      gapHandlers.push(handler);
    },

    /** True while messages from other processes reach this one (bus connected, reader reading). */
    isLive: (): boolean => live && bus.isConnected(),

    /**
     * Tells every process (this one included). A failure is logged and retried in the
     * background for about a minute; it never throws: the change itself is already stored.
     */
    async announce(message: ControlMessage): Promise<void> {
      ControlMessageSchema.parse(message); // a malformed message is a bug: thrown, not retried
      const key = pendingKey(message);
      try {
        await publishControl(bus, message);
        pending.delete(key);
      } catch (err) {
        log.warn({ err, type: message.type }, 'could not announce a control message on the bus; retrying in the background');
        pending.delete(key);
        pending.set(key, { message, attempts: 0 });
        if (pending.size > PENDING_MAX) pending.delete(pending.keys().next().value!);
        if (running) schedule();
      }
    },

    /** Handles one payload as if read from the stream (the reader's own path). */
    dispatch,

    start(): void {
      if (running) return;
      running = true;
      loop = read();
      if (pending.size > 0) schedule();
    },

    async stop(): Promise<void> {
      running = false;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      await loop;
      loop = null;
    },
  };
}
export type ControlChannel = ReturnType<typeof createControlChannel>;
