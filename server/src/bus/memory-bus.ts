// The in-process bus, the default when REDIS_URL is unset: Redis Streams semantics (ids,
// approximate trimming, consumer groups with a pending list, XAUTOCLAIM-style claiming)
// over plain arrays and maps. Blocked reads park on per-stream promise waiters.
import type { Bus, BusMessage, BusOptions, ReadOptions } from './bus.ts';

interface Entry {
  ms: number;
  seq: number;
  id: string;
  payload: string;
}

interface PendingEntry {
  consumer: string;
  deliveredAt: number;
  deliveries: number;
}

interface Group {
  lastMs: number;
  lastSeq: number;
  /** Insertion order is delivery order, which is id order: claimStale scans it like Redis's PEL. */
  pending: Map<string, PendingEntry>;
}

interface Stream {
  entries: Entry[];
  lastMs: number;
  lastSeq: number;
  groups: Map<string, Group>;
  waiters: Set<() => void>;
}

type Position = readonly [ms: number, seq: number];

/**
 * After close(), blocked reads resolve with [] and every later call rejects with
 * "bus is closed", so a consumer loop that missed the shutdown fails instead of spinning.
 */
export function createMemoryBus(opts: BusOptions): Bus {
  const streams = new Map<string, Stream>();
  const maxLen = Math.max(1, Math.floor(opts.maxLen));
  // Splicing the array head on every publish is O(maxLen); trimming in chunks amortises it,
  // at the price of keeping up to `trimChunk - 1` extra entries (Redis's `~` does the same).
  const trimChunk = Math.max(1, Math.min(1000, Math.ceil(maxLen / 10)));
  let closed = false;

  function open<T>(fn: () => T): Promise<T> {
    if (closed) return Promise.reject(new Error('bus is closed'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  function streamFor(name: string): Stream {
    let stream = streams.get(name);
    if (!stream) {
      stream = { entries: [], lastMs: 0, lastSeq: 0, groups: new Map(), waiters: new Set() };
      streams.set(name, stream);
    }
    return stream;
  }

  function groupFor(name: string, group: string): Group {
    const found = streams.get(name)?.groups.get(group);
    if (!found) throw new Error(`NOGROUP no stream "${name}" or consumer group "${group}"`);
    return found;
  }

  function append(stream: Stream, payload: string): string {
    const now = Date.now();
    // A clock that goes backwards must not produce a smaller id: stay on the last ms.
    if (now > stream.lastMs) {
      stream.lastMs = now;
      stream.lastSeq = 0;
    } else {
      stream.lastSeq += 1;
    }
    const id = `${stream.lastMs}-${stream.lastSeq}`;
    stream.entries.push({ ms: stream.lastMs, seq: stream.lastSeq, id, payload });
    return id;
  }

  function trim(stream: Stream): void {
    const excess = stream.entries.length - maxLen;
    if (excess >= trimChunk) stream.entries.splice(0, excess);
  }

  function wake(stream: Stream): void {
    const waiters = [...stream.waiters];
    stream.waiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Index of the first entry after `pos` (binary search: entries are in id order). */
  function firstAfter(entries: Entry[], pos: Position): number {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = entries[mid]!;
      if (e.ms < pos[0] || (e.ms === pos[0] && e.seq <= pos[1])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function find(stream: Stream, id: string): Entry | undefined {
    const pos = parseId(id);
    const at = firstAfter(stream.entries, [pos[0], pos[1] - 1]);
    const entry = stream.entries[at];
    return entry && entry.ms === pos[0] && entry.seq === pos[1] ? entry : undefined;
  }

  function slice(stream: Stream | undefined, after: Position, count: number): Entry[] {
    if (!stream) return [];
    const from = firstAfter(stream.entries, after);
    return stream.entries.slice(from, from + Math.max(1, count));
  }

  /** Runs `attempt` until it yields messages, the deadline passes or the bus closes. */
  async function withBlocking(name: string, opts: ReadOptions, attempt: () => BusMessage[]): Promise<BusMessage[]> {
    if (closed) throw new Error('bus is closed');
    const first = attempt();
    const blockMs = opts.blockMs ?? 0;
    if (first.length > 0 || blockMs <= 0) return first;
    const deadline = Date.now() + blockMs;
    const stream = streamFor(name);
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return [];
      await waitForPublish(stream, remaining);
      if (closed) return [];
      // Another reader of the same group may have taken what woke us: keep waiting then.
      const got = attempt();
      if (got.length > 0) return got;
    }
  }

  function waitForPublish(stream: Stream, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        stream.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stream.waiters.add(done);
    });
  }

  function deliver(name: string, group: string, consumer: string, count: number): BusMessage[] {
    const g = groupFor(name, group);
    const got = slice(streams.get(name), [g.lastMs, g.lastSeq], count);
    const now = Date.now();
    for (const e of got) g.pending.set(e.id, { consumer, deliveredAt: now, deliveries: 1 });
    const last = got.at(-1);
    if (last) {
      g.lastMs = last.ms;
      g.lastSeq = last.seq;
    }
    return got.map(toMessage);
  }

  function claim(name: string, group: string, consumer: string, minIdleMs: number, count: number): BusMessage[] {
    const g = groupFor(name, group);
    const stream = streamFor(name);
    const now = Date.now();
    const out: BusMessage[] = [];
    for (const [id, p] of g.pending) {
      if (out.length >= count) break;
      if (now - p.deliveredAt < minIdleMs) continue;
      const entry = find(stream, id);
      // Trimmed away: nobody can process it any more, so it leaves the pending list.
      if (!entry) {
        g.pending.delete(id);
        continue;
      }
      p.consumer = consumer;
      p.deliveredAt = now;
      p.deliveries += 1;
      out.push(toMessage(entry));
    }
    return out;
  }

  return {
    kind: 'memory',

    isConnected: () => !closed,

    publish: (name, payloads) =>
      open(() => {
        const stream = streamFor(name);
        const ids = payloads.map((p) => append(stream, p));
        trim(stream);
        if (ids.length > 0) wake(stream);
        return ids;
      }),

    read: async (name, afterId, readOpts) => {
      const after = parseId(afterId);
      return withBlocking(name, readOpts, () => slice(streams.get(name), after, readOpts.count).map(toMessage));
    },

    lastId: (name) => open(() => streams.get(name)?.entries.at(-1)?.id ?? '0-0'),

    length: (name) => open(() => streams.get(name)?.entries.length ?? 0),

    ensureGroup: (name, group, start = '$') =>
      open(() => {
        const stream = streamFor(name);
        if (stream.groups.has(group)) return;
        const [lastMs, lastSeq] = start === '$' ? [stream.lastMs, stream.lastSeq] : [0, 0];
        stream.groups.set(group, { lastMs, lastSeq, pending: new Map() });
      }),

    readGroup: (name, group, consumer, readOpts) =>
      withBlocking(name, readOpts, () => deliver(name, group, consumer, readOpts.count)),

    ack: (name, group, ids) =>
      open(() => {
        const pending = streams.get(name)?.groups.get(group)?.pending;
        if (!pending) return 0;
        let acked = 0;
        for (const id of ids) if (pending.delete(id)) acked += 1;
        return acked;
      }),

    claimStale: (name, group, consumer, minIdleMs, count) =>
      open(() => claim(name, group, consumer, minIdleMs, count)),

    pending: (name, group) => open(() => groupFor(name, group).pending.size),

    ping: () => open(() => undefined),

    close: async () => {
      if (closed) return;
      closed = true;
      for (const stream of streams.values()) wake(stream);
      streams.clear();
    },
  };
}

function toMessage(e: Entry): BusMessage {
  return { id: e.id, payload: e.payload };
}

/** "ms-seq" or "ms" (seq 0), as Redis accepts them; anything else is rejected like Redis does. */
function parseId(id: string): Position {
  const m = /^(\d{1,20})(?:-(\d{1,20}))?$/.exec(id);
  if (!m) throw new Error(`invalid stream id "${id}"`);
  return [Number(m[1]), Number(m[2] ?? 0)];
}
