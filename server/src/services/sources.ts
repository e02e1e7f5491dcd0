// The Sources registry: every input (its state, address, counters) and what arrives through
// them (events per second, parse failures, last seen, top hosts and formats, a sample of the
// lines no parser knew). Inputs and the intake service report here; GET /v1/sources and
// /metrics read it. Everything is bounded: top lists and samples have fixed sizes.
import type { Metrics } from '../metrics.ts';

export type InputState = 'listening' | 'off' | 'error';

/** Why an input dropped something before it became a record. */
export type DropReason =
  | 'bad_frame'
  | 'invalid_utf8'
  | 'line_too_long'
  | 'idle_timeout'
  | 'too_many_connections'
  | 'queue_full'
  | 'tls_handshake'
  | 'unauthorized'
  | 'bad_request';

export interface InputSnapshot {
  name: string;
  kind: string;
  state: InputState;
  address: string | null;
  error: string | null;
  events_total: number;
  events_per_second: number;
  parse_failures_total: number;
  bytes_total: number;
  dropped_total: number;
  dropped: Record<string, number>;
  connections: number;
  last_seen: string | null;
}

export interface SourcesSnapshot {
  inputs: InputSnapshot[];
  top_hosts: { host: string; events: number; last_seen: string }[];
  top_formats: { format: string; events: number }[];
  unparsed_samples: { input: string; peer: string | null; line: string; at: string }[];
}

export interface InputHandle {
  /** Listening at `address` (host:port), off (port 0), or failed to start. */
  setState(state: InputState, address?: string | null, error?: string | null): void;
  /** Bytes read off the wire (before framing). */
  bytes(n: number): void;
  dropped(reason: DropReason, n?: number): void;
  connectionOpened(): void;
  connectionClosed(): void;
}

interface InputEntry {
  name: string;
  kind: string;
  state: InputState;
  address: string | null;
  error: string | null;
  events: number;
  parseFailures: number;
  bytes: number;
  dropped: Map<string, number>;
  connections: number;
  lastSeenMs: number | null;
  /** Events per second over a sliding window of one-second buckets. */
  buckets: number[];
  bucketSecond: number;
}

const RATE_WINDOW_SECONDS = 10;
const MAX_HOSTS = 1_000;
/** With the host table full, hosts silent this long make room for new ones. */
const HOST_QUIET_MS = 15 * 60_000;
const HOST_SWEEP_INTERVAL_MS = 10_000;
const TOP = 10;
const MAX_SAMPLES = 20;
const SAMPLE_MAX_CHARS = 2_000;

export interface SourcesDeps {
  metrics: Metrics;
  clock?: () => number;
}

export function createSources(deps: SourcesDeps) {
  const clock = deps.clock ?? Date.now;
  const inputs = new Map<string, InputEntry>();
  const hosts = new Map<string, { events: number; lastSeenMs: number }>();
  const formats = new Map<string, number>();
  const samples: { input: string; peer: string | null; line: string; atMs: number }[] = [];

  /** An input known only from the events it delivered (HTTP routes never register) is up. */
  function entry(name: string, kind = name, state: InputState = 'listening'): InputEntry {
    let e = inputs.get(name);
    if (!e) {
      e = {
        name, kind, state, address: null, error: null, events: 0, parseFailures: 0, bytes: 0,
        dropped: new Map(), connections: 0, lastSeenMs: null, buckets: new Array<number>(RATE_WINDOW_SECONDS).fill(0), bucketSecond: 0,
      };
      inputs.set(name, e);
    }
    return e;
  }

  let lastSweepMs = -Infinity;
  /** Full table: make room by forgetting hosts quiet for a while (one sweep per interval at most). */
  function forgetQuietHosts(nowMs: number): void {
    if (nowMs - lastSweepMs < HOST_SWEEP_INTERVAL_MS) return;
    lastSweepMs = nowMs;
    for (const [name, h] of hosts) if (nowMs - h.lastSeenMs > HOST_QUIET_MS) hosts.delete(name);
  }

  function roll(e: InputEntry, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const gap = second - e.bucketSecond;
    if (gap <= 0) return;
    for (let i = 1; i <= Math.min(gap, RATE_WINDOW_SECONDS); i++) e.buckets[(e.bucketSecond + i) % RATE_WINDOW_SECONDS] = 0;
    e.bucketSecond = second;
  }

  return {
    /** The handle an input reports through; registering twice returns the same entry. */
    register(name: string, kind: string): InputHandle {
      const e = entry(name, kind, 'off');
      e.kind = kind;
      return {
        setState(state, address = null, error = null) {
          e.state = state;
          e.address = address;
          e.error = error;
          deps.metrics.inputUp.set({ input: name }, state === 'listening' ? 1 : 0);
        },
        bytes(n) {
          e.bytes += n;
          deps.metrics.inputBytes.inc({ input: name }, n);
        },
        dropped(reason, n = 1) {
          e.dropped.set(reason, (e.dropped.get(reason) ?? 0) + n);
          deps.metrics.inputDropped.inc({ input: name, reason }, n);
        },
        connectionOpened() {
          e.connections += 1;
          deps.metrics.inputConnections.set({ input: name }, e.connections);
        },
        connectionClosed() {
          e.connections = Math.max(0, e.connections - 1);
          deps.metrics.inputConnections.set({ input: name }, e.connections);
        },
      };
    },

    /** One stored record, reported by the intake service. */
    recordEvent(input: string, r: { host: string | null; format: string; unparsed: boolean; line?: string; peer?: string | null }): void {
      const now = clock();
      const e = entry(input);
      roll(e, now);
      e.events += 1;
      e.buckets[e.bucketSecond % RATE_WINDOW_SECONDS]! += 1;
      e.lastSeenMs = now;
      deps.metrics.inputEvents.inc({ input, format: r.format });
      formats.set(r.format, (formats.get(r.format) ?? 0) + 1);
      if (r.host) {
        const h = hosts.get(r.host);
        if (h) {
          h.events += 1;
          h.lastSeenMs = now;
        } else {
          if (hosts.size >= MAX_HOSTS) forgetQuietHosts(now);
          if (hosts.size < MAX_HOSTS) hosts.set(r.host, { events: 1, lastSeenMs: now });
        }
      }
      if (r.unparsed) {
        e.parseFailures += 1;
        deps.metrics.inputParseFailures.inc({ input });
        if (r.line !== undefined) {
          samples.push({ input, peer: r.peer ?? null, line: r.line.slice(0, SAMPLE_MAX_CHARS), atMs: now });
          if (samples.length > MAX_SAMPLES) samples.shift();
        }
      }
    },

    snapshot(): SourcesSnapshot {
      const now = clock();
      const iso = (ms: number) => new Date(ms).toISOString();
      return {
        inputs: [...inputs.values()].map((e) => {
          roll(e, now);
          // The current second is still filling: the rate is over the completed ones.
          const current = e.buckets[e.bucketSecond % RATE_WINDOW_SECONDS]!;
          const sum = e.buckets.reduce((a, b) => a + b, 0) - current;
          return {
            name: e.name,
            kind: e.kind,
            state: e.state,
            address: e.address,
            error: e.error,
            events_total: e.events,
            events_per_second: Math.round((sum / (RATE_WINDOW_SECONDS - 1)) * 10) / 10,
            parse_failures_total: e.parseFailures,
            bytes_total: e.bytes,
            dropped_total: [...e.dropped.values()].reduce((a, b) => a + b, 0),
            dropped: Object.fromEntries(e.dropped),
            connections: e.connections,
            last_seen: e.lastSeenMs === null ? null : iso(e.lastSeenMs),
          };
        }),
        top_hosts: [...hosts.entries()]
          .sort((a, b) => b[1].events - a[1].events)
          .slice(0, TOP)
          .map(([host, h]) => ({ host, events: h.events, last_seen: iso(h.lastSeenMs) })),
        top_formats: [...formats.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, TOP)
          .map(([format, events]) => ({ format, events })),
        unparsed_samples: samples.map((s) => ({ input: s.input, peer: s.peer, line: s.line, at: iso(s.atMs) })).reverse(),
      };
    },
  };
}
export type Sources = ReturnType<typeof createSources>;
