// Live feeds: one bus reader per stream per process fans messages out to every open SSE
// connection, so a hundred dashboards cost one blocking read, not a hundred. A subscriber
// that reconnects with Last-Event-ID first receives what it missed (bounded), then joins
// the live flow with no gap and no duplicate.
import type { Logger } from 'pino';
import type { Bus, BusMessage } from '../bus/bus.ts';
import { compareIds } from '../bus/bus.ts';

export interface FeedSubscriber {
  onMessage(msg: BusMessage): void;
  /** The bus failed; the hub retries in about a second. */
  onReconnecting(): void;
  /** The hub is shutting down; the subscriber should end its connection. */
  onClose?(): void;
}

interface Sub extends FeedSubscriber {
  cursor: string;
  buffering: BusMessage[] | null;
}

interface StreamState {
  subs: Set<Sub>;
  position: string;
  ready: Promise<void>;
  loopActive: boolean;
}

export function createFeedHub(deps: { bus: Bus; log: Logger; replayMax: number; blockMs?: number }) {
  const { bus, log } = deps;
  const blockMs = deps.blockMs ?? 1000;
  const streams = new Map<string, StreamState>();
  let closed = false;

  function deliver(sub: Sub, msg: BusMessage) {
    if (compareIds(msg.id, sub.cursor) <= 0) return;
    sub.cursor = msg.id;
    try {
      sub.onMessage(msg);
    } catch (err) {
      log.warn({ err }, 'feed subscriber failed');
    }
  }

  async function loop(stream: string, state: StreamState) {
    while (!closed && state.subs.size > 0) {
      try {
        const messages = await bus.read(stream, state.position, { count: 500, blockMs });
        for (const msg of messages) {
          state.position = msg.id;
          for (const sub of state.subs) {
            if (sub.buffering) sub.buffering.push(msg);
            else deliver(sub, msg);
          }
        }
      } catch (err) {
        if (closed) break;
        log.warn({ err, stream }, 'live feed read failed; retrying');
        for (const sub of state.subs) sub.onReconnecting();
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    // Checked and cleared in one tick: a subscriber arriving later starts a new loop.
    state.loopActive = false;
  }

  async function replay(stream: string, sub: Sub, lastEventId: string) {
    let after = lastEventId;
    let sent = 0;
    while (sent < deps.replayMax) {
      const batch = await bus.read(stream, after, { count: Math.min(500, deps.replayMax - sent) });
      if (batch.length === 0) break;
      for (const msg of batch) deliver(sub, msg);
      sent += batch.length;
      after = batch.at(-1)!.id;
    }
  }

  return {
    /** Starts delivering to `subscriber`; returns the function that stops it. */
    async subscribe(stream: string, subscriber: FeedSubscriber, lastEventId?: string): Promise<() => void> {
      let state = streams.get(stream);
      if (!state) {
        state = { subs: new Set(), position: '0-0', ready: Promise.resolve(), loopActive: false };
        streams.set(stream, state);
      }
      let startLoop = false;
      if (!state.loopActive) {
        // The feed starts at "now": an idle stream's position is refreshed before anyone joins.
        const s = state;
        s.loopActive = true;
        startLoop = true;
        s.ready = bus.lastId(stream).then((id) => void (s.position = id), () => undefined);
      }
      await state.ready;
      const sub: Sub = { ...subscriber, cursor: lastEventId ?? state.position, buffering: lastEventId ? [] : null };
      state.subs.add(sub);
      if (startLoop) void loop(stream, state);
      if (lastEventId) {
        try {
          await replay(stream, sub, lastEventId);
        } catch (err) {
          log.warn({ err, stream }, 'feed replay failed');
        }
        const buffered = sub.buffering ?? [];
        sub.buffering = null;
        for (const msg of buffered) deliver(sub, msg);
      }
      const current = state;
      return () => {
        current.subs.delete(sub);
      };
    },

    clientCount(stream: string): number {
      return streams.get(stream)?.subs.size ?? 0;
    },

    /** Ends every subscription (server shutdown): open SSE responses are closed. */
    close() {
      closed = true;
      for (const state of streams.values()) {
        for (const sub of [...state.subs]) sub.onClose?.();
        state.subs.clear();
      }
    },
  };
}
export type FeedHub = ReturnType<typeof createFeedHub>;
