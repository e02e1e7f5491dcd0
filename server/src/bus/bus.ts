// The streams interface every producer and consumer uses: append, tail from an id,
// consumer groups with ack and claiming of stale pending entries. Implemented in memory
// (one process, the default) and on Redis Streams (REDIS_URL) with the same semantics,
// proven by one contract suite (server/test/bus/bus-contract.ts).

/** One stream entry. Ids are "<ms>-<seq>" strings, ordered as Redis orders them. */
export interface BusMessage {
  id: string;
  payload: string;
}

export interface ReadOptions {
  /** Most messages to return. */
  count: number;
  /** Wait up to this long for a first message when none is available (0 = do not wait). */
  blockMs?: number;
}

export interface Bus {
  readonly kind: 'memory' | 'redis';

  /** Appends payloads in order; returns their ids. Trims each stream to about `maxLen` entries. */
  publish(stream: string, payloads: string[]): Promise<string[]>;

  /** Messages with id strictly greater than `afterId` ("0-0" = from the oldest kept). */
  read(stream: string, afterId: string, opts: ReadOptions): Promise<BusMessage[]>;

  /** Id of the newest message, or "0-0" when the stream is empty or missing. */
  lastId(stream: string): Promise<string>;

  /** Number of entries currently kept. */
  length(stream: string): Promise<number>;

  /** Creates the group if missing; `start` "$" = only new messages, "0" = everything kept. */
  ensureGroup(stream: string, group: string, start?: '$' | '0'): Promise<void>;

  /** New messages for this consumer of the group; they stay pending until acked. */
  readGroup(stream: string, group: string, consumer: string, opts: ReadOptions): Promise<BusMessage[]>;

  /** Acknowledges; returns how many were pending. */
  ack(stream: string, group: string, ids: string[]): Promise<number>;

  /**
   * Moves to `consumer` the entries pending for longer than `minIdleMs` in the group (any
   * consumer, this one included) and returns them; entries trimmed away are dropped.
   */
  claimStale(stream: string, group: string, consumer: string, minIdleMs: number, count: number): Promise<BusMessage[]>;

  /** Number of entries delivered to the group and not yet acknowledged. */
  pending(stream: string, group: string): Promise<number>;

  /**
   * False while the connection is known to be down (reconnecting): callers that have a
   * fallback (the store) use it instead of waiting for a call to time out.
   */
  isConnected(): boolean;

  /** Throws when the bus cannot be reached (health check). */
  ping(): Promise<void>;

  /** Ends blocked reads (they resolve with []) and releases connections. */
  close(): Promise<void>;
}

export interface BusOptions {
  /** Approximate number of entries each stream keeps (about 10,000). */
  maxLen: number;
}

/** Orders two stream ids ("ms-seq"); -1, 0 or 1. */
export function compareIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/** True for a syntactically valid stream id (used to vet Last-Event-ID). */
export function isStreamId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value);
}

export const STREAMS = { logs: 'logs', alerts: 'alerts', control: 'control' } as const;
