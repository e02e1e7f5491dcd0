// The one live-feed helper: an EventSource per feed (token in the query, the only way
// EventSource authenticates), messages batched and handed to the feed's handler that
// patches the TanStack Query cache, connection state in a Zustand store.
// Reconnecting: the browser's own retry keeps Last-Event-ID, so the first error is left to
// it; if that retry fails too, or the browser gave up (non-200), the source is closed and
// reopened with exponential backoff. A manual reopen passes the last id seen as
// `last_event_id` (EventSource cannot set the header) so the server replays what it still
// holds, and the feed's onResync refetches the lists for anything older.
import type { QueryClient } from '@tanstack/react-query';
import { create } from 'zustand';
import { buildUrl } from './api-client.ts';

export type FeedStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
export interface FeedState {
  status: FeedStatus;
  /** Manual reconnect attempts since the last successful open. */
  attempt: number;
}

interface ConnectionState {
  feeds: Record<string, FeedState>;
  setFeed: (name: string, state: FeedState) => void;
  reset: () => void;
}

export const useConnection = create<ConnectionState>()((set) => ({
  feeds: {},
  setFeed: (name, state) => set((s) => ({ feeds: { ...s.feeds, [name]: state } })),
  reset: () => set({ feeds: {} }),
}));

export interface FeedSpec<T> {
  name: string;
  /** API path of the stream, e.g. `/alerts/stream`. */
  path: string;
  /** SSE event name; unnamed messages are ignored. */
  event: string;
  /** Validates one payload; null drops it. */
  parse: (data: unknown) => T | null;
  onBatch: (items: T[], queryClient: QueryClient) => void;
  onResync?: (queryClient: QueryClient) => void;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface LiveFeedOptions {
  queryClient: QueryClient;
  token: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs of different payloads
  feeds: FeedSpec<any>[];
  EventSourceImpl?: typeof EventSource;
  backoff?: Backoff;
  /** Messages are handed over at most this often (cache writes re-render the screen). */
  flushMs?: number;
  /** 0..1; jitter spreads reconnects of many tabs after a server restart. */
  random?: () => number;
  /** Asked before each manual reopen; false gives up (the token is no longer valid). */
  beforeReconnect?: () => Promise<boolean>;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000, factor: 2 };
const CLOSED = 2;

export function backoffDelay(attempt: number, b: Backoff, random: () => number): number {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface LiveFeeds {
  stop: () => void;
}

export function startLiveFeeds(opts: LiveFeedOptions): LiveFeeds {
  const ES = opts.EventSourceImpl ?? EventSource;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const flushMs = opts.flushMs ?? 250;
  const random = opts.random ?? Math.random;
  const setFeed = useConnection.getState().setFeed;
  let stopped = false;
  const stoppers = opts.feeds.map((spec) => runFeed(spec));

  function runFeed<T>(spec: FeedSpec<T>): () => void {
    let source: EventSource | null = null;
    let attempt = 0;
    let nativeErrors = 0;
    let needsResync = false;
    let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let buffer: T[] = [];

    const flush = () => {
      flushTimer = null;
      if (stopped || buffer.length === 0) return;
      const items = buffer;
      buffer = [];
      try {
        spec.onBatch(items, opts.queryClient);
      } catch (err) {
        console.warn(`live feed ${spec.name}: handler failed`, err);
      }
    };

    let lastEventId: string | null = null;
    const onMessage = (e: MessageEvent) => {
      if (e.lastEventId) lastEventId = e.lastEventId;
      let data: unknown;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        return;
      }
      const item = spec.parse(data);
      if (item === null) return;
      buffer.push(item);
      flushTimer ??= setTimeout(flush, flushMs);
    };

    const open = () => {
      if (stopped) return;
      setFeed(spec.name, { status: attempt > 0 ? 'reconnecting' : 'connecting', attempt });
      // A reopened source asks the server to replay what it missed (last_event_id).
      const es = new ES(buildUrl(spec.path, { token: opts.token, last_event_id: lastEventId ?? undefined }));
      source = es;
      es.addEventListener('open', () => {
        if (source !== es) return;
        attempt = 0;
        nativeErrors = 0;
        setFeed(spec.name, { status: 'open', attempt: 0 });
        if (needsResync) {
          needsResync = false;
          spec.onResync?.(opts.queryClient);
        }
      });
      es.addEventListener(spec.event, onMessage as EventListener);
      es.addEventListener('error', () => {
        if (source !== es || stopped) return;
        if (es.readyState !== CLOSED && nativeErrors === 0) {
          // The browser retries by itself and resumes with Last-Event-ID: let it try once.
          nativeErrors++;
          setFeed(spec.name, { status: 'reconnecting', attempt });
          return;
        }
        es.close();
        source = null;
        scheduleReopen();
      });
    };

    const scheduleReopen = () => {
      const delay = backoffDelay(attempt, backoff, random);
      attempt++;
      nativeErrors = 0;
      needsResync = true;
      setFeed(spec.name, { status: 'reconnecting', attempt });
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        void (async () => {
          if (opts.beforeReconnect) {
            let proceed = true;
            try {
              proceed = await opts.beforeReconnect();
            } catch {
              // Could not check (server down): keep trying, the backoff grows.
            }
            if (stopped) return;
            if (!proceed) {
              setFeed(spec.name, { status: 'closed', attempt });
              return;
            }
          }
          open();
        })();
      }, delay);
    };

    open();
    return () => {
      source?.close();
      source = null;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (flushTimer) clearTimeout(flushTimer);
      buffer = [];
      setFeed(spec.name, { status: 'idle', attempt: 0 });
    };
  }

  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      for (const stop of stoppers) stop();
    },
  };
}
