// Ingest admission at the HTTP edge, before any byte of the body is read: a route with
// `config.admission` reserves its declared Content-Length (413 at once when over the
// route's body limit, 503 + Retry-After at once when the queue and the bodies in flight
// are full). A chunked body grows its reservation as it streams in and is cut off the
// moment it no longer fits. The reservation is released however the request ends. A
// client that asks `Expect: 100-continue` (curl does past 1 MB) is told to send only once
// its request is admitted, so a refused body never travels at all.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { IngestAdmission, Reservation } from '../../services/ingest-admission.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Ingest route: admission control on the body before it is read; `events` is the most one request may hold. */
    admission?: { events: number };
  }
  interface FastifyRequest {
    /** Size of the body as received (admission routes). */
    bodyBytes?: number;
  }
}

/** What a chunked body reserves up front; it grows by what actually arrives. */
const CHUNKED_INITIAL_BYTES = 64 * 1024;

const reservations = new WeakMap<FastifyRequest, Reservation>();

function declaredLength(request: FastifyRequest): number | null {
  const header = request.headers['content-length'];
  if (header === undefined) return null;
  const n = Number(header);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Counts the bytes of a chunked body against its reservation, failing the stream with the 503. */
class CountingStream extends Transform {
  receivedEncodedLength = 0;

  constructor(private readonly reservation: Reservation, private readonly onBytes: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.receivedEncodedLength += chunk.length;
    this.onBytes(this.receivedEncodedLength);
    const over = this.receivedEncodedLength - this.reservation.bytes;
    try {
      if (over > 0) this.reservation.grow(Math.max(over, CHUNKED_INITIAL_BYTES));
    } catch (err) {
      done(err as Error);
      return;
    }
    done(null, chunk);
  }
}

const wantsContinue = (request: FastifyRequest) => String(request.headers.expect ?? '').toLowerCase() === '100-continue';
const continued = new WeakSet<FastifyRequest>();

export function registerAdmission(app: FastifyInstance, admission: IngestAdmission): void {
  // Node answers `100 Continue` by itself unless someone listens for checkContinue; we
  // listen, and answer it below once every check of the request has passed.
  app.server.on('checkContinue', (req, res) => app.server.emit('request', req, res));

  const sendContinue = (request: FastifyRequest, raw: { writeContinue(): void }) => {
    if (!wantsContinue(request)) return;
    raw.writeContinue();
    continued.add(request);
  };
  // Answered without `100 Continue`, the client never sent its body: the connection cannot
  // carry another request (its next bytes could be read as that body), so it is closed.
  app.addHook('onSend', async (request, reply) => {
    if (wantsContinue(request) && !continued.has(request)) reply.header('connection', 'close');
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.admission) {
      sendContinue(request, reply.raw);
      return;
    }
    const declared = declaredLength(request);
    const limit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
    if (declared !== null && declared > limit) {
      // The client is about to send all of it: close rather than read it to the end.
      reply.header('connection', 'close');
      throw new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than the limit of ${limit} bytes`);
    }
    // A refused body is then read and dropped (the connection stays usable): closing
    // instead resets connections whose upload is still under way, and under load clients
    // then see a reset rather than the 503 and its Retry-After.
    const reservation = admission.reserve(declared ?? Math.min(limit, CHUNKED_INITIAL_BYTES), request.routeOptions.config.admission.events);
    reservations.set(request, reservation);
    request.bodyBytes = declared ?? 0;
    sendContinue(request, reply.raw);
    // 'close' comes once the answer is sent or the connection is gone, whichever way the
    // request ended (success, error, client abort, timeout).
    reply.raw.once('close', () => reservation.release());
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const reservation = reservations.get(request);
    if (!reservation || declaredLength(request) !== null) return payload;
    const counter = new CountingStream(reservation, (n) => (request.bodyBytes = n));
    payload.on('error', (err) => counter.destroy(err));
    return payload.pipe(counter);
  });
}
