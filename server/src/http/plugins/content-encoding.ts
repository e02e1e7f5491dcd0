// Compressed request bodies on the ingest routes: `Content-Encoding: gzip` (or `x-gzip`),
// `deflate` (zlib-wrapped as HTTP says, or raw deflate as some clients send it) and
// `identity`, stacked in the order the header lists them. Decompression streams and is
// bounded: past the route's body limit in decompressed bytes the request is a 413 and the
// inflater is torn down, so a zip bomb never expands beyond the bound. A corrupt or
// truncated stream is a 400, an encoding we do not know a 415. Used by the main app's
// ingest routes (every route with `config.admission`) and by the shipper listener.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';

export type Coding = 'gzip' | 'deflate';

/** Codings one request may stack (`gzip, gzip` is legal; a hundred of them is an attack). */
const MAX_CODINGS = 2;

/**
 * The codings of a Content-Encoding header, in the order they were applied (decode in
 * reverse). Throws the 415 for an unknown coding.
 */
export function parseContentEncoding(header: string | string[] | undefined): Coding[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  const codings: Coding[] = [];
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    if (name === 'gzip' || name === 'x-gzip') codings.push('gzip');
    else if (name === 'deflate') codings.push('deflate');
    else throw new AppError('CONTENT_ENCODING_UNSUPPORTED', `Content-Encoding "${name.slice(0, 40)}" is not supported (gzip, deflate, identity)`);
    if (codings.length > MAX_CODINGS) throw new AppError('CONTENT_ENCODING_UNSUPPORTED', `At most ${MAX_CODINGS} content codings are accepted`);
  }
  return codings;
}

const tooLarge = (limit: number) => new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than the limit of ${limit} bytes once decompressed`);
const corrupt = (coding: Coding, err: Error) => new AppError('CONTENT_ENCODING_INVALID', `The ${coding} body could not be decompressed: ${err.message}`);

/** zlib-wrapped deflate starts with a CMF/FLG pair whose 16-bit value is a multiple of 31. */
const isZlibHeader = (b: Buffer) => b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;

/**
 * Decompresses one coding, counting what comes out against `limit`. `receivedEncodedLength`
 * is what Fastify compares with Content-Length (the bytes on the wire, not the decoded ones).
 */
export class DecodeStream extends Transform {
  /** Bytes this decoder read; `wire` is the decoder that reads the socket when codings stack. */
  encodedIn = 0;
  decodedLength = 0;
  wire: DecodeStream = this;
  private inner: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | null = null;
  private failed = false;
  private pending = Buffer.alloc(0);

  constructor(private readonly coding: Coding, private readonly limit: number) {
    super();
  }

  private start(first: Buffer): void {
    const inner = this.coding === 'gzip' ? zlib.createGunzip() : isZlibHeader(first) ? zlib.createInflate() : zlib.createInflateRaw();
    inner.on('data', (out: Buffer) => {
      if (this.failed) return;
      this.decodedLength += out.length;
      if (this.decodedLength > this.limit) return this.fail(tooLarge(this.limit));
      this.push(out);
    });
    inner.on('error', (err) => this.fail(corrupt(this.coding, err)));
    this.inner = inner;
  }

  private fail(err: AppError): void {
    if (this.failed) return;
    this.failed = true;
    this.inner?.destroy();
    this.destroy(err);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.encodedIn += chunk.length;
    if (this.failed) return done();
    if (!this.inner) {
      // Raw or zlib deflate is told apart by the first two bytes.
      if (this.coding === 'deflate' && this.pending.length + chunk.length < 2) {
        this.pending = Buffer.concat([this.pending, chunk]);
        return done();
      }
      chunk = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
      this.pending = Buffer.alloc(0);
      this.start(chunk);
    }
    this.inner!.write(chunk, () => done());
  }

  get receivedEncodedLength(): number {
    return this.wire.encodedIn;
  }

  override _flush(done: TransformCallback): void {
    if (this.failed) return done();
    if (!this.inner) {
      if (this.pending.length === 0) return done();
      this.start(this.pending);
      this.inner!.write(this.pending);
    }
    const inner = this.inner!;
    inner.once('end', () => done());
    inner.end();
  }

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }
}

/**
 * Wraps `payload` in the decoders its Content-Encoding asks for (none: returned as is).
 * Throws the 415 for an unknown coding; `decoded()` is the decompressed byte count so far.
 */
export function decodeBody(payload: NodeJS.ReadableStream, header: string | string[] | undefined, limit: number): { stream: NodeJS.ReadableStream; decoded: () => number } | null {
  const codings = parseContentEncoding(header);
  if (codings.length === 0) return null;
  let stream = payload;
  let last: DecodeStream | null = null;
  let first: DecodeStream | null = null;
  for (const coding of [...codings].reverse()) {
    const decoder = new DecodeStream(coding, limit);
    // Fastify listens for errors while it reads the body; a body it never reads (no
    // parser for the route, answered early) must not turn a corrupt stream into a crash.
    decoder.on('error', () => {});
    stream.on('error', (err: Error) => decoder.destroy(err));
    stream = stream.pipe(decoder);
    first ??= decoder;
    last = decoder;
  }
  // Fastify compares Content-Length with the bytes the first decoder read off the wire.
  last!.wire = first!;
  return { stream, decoded: () => last!.decodedLength };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Decode compressed bodies on this route (implied by `admission`). */
    contentEncoding?: boolean;
  }
}

/**
 * Registers the decoding on every route with `config.admission` or `config.contentEncoding`.
 * Register it after the admission plugin: admission counts the bytes on the wire, this
 * decodes them, and `request.bodyBytes` ends as the decompressed size.
 */
export function registerContentEncoding(app: FastifyInstance): void {
  app.addHook('preParsing', async (request: FastifyRequest, _reply, payload) => {
    const config = request.routeOptions.config;
    if (!config.admission && !config.contentEncoding) return payload;
    const limit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
    const decoded = decodeBody(payload, request.headers['content-encoding'], limit);
    if (!decoded) return payload;
    decoded.stream.on('end', () => (request.bodyBytes = decoded.decoded()));
    return decoded.stream as typeof payload;
  });
}
