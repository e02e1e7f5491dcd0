// Server-Sent Events over a hijacked reply: headers and a first comment go out at once,
// a keepalive comment after each idle period, `id:` lines for Last-Event-ID resume. A
// client that stops reading is dropped once its buffer passes a bound, so one slow tab
// cannot grow the server's memory.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FeedHub } from '../../services/feed-hub.ts';
import { isStreamId } from '../../bus/bus.ts';
import type { Metrics } from '../../metrics.ts';

const MAX_BUFFERED_BYTES = 1_048_576;

export interface FeedOptions {
  hub: FeedHub;
  metrics: Metrics;
  stream: string;
  event: string;
  keepaliveMs: number;
  /** Bus payload -> one-line JSON data. */
  toData: (payload: string) => string;
}

export async function streamFeed(request: FastifyRequest, reply: FastifyReply, opts: FeedOptions): Promise<void> {
  // The header is what EventSource sends on its own retries; `last_event_id` in the query
  // (an addition) lets a client that opens a new EventSource resume too.
  const header = request.headers['last-event-id'];
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.last_event_id;
  const candidate = typeof header === 'string' ? header.trim() : typeof fromQuery === 'string' ? fromQuery.trim() : '';
  const lastEventId = isStreamId(candidate) ? candidate : undefined;
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

  const close = () => {
    if (!open) return;
    open = false;
    clearTimeout(keepalive);
    subscription.stop?.();
    opts.metrics.sseClients.dec({ feed: opts.event });
    raw.end();
  };
  const write = (text: string) => {
    if (!open) return;
    raw.write(text);
    if (raw.writableLength > MAX_BUFFERED_BYTES) {
      request.log.warn({ feed: opts.event }, 'dropping a live-feed client that stopped reading');
      close();
      return;
    }
    armKeepalive();
  };
  const armKeepalive = () => {
    clearTimeout(keepalive);
    keepalive = setTimeout(() => write(': keepalive\n\n'), opts.keepaliveMs);
  };

  opts.metrics.sseClients.inc({ feed: opts.event });
  request.raw.on('close', close);
  raw.on('error', close);
  write(': connected\n\n');
  subscription.stop = await opts.hub.subscribe(
    opts.stream,
    {
      onMessage: (msg) => {
        let data: string;
        try {
          data = opts.toData(msg.payload);
        } catch (err) {
          request.log.warn({ err, id: msg.id }, 'skipping an unreadable feed message');
          return;
        }
        write(`id: ${msg.id}\nevent: ${opts.event}\ndata: ${data}\n\n`);
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
  deps: { hub: FeedHub; metrics: Metrics; keepaliveSeconds: number },
  feed: { stream: string; event: string; toData: (payload: string) => string },
) {
  return (request: FastifyRequest, reply: FastifyReply) =>
    streamFeed(request, reply, { hub: deps.hub, metrics: deps.metrics, keepaliveMs: deps.keepaliveSeconds * 1000, ...feed });
}
