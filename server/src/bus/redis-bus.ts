// The bus on Redis Streams (REDIS_URL): one shared connection for ordinary commands and a
// small pool of dedicated connections for XREAD/XREADGROUP BLOCK, because a blocked
// connection serves nobody else until its command returns.
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import { withTimeout } from '../lib/timeout.ts';
import type { Bus, BusMessage, BusOptions, ReadOptions } from './bus.ts';

export interface RedisBusOptions extends BusOptions {
  /** Prepended to every stream name to form its key (e.g. "siem:"). */
  prefix: string;
  /** Most blocking reads in flight at once; more wait for a free connection. Default 16. */
  maxBlockingConnections?: number;
  /** Connection errors (refused, reset, ...). Calls reject on their own; this is for logging. */
  onError?: (err: Error) => void;
}

const PING_TIMEOUT_MS = 2000;
const QUIT_TIMEOUT_MS = 1000;
/** Beyond its BLOCK time, how long a blocking read may go unanswered before its connection is presumed dead. */
const BLOCK_GRACE_MS = 1000;
/** A timer this late says the event loop was blocked, not that Redis is silent. */
const STALL_MS = 250;

// Finite retries so a call fails within a second or two when Redis is down instead of
// queueing forever; the offline queue still absorbs a short reconnect. RESP2 because the
// stream replies are parsed by position: under RESP3 ioredis reshapes XREAD's map reply
// only for some spellings of the command (`call('XREAD')` gets a flat [key, entries]).
const CONNECTION_OPTIONS: RedisOptions = {
  protocol: 2,
  connectTimeout: PING_TIMEOUT_MS,
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  retryStrategy: (times) => Math.min(times * 200, 1000),
  // disconnect() arms a timer of this length on the socket, even a dead one (status
  // "reconnecting"), that holds the process open: keep the exit after close() quick.
  disconnectTimeout: 200,
};

// A blocking read cut by a dropped connection must not be replayed later behind the
// caller's back (the caller re-reads, possibly with another consumer name). ioredis then
// drops the command without settling it, hence guardedCall().
const BLOCKING_OPTIONS: RedisOptions = { autoResendUnfulfilledCommands: false };

/**
 * Resolves without waiting for Redis: call ping() to fail fast at boot. After close(),
 * blocked reads resolve with [] and every later call rejects with "bus is closed".
 */
export async function createRedisBus(url: string, opts: RedisBusOptions): Promise<Bus> {
  const maxLen = Math.max(1, Math.floor(opts.maxLen));
  let closed = false;
  let lastError: Error | undefined;
  const onError = (err: Error): void => {
    lastError = err;
    opts.onError?.(err);
  };
  // Named after the prefix so CLIENT LIST tells which deployment holds which connection
  // (Redis refuses names with spaces).
  const connectionName = `${opts.prefix}bus`.replace(/[^!-~]/g, '_');
  const main = new Redis(url, { ...CONNECTION_OPTIONS, connectionName });
  main.on('error', onError);
  const pool = createBlockingPool(main, opts.maxBlockingConnections ?? 16, onError);
  const key = (stream: string): string => opts.prefix + stream;

  function ensureOpen(): void {
    if (closed) throw new Error('bus is closed');
  }

  /** Runs a read on a pooled connection when it blocks, on the shared one otherwise. */
  async function blockingRead(
    blockMs: number | undefined,
    command: (blockArgs: (string | number)[]) => [string, ...(string | number)[]],
  ): Promise<BusMessage[]> {
    ensureOpen();
    if (!blockMs || blockMs <= 0) return parseRead(await main.call(...command([])));
    const deadline = Date.now() + blockMs;
    const conn = await pool.acquire(deadline);
    if (closed) {
      if (conn) pool.release(conn);
      return [];
    }
    // No free connection before the deadline: one non-blocking look is all that is left.
    if (!conn) return parseRead(await main.call(...command([])));
    const ms = Math.max(1, Math.ceil(deadline - Date.now()));
    try {
      const reply = await guardedCall(conn, command(['BLOCK', ms]), ms + BLOCK_GRACE_MS);
      pool.release(conn);
      return parseRead(reply);
    } catch (err) {
      // close() disconnects blocked connections on purpose; their reads end empty.
      if (closed) {
        pool.release(conn);
        return [];
      }
      // A Redis error (NOGROUP...) leaves the connection sound; anything else may not have.
      if (err instanceof ReplyError) pool.release(conn);
      else pool.discard(conn);
      throw err;
    }
  }

  async function claimStale(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    count: number,
  ): Promise<BusMessage[]> {
    ensureOpen();
    const minIdle = Math.max(0, Math.floor(minIdleMs));
    const out: BusMessage[] = [];
    if (count <= 0) return out;
    let cursor = '0-0';
    // One XAUTOCLAIM scans a bounded slice of the pending list, so an empty batch does not
    // mean there is nothing further on: follow the cursor until it wraps to 0-0.
    do {
      const left = count - out.length;
      const reply = await main.call('XAUTOCLAIM', key(stream), group, consumer, minIdle, cursor, 'COUNT', left);
      const [next, entries] = reply as [string, unknown];
      out.push(...parseEntries(entries));
      cursor = String(next);
    } while (cursor !== '0-0' && out.length < count);
    return out;
  }

  return {
    kind: 'redis',

    async publish(stream, payloads) {
      ensureOpen();
      if (payloads.length === 0) return [];
      const pipe = main.pipeline();
      for (const p of payloads) pipe.xadd(key(stream), 'MAXLEN', '~', maxLen, '*', 'p', p);
      const results = await pipe.exec();
      if (!results) throw new Error('redis pipeline was discarded');
      return results.map(([err, id]) => {
        if (err) throw err;
        return String(id);
      });
    },

    read: (stream, afterId, o: ReadOptions) =>
      blockingRead(o.blockMs, (block) => ['XREAD', 'COUNT', o.count, ...block, 'STREAMS', key(stream), afterId]),

    async lastId(stream) {
      ensureOpen();
      const newest = await main.xrevrange(key(stream), '+', '-', 'COUNT', 1);
      return newest[0]?.[0] ?? '0-0';
    },

    async length(stream) {
      ensureOpen();
      return main.xlen(key(stream));
    },

    async ensureGroup(stream, group, start = '$') {
      ensureOpen();
      try {
        await main.xgroup('CREATE', key(stream), group, start, 'MKSTREAM');
      } catch (err) {
        if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) throw err;
      }
    },

    readGroup: (stream, group, consumer, o) =>
      blockingRead(o.blockMs, (block) => [
        'XREADGROUP', 'GROUP', group, consumer, 'COUNT', o.count, ...block, 'STREAMS', key(stream), '>',
      ]),

    async ack(stream, group, ids) {
      ensureOpen();
      if (ids.length === 0) return 0;
      return main.xack(key(stream), group, ...ids);
    },

    claimStale,

    async pending(stream, group) {
      ensureOpen();
      const summary = (await main.xpending(key(stream), group)) as unknown[];
      return Number(summary[0] ?? 0);
    },

    isConnected: () => !closed && main.status === 'ready',

    async ping() {
      ensureOpen();
      try {
        await withTimeout(main.ping(), PING_TIMEOUT_MS, `no answer within ${PING_TIMEOUT_MS} ms`);
      } catch (err) {
        const cause = lastError && lastError !== err ? ` (last connection error: ${lastError.message})` : '';
        throw new Error(`Redis is unreachable: ${(err as Error).message}${cause}`, { cause: err });
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pool.close(), quit(main)]);
    },
  };
}

interface BlockingPool {
  /** A dedicated connection, or null if none frees up before `deadline` or the pool closes. */
  acquire(deadline: number): Promise<Redis | null>;
  release(conn: Redis): void;
  /** Drops a connection that may be broken or still blocked; its slot is freed. */
  discard(conn: Redis): void;
  close(): Promise<void>;
}

/** One connection per concurrent blocking read, created on demand and kept for reuse. */
function createBlockingPool(main: Redis, max: number, onError: (err: Error) => void): BlockingPool {
  const idle: Redis[] = [];
  const busy = new Set<Redis>();
  const waiting = new Set<(conn: Redis | null) => void>();
  let closed = false;

  function open(): Redis {
    const connectionName = `${main.options.connectionName ?? ''}-blocking`;
    const conn = main.duplicate({ ...BLOCKING_OPTIONS, connectionName });
    conn.on('error', onError);
    return conn;
  }

  return {
    acquire(deadline) {
      if (closed) return Promise.resolve(null);
      const conn = idle.pop() ?? (busy.size < max ? open() : undefined);
      if (conn) {
        busy.add(conn);
        return Promise.resolve(conn);
      }
      return new Promise((resolve) => {
        const hand = (c: Redis | null): void => {
          clearTimeout(timer);
          waiting.delete(hand);
          resolve(c);
        };
        const timer = setTimeout(() => hand(null), Math.max(0, deadline - Date.now()));
        waiting.add(hand);
      });
    },

    discard(conn) {
      busy.delete(conn);
      if (conn.status !== 'end') conn.disconnect();
      const next = waiting.values().next();
      if (!next.done && !closed) {
        const fresh = open();
        busy.add(fresh);
        next.value(fresh);
      }
    },

    release(conn) {
      // close() already disconnected it; a second disconnect() would arm ioredis's 2 s
      // destroy timer on a socket that never closes again and hold the process open.
      if (closed) {
        busy.delete(conn);
        return;
      }
      // Hand it straight to the oldest waiter: it stays busy, no reconnect, no reordering.
      const next = waiting.values().next();
      if (!next.done) return next.value(conn);
      busy.delete(conn);
      idle.push(conn);
    },

    async close() {
      closed = true;
      for (const hand of [...waiting]) hand(null);
      // A blocked command only returns when its socket goes; its read then resolves [].
      for (const conn of busy) conn.disconnect();
      await Promise.all(idle.splice(0).map(quit));
    },
  };
}

/**
 * The reply of a blocking command, or a rejection as soon as its connection closes or it
 * stays unanswered past `deadlineMs` (a silently dead socket).
 */
function guardedCall(conn: Redis, args: [string, ...(string | number)[]], deadlineMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void) => (): void => {
      clearTimeout(timer);
      conn.off('close', onClose);
      fn();
    };
    const onClose = settle(() => reject(new Error('Redis connection lost during a blocking read')));
    const expire = settle(() => reject(new Error(`Redis did not answer a blocking read within ${deadlineMs} ms`)));
    // A timer that fires late means this process was stalled (a long synchronous task), not
    // that Redis went quiet: the reply may sit unread in the socket, and timers run before
    // I/O in the loop. Give the socket one more grace period after a stall.
    const arm = (ms: number, due: number): void => {
      timer = setTimeout(() => {
        if (Date.now() - due > STALL_MS) arm(BLOCK_GRACE_MS, Date.now() + BLOCK_GRACE_MS);
        else expire();
      }, ms);
    };
    arm(deadlineMs, Date.now() + deadlineMs);
    conn.once('close', onClose);
    conn.call(...args).then(
      (reply) => settle(() => resolve(reply))(),
      (err: unknown) => settle(() => reject(err))(),
    );
  });
}

/** QUIT when connected (lets replies drain), else drop the socket; never hangs on a dead server. */
async function quit(conn: Redis): Promise<void> {
  if (conn.status === 'ready') {
    const quitted = await withTimeout(conn.quit(), QUIT_TIMEOUT_MS, 'quit timed out').then(
      () => true,
      () => false,
    );
    if (quitted) return;
  }
  if (conn.status !== 'end') conn.disconnect();
}

/** XREAD/XREADGROUP reply: null on timeout, else [[key, [[id, [field, value, ...]], ...]]]. */
function parseRead(reply: unknown): BusMessage[] {
  if (!Array.isArray(reply)) return [];
  const first = reply[0] as unknown[] | undefined;
  return parseEntries(first?.[1]);
}

/**
 * Stream entries as [id, [field, value, ...]]. Entries deleted while pending come back as
 * nil from XAUTOCLAIM (Redis 7 also lists their ids apart and drops them from the group);
 * they are skipped.
 */
function parseEntries(entries: unknown): BusMessage[] {
  if (!Array.isArray(entries)) return [];
  const messages: BusMessage[] = [];
  for (const entry of entries as ([string, string[] | null] | null)[]) {
    if (entry?.[1]) messages.push({ id: entry[0], payload: fieldValue(entry[1], 'p') });
  }
  return messages;
}

/** The value of `name` in a flat [field, value, ...] list ("" if a foreign writer left it out). */
function fieldValue(fields: string[], name: string): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!;
  return '';
}
