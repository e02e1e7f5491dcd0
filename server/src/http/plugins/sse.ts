// Server-Sent Events over a hijacked reply: headers and a first comment go out at once,
// a keepalive comment after each idle period, `id:` lines for Last-Event-ID resume. Streams
// are admitted against per-account and per-process bounds and re-checked while open (see
// live-clients). A client that stops reading is dropped once its buffer passes a bound, and
// a message is serialized once for all its readers, so a fan-out to many slow clients
// cannot grow the server's memory beyond (streams x buffer bound).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BusMessage } from '../../bus/bus.ts';
import type { FeedHub } from '../../services/feed-hub.ts';
import type { LiveClients } from '../../services/live-clients.ts';
import { isStreamId } from '../../bus/bus.ts';
import type { Metrics } from '../../metrics.ts';

export interface FeedOptions {
  hub: FeedHub;
  metrics: Metrics;
  clients: LiveClients;
  /** Bytes a client may leave unread before it is dropped (SSE_CLIENT_BUFFER_BYTES). */
  bufferBytes: number;
  stream: string;
  event: string;
  keepaliveMs: number;
  /** Bus payload -> one-line JSON data. */
  toData: (payload: string) => string;
}

// The hub hands the same message object to every subscriber: its frame is built once.
const frames = new WeakMap<BusMessage, string | null>();

export async function streamFeed(request: FastifyRequest, reply: FastifyReply, opts: FeedOptions): Promise<void> {
  // The header is what EventSource sends on its own retries; `last_event_id` in the query
  // (an addition) lets a client that opens a new EventSource resume too.
  const header = request.headers['last-event-id'];
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.last_event_id;
  const candidate = typeof header === 'string' ? header.trim() : typeof fromQuery === 'string' ? fromQuery.trim() : '';
  const lastEventId = isStreamId(candidate) ? candidate : undefined;
  // Before the hijack: a refusal is an ordinary JSON 429/503.
  const release = opts.clients.admit({ userId: request.user!.id, token: request.authToken!, end: () => close() });
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let open = true;
  let keepalive: NodeJS.Timeout | undefined;
  const subscription: { stop?: () => void } = {};

  // `drop`: the client stopped reading; destroying the socket frees what it left unread
  // at once (end() would keep it until the connection times out).
  const close = (drop = false) => {
    if (!open) return;
    open = false;
    clearTimeout(keepalive);
    subscription.stop?.();
    release();
    opts.metrics.sseClients.dec({ feed: opts.event });
    pending = '';
    if (drop) raw.destroy();
    else raw.end();
  };
  // Frames of one delivery burst are joined into one socket write: a write per frame
  // costs a few hundred bytes of bookkeeping each, which for a stalled client is more than
  // the frames themselves.
  let pending = '';
  let flushing = false;
  const flush = () => {
    flushing = false;
    if (!open || pending === '') return;
    const chunk = pending;
    pending = '';
    raw.write(chunk);
    if (raw.writableLength > opts.bufferBytes) {
      request.log.warn({ feed: opts.event }, 'dropping a live-feed client that stopped reading');
      close(true);
      return;
    }
    armKeepalive();
  };
  const write = (text: string) => {
    if (!open) return;
    pending += text;
    if (pending.length + raw.writableLength > opts.bufferBytes) {
      flush();
      return;
    }
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  };
  const armKeepalive = () => {
    clearTimeout(keepalive);
    keepalive = setTimeout(() => write(': keepalive\n\n'), opts.keepaliveMs);
  };

  opts.metrics.sseClients.inc({ feed: opts.event });
  request.raw.on('close', () => close());
  raw.on('error', () => close(true));
  write(': connected\n\n');
  subscription.stop = await opts.hub.subscribe(
    opts.stream,
    {
      onMessage: (msg) => {
        let frame = frames.get(msg);
        if (frame === undefined) {
          try {
            frame = `id: ${msg.id}\nevent: ${opts.event}\ndata: ${opts.toData(msg.payload)}\n\n`;
          } catch (err) {
            request.log.warn({ err, id: msg.id }, 'skipping an unreadable feed message');
            frame = null;
          }
          frames.set(msg, frame);
        }
        if (frame !== null) write(frame);
      },
      onReconnecting: () => write(': reconnecting\n\n'),
      onClose: close,
    },
    lastEventId,
  );
  if (!open) subscription.stop();
}

/** The handler of a live-feed route: one bus stream, one SSE event name. */
export function feedHandler(
  deps: { hub: FeedHub; metrics: Metrics; clients: LiveClients; keepaliveSeconds: number; bufferBytes: number },
  feed: { stream: string; event: string; toData: (payload: string) => string },
) {
  return (request: FastifyRequest, reply: FastifyReply) =>
    streamFeed(request, reply, { hub: deps.hub, metrics: deps.metrics, clients: deps.clients, bufferBytes: deps.bufferBytes, keepaliveMs: deps.keepaliveSeconds * 1000, ...feed });
}

/** What a feed route takes from the app's dependencies. */
export function sseDeps(deps: { hub: FeedHub; metrics: Metrics; liveClients: LiveClients; config: { SSE_KEEPALIVE_SECONDS: number; SSE_CLIENT_BUFFER_BYTES: number } }) {
  return {
    hub: deps.hub,
    metrics: deps.metrics,
    clients: deps.liveClients,
    keepaliveSeconds: deps.config.SSE_KEEPALIVE_SECONDS,
    bufferBytes: deps.config.SSE_CLIENT_BUFFER_BYTES,
  };
}
