// Syslog over TCP and TLS (RFC 6587, RFC 5425): one framer per connection, lines batched and
// handed to the intake one batch at a time. Backpressure is real: the socket stops being read
// while a full batch waits for the previous one, or while the write queue has no room, so a
// fast sender is slowed down by TCP itself and nothing read is ever dropped.
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { Intake } from '../../services/intake-types.ts';
import type { InputHandle } from '../../services/sources.ts';
import { deliver } from './deliver.ts';
import { createFramer } from './framing.ts';

/** A batch is handed over at this many lines or bytes, or BATCH_DELAY_MS after its first line. */
export const BATCH_LINES = 1000;
export const BATCH_BYTES = 256 * 1024;
export const BATCH_DELAY_MS = 20;
/**
 * Batches of one connection being stored at once. One would tie a connection's rate to the
 * store's round trip; a few keep the writer's transactions full (order across batches is
 * not kept, as over UDP: events carry their own time).
 */
export const MAX_IN_FLIGHT = 4;
/**
 * Bytes of framed lines all connections of a listener may hold (batching or being stored).
 * Each connection holds at most two batches, but a thousand of them would add up: past this,
 * every connection stops reading until some batch is stored.
 */
export const HELD_MAX_BYTES = 32 * 1024 * 1024;

export interface StreamInputOptions {
  name: string;
  handle: InputHandle;
  intake: Intake;
  log: Logger;
  maxLineBytes: number;
  idleMs: number;
  maxConnections: number;
  /** TLS server options (certificate, key, client CA): RFC 5425 when set, plain TCP otherwise. */
  tls?: tls.TlsOptions;
}

interface Connection {
  /** Stops reading and resolves once every line read is delivered and the socket is closed. */
  finish(): Promise<void>;
}

export interface StreamInput {
  /** Listens; resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, delivers what every connection has read, closes them. */
  stop(graceMs: number): Promise<void>;
}

export function createStreamInput(opts: StreamInputOptions): StreamInput {
  const { handle, intake, log, name } = opts;
  const connections = new Set<Connection>();
  let deadline: number | null = null;
  let held = 0;
  const budgetWaiters = new Set<() => void>();
  function release(bytes: number): void {
    held -= bytes;
    if (held >= HELD_MAX_BYTES || budgetWaiters.size === 0) return;
    const waiting = [...budgetWaiters];
    budgetWaiters.clear();
    for (const resume of waiting) resume();
  }
  const deliverOpts = { intake, log, deadline: () => deadline };

  function serve(socket: net.Socket): void {
    handle.connectionOpened();
    const ctx = { input: name, peer: socket.remoteAddress ?? null };
    const framer = createFramer({ maxBytes: opts.maxLineBytes, onDrop: (reason, n) => handle.dropped(reason, n) });
    let batch: string[] = [];
    let batchBytes = 0;
    let inFlight = 0;
    let timer: NodeJS.Timeout | null = null;
    let waitingRoom = false;
    let ending = false;
    let badFrame = false;
    let closed = false;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));

    /** Accounts the lines framed since `before`: what is held is framed lines (a partial frame is the framer's, bounded apart). */
    function count(before: number): void {
      let added = 0;
      for (let i = before; i < batch.length; i++) added += batch[i]!.length + 1;
      batchBytes += added;
      held += added;
    }

    const full = () => batch.length >= BATCH_LINES || batchBytes >= BATCH_BYTES;

    function flow(): void {
      if (closed) return;
      let pause = ending || waitingRoom || (inFlight >= MAX_IN_FLIGHT && full());
      if (!pause && held >= HELD_MAX_BYTES) {
        pause = true;
        budgetWaiters.add(flow);
      }
      if (!pause && !intake.hasRoom()) {
        waitingRoom = true;
        pause = true;
        void intake.waitForRoom().then(() => {
          waitingRoom = false;
          flow();
        });
      }
      if (pause) {
        if (!socket.isPaused()) socket.pause();
      } else if (socket.isPaused()) {
        socket.resume();
        socket.setTimeout(opts.idleMs); // re-arm: a paused socket saw no activity of its own
      }
    }

    function flush(): void {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      if (inFlight < MAX_IN_FLIGHT && batch.length > 0) {
        const lines = batch;
        const bytes = batchBytes;
        batch = [];
        batchBytes = 0;
        inFlight++;
        void deliver(deliverOpts, lines, { ...ctx, bytes }).then((stored) => {
          if (!stored) handle.dropped('queue_full', lines.length);
          inFlight--;
          release(bytes);
          // A batch that could not be handed over meanwhile has no timer left: send it now.
          if (batch.length > 0 && timer === null) flush();
          else {
            flow();
            settle();
          }
        });
      }
      flow();
      settle();
    }

    /** Once ending and everything read is delivered, the connection is done. */
    function settle(): void {
      if (!ending || inFlight > 0 || batch.length > 0) return;
      if (!closed) {
        if (badFrame) socket.destroy();
        else socket.end();
      }
      resolveDone();
    }

    function stopReading(): void {
      if (ending) return;
      ending = true;
      flush();
    }

    socket.setTimeout(opts.idleMs);
    socket.on('timeout', () => {
      if (socket.isPaused() || ending) return; // we stopped reading, not the sender
      handle.dropped('idle_timeout');
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      if (ending) return;
      handle.bytes(chunk.length);
      const before = batch.length;
      const ok = framer.push(chunk, batch);
      count(before);
      if (!ok) {
        badFrame = true;
        log.debug({ input: name, peer: ctx.peer }, 'syslog: not a valid octet count; closing the connection');
        stopReading();
        return;
      }
      if (full()) flush();
      else if (batch.length > before && timer === null) timer = setTimeout(flush, BATCH_DELAY_MS);
      flow();
    });
    socket.on('end', () => {
      const before = batch.length;
      framer.end(batch);
      count(before);
      stopReading();
    });
    socket.on('error', (err) => log.debug({ err, input: name, peer: ctx.peer }, 'syslog connection error'));
    socket.on('close', () => {
      closed = true;
      handle.connectionClosed();
      stopReading();
    });

    const conn: Connection = {
      finish() {
        stopReading();
        return done.then(() => {
          if (!socket.destroyed) socket.destroy();
        });
      },
    };
    connections.add(conn);
    void done.then(() => connections.delete(conn));
  }

  const server = opts.tls
    ? tls.createServer({ ...opts.tls, handshakeTimeout: Math.min(opts.idleMs, 30_000) }, serve)
    : net.createServer(serve);
  server.maxConnections = opts.maxConnections;
  server.on('drop', () => handle.dropped('too_many_connections'));
  if (opts.tls) {
    server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
      handle.dropped('tls_handshake');
      log.debug({ err, input: name, peer: socket.remoteAddress }, 'syslog TLS handshake failed');
      socket.destroy();
    });
  }
  server.on('error', (err) => log.error({ err, input: name }, 'syslog listener error'));
  // Every accepted socket, TLS ones still in their handshake included, so stop() can close them.
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen({ host, port }, () => {
          server.off('error', onError);
          resolve((server.address() as net.AddressInfo).port);
        });
      });
    },
    async stop(graceMs) {
      deadline = performance.now() + graceMs;
      const closedServer = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map((c) => c.finish()));
      for (const socket of sockets) socket.destroy();
      await closedServer;
    },
  };
}
