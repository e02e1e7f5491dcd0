// Compressed bodies on the main app's ingest routes: gzip, zlib and raw deflate, stacked
// codings and identity are decoded; an unknown coding is a 415, a corrupt or truncated
// stream a 400, and a body that decompresses past the route's limit a 413 without ever
// being expanded beyond it (zip bomb).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { DecodeStream, parseContentEncoding } from '../../src/http/plugins/content-encoding.ts';
import { startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let port: number;

before(async () => {
  sys = await startTestSystem({ INGEST_BODY_LIMIT_BYTES: '65536', BULK_BODY_LIMIT_BYTES: '262144' });
  await sys.app.listen({ host: '127.0.0.1', port: 0 });
  port = (sys.app.server.address() as net.AddressInfo).port;
});
after(async () => sys.stop());

const event = (i: number) => ({ source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.9', username: `user${i}`, message: `Failed password ${i}` });
const ndjson = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify(event(i))).join('\n') + '\n';

async function post(url: string, body: Buffer, headers: Record<string, string>) {
  const res = await sys.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

describe('Content-Encoding on the ingest routes', () => {
  it('stores a gzip NDJSON bulk body like the plain one', async () => {
    const res = await post('/v1/logs/bulk', zlib.gzipSync(ndjson(25)), { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.accepted, 25);
  });

  it('stores gzip raw text on /v1/logs/raw, one event per line', async () => {
    const lines = 'Nov 30 08:00:01 bastion sshd[4242]: Failed password for root from 203.0.113.7 port 52141 ssh2\nNov 30 08:00:02 bastion sshd[4243]: Failed password for root from 203.0.113.7 port 52142 ssh2\n';
    const res = await post('/v1/logs/raw', zlib.gzipSync(lines), { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.accepted, 2);
  });

  it('decodes zlib deflate, raw deflate, x-gzip, identity and stacked codings on /v1/logs/ingest', async () => {
    const json = Buffer.from(JSON.stringify(event(1)));
    const cases: [string, Buffer][] = [
      ['deflate', zlib.deflateSync(json)],
      ['deflate', zlib.deflateRawSync(json)],
      ['x-gzip', zlib.gzipSync(json)],
      ['identity', json],
      ['GZIP, identity', zlib.gzipSync(json)],
      ['deflate, gzip', zlib.gzipSync(zlib.deflateSync(json))],
    ];
    for (const [encoding, body] of cases) {
      const res = await post('/v1/logs/ingest', body, { 'content-encoding': encoding });
      assert.equal(res.status, 201, `${encoding}: ${JSON.stringify(res.body)}`);
      assert.equal((res.body as { username: string }).username, 'user1');
    }
  });

  it('refuses an unknown coding with 415 and a corrupt or truncated stream with 400', async () => {
    const json = Buffer.from(JSON.stringify(event(2)));
    const br = await post('/v1/logs/ingest', zlib.brotliCompressSync(json), { 'content-encoding': 'br' });
    assert.equal(br.status, 415);
    assert.equal(br.body.code, 'CONTENT_ENCODING_UNSUPPORTED');
    const many = await post('/v1/logs/ingest', json, { 'content-encoding': 'gzip, gzip, gzip' });
    assert.equal(many.status, 415);

    const corrupt = await post('/v1/logs/ingest', Buffer.from('this is not gzip at all'), { 'content-encoding': 'gzip' });
    assert.equal(corrupt.status, 400);
    assert.equal(corrupt.body.code, 'CONTENT_ENCODING_INVALID');
    const gz = zlib.gzipSync(json);
    const truncated = await post('/v1/logs/ingest', gz.subarray(0, gz.length - 8), { 'content-encoding': 'gzip' });
    assert.equal(truncated.status, 400);
    assert.equal(truncated.body.code, 'CONTENT_ENCODING_INVALID');
  });

  it('answers 413 for a zip bomb over real HTTP, chunked, and keeps serving', async () => {
    // 64 MB of zeros compress to ~64 KB; the route takes 256 KB decompressed.
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/logs/bulk', headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      Readable.from([bomb.subarray(0, 1000), bomb.subarray(1000)]).pipe(req);
    });
    assert.equal(answer.status, 413, answer.body);
    assert.equal(JSON.parse(answer.body).code, 'PAYLOAD_TOO_LARGE');
    const after = await post('/v1/logs/ingest', zlib.gzipSync(JSON.stringify(event(3))), { 'content-encoding': 'gzip' });
    assert.equal(after.status, 201);
    assert.equal(sys.deps.admission.inFlight().bodies, 0);
  });
});

describe('DecodeStream', () => {
  it('stops inflating a bomb at the bound instead of expanding it', async () => {
    const limit = 100_000;
    const decoder = new DecodeStream('gzip', limit);
    let out = 0;
    decoder.on('data', (c: Buffer) => (out += c.length));
    const failure = new Promise<Error>((resolve) => decoder.on('error', resolve));
    decoder.end(zlib.gzipSync(Buffer.alloc(32 * 1024 * 1024)));
    const err = (await failure) as Error & { code?: string };
    assert.equal(err.code, 'PAYLOAD_TOO_LARGE');
    assert.ok(out <= limit, `passed on ${out} bytes`);
    assert.ok(decoder.decodedLength < limit + 128 * 1024, `inflated ${decoder.decodedLength} bytes`);
  });

  it('reads the header as a list of codings', () => {
    assert.deepEqual(parseContentEncoding(undefined), []);
    assert.deepEqual(parseContentEncoding('identity'), []);
    assert.deepEqual(parseContentEncoding(' gzip , deflate'), ['gzip', 'deflate']);
    assert.throws(() => parseContentEncoding('compress'), /not supported/);
  });
});
