// Syslog over UDP (RFC 5426): one datagram is one message (or several, LF-separated). Lines are
// micro-batched per sender and handed to the intake without waiting; UDP cannot be slowed
// down, so when the write queue is full the datagrams are dropped and counted, never queued
// here without bound.
import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from 'pino';
import type { Intake } from '../../services/intake-types.ts';
import type { InputHandle } from '../../services/sources.ts';
import { deliver } from './deliver.ts';
import { splitDatagram } from './framing.ts';
import { BATCH_DELAY_MS, BATCH_LINES } from './stream.ts';

/** Kernel receive buffer asked for, so bursts wait in the socket rather than being lost. */
const RECV_BUFFER_BYTES = 4 * 1024 * 1024;
/** Lines handed over and not yet stored: beyond this, datagrams are dropped as queue_full. */
const MAX_IN_FLIGHT_LINES = 20_000;
/** Senders batched apart at once; more flush the batches early. */
const MAX_PEERS_PENDING = 256;

export interface UdpInputOptions {
  handle: InputHandle;
  intake: Intake;
  log: Logger;
  maxLineBytes: number;
}

export interface UdpInput {
  listen(host: string, port: number): Promise<number>;
  stop(): Promise<void>;
}

export function createUdpInput(opts: UdpInputOptions): UdpInput {
  const { handle, intake, log } = opts;
  const name = 'syslog-udp';
  let socket: dgram.Socket | null = null;
  const pending = new Map<string, { lines: string[]; bytes: number }>();
  let pendingLines = 0;
  let inFlightLines = 0;
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  const onDrop = (reason: 'line_too_long' | 'invalid_utf8' | 'bad_frame') => handle.dropped(reason);
  // A datagram refused now cannot be asked again: no waiting, no retry (deadline already past).
  const deliverOpts = { intake, log, deadline: () => 0 };

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    for (const [peer, batch] of pending) {
      inFlightLines += batch.lines.length;
      const p = deliver(deliverOpts, batch.lines, { input: name, peer, bytes: batch.bytes }).then((stored) => {
        inFlightLines -= batch.lines.length;
        if (!stored) handle.dropped('queue_full', batch.lines.length);
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    pending.clear();
    pendingLines = 0;
  }

  function onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    handle.bytes(msg.length);
    const lines: string[] = [];
    splitDatagram(msg, opts.maxLineBytes, onDrop, lines);
    if (lines.length === 0) return;
    if (!intake.hasRoom() || inFlightLines + pendingLines >= MAX_IN_FLIGHT_LINES) {
      handle.dropped('queue_full', lines.length);
      return;
    }
    let batch = pending.get(rinfo.address);
    if (!batch) {
      if (pending.size >= MAX_PEERS_PENDING) flush();
      batch = { lines: [], bytes: 0 };
      pending.set(rinfo.address, batch);
    }
    for (const l of lines) batch.lines.push(l);
    batch.bytes += msg.length;
    pendingLines += lines.length;
    if (pendingLines >= BATCH_LINES) flush();
    else if (timer === null) timer = setTimeout(flush, BATCH_DELAY_MS);
  }

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        const s = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4' });
        const onError = (err: Error) => {
          s.close();
          reject(err);
        };
        s.once('error', onError);
        s.on('message', onMessage);
        s.bind({ address: host, port }, () => {
          s.off('error', onError);
          s.on('error', (err) => log.warn({ err, input: name }, 'syslog UDP socket error'));
          try {
            // Best effort: the kernel may cap it (net.core.rmem_max).
            s.setRecvBufferSize(RECV_BUFFER_BYTES);
          } catch (err) {
            log.debug({ err }, 'syslog UDP: could not enlarge the receive buffer');
          }
          socket = s;
          resolve(s.address().port);
        });
      });
    },
    async stop() {
      if (socket) {
        const s = socket;
        socket = null;
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      flush();
      await Promise.all([...inFlight]);
    },
  };
}
