// Ingest admission over a real socket: a body that does not fit is refused (503 +
// Retry-After) or too large (413) before a byte of it is sent; a chunked body is cut off
// once it outgrows the room left; reservations come back however a request ends.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let port: number;

before(async () => {
  // The smallest byte bound, so a few small bodies fill it.
  sys = await startTestSystem({ INGEST_QUEUE_MAX_BYTES: '65536' });
  await sys.app.listen({ host: '127.0.0.1', port: 0 });
  port = (sys.app.server.address() as net.AddressInfo).port;
});
after(async () => sys.stop());

/** A raw HTTP/1.1 exchange: headers are sent at once, the body only when the caller says. */
function rawRequest(path: string, headers: Record<string, string | number>) {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  socket.write(head);
  return {
    socket,
    /** Resolves with the status line, headers and body once a whole answer has arrived. */
    async response(timeoutMs = 5000): Promise<{ status: number; headers: Record<string, string>; body: string }> {
      const started = Date.now();
      for (;;) {
        const end = text.indexOf('\r\n\r\n');
        if (end >= 0) {
          const lines = text.slice(0, end).split('\r\n');
          const headerMap: Record<string, string> = {};
          for (const line of lines.slice(1)) {
            const i = line.indexOf(':');
            headerMap[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
          }
          const length = Number(headerMap['content-length'] ?? 0);
          if (text.length - end - 4 >= length) {
            return { status: Number(lines[0]!.split(' ')[1]), headers: headerMap, body: text.slice(end + 4, end + 4 + length) };
          }
        }
        if (Date.now() - started > timeoutMs) throw new Error(`no complete answer within ${timeoutMs} ms; got ${JSON.stringify(text.slice(0, 200))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    answered: () => text.length > 0,
    text: () => text,
  };
}

const inFlight = () => sys.deps.admission.inFlight();

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const ndjsonLine = JSON.stringify({ source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.4' }) + '\n';

describe('ingest admission', () => {
  it('answers 503 with Retry-After before the body is sent when the declared size does not fit, and releases an aborted request', async () => {
    // A slow shipper holds most of the room: headers sent, body still to come.
    const slow = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'content-length': 60_000 });
    await until(() => inFlight().bytes === 60_000, 'the first reservation');

    const refused = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'content-length': 10_000 });
    const answer = await refused.response();
    assert.equal(answer.status, 503);
    assert.ok(Number(answer.headers['retry-after']) >= 1);
    const body = JSON.parse(answer.body);
    assert.equal(body.error, 'ServiceUnavailable');
    assert.equal(body.code, 'INGEST_BACKPRESSURE');
    assert.equal(body.retry_after, Number(answer.headers['retry-after']));
    refused.socket.destroy();

    // The slow shipper gives up half-way: its reservation comes back.
    slow.socket.write('x'.repeat(30_000));
    slow.socket.destroy();
    await until(() => inFlight().bytes === 0 && inFlight().bodies === 0, 'the aborted reservation to be released');

    const res = await fetch(`http://127.0.0.1:${port}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: ndjsonLine.repeat(3) });
    assert.equal(res.status, 201);
    assert.equal((await res.json()).accepted, 3);
    await until(() => inFlight().bytes === 0, 'the finished request to release its reservation');
  });

  it('tells an `Expect: 100-continue` client to send only once admitted, and a refused one never to send', async () => {
    const body = ndjsonLine.repeat(2);
    const admitted = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'content-length': body.length, expect: '100-continue' });
    await until(() => admitted.answered(), 'the interim answer');
    const interim = await admitted.response();
    assert.equal(interim.status, 100);
    admitted.socket.write(body);
    await until(() => /HTTP\/1\.1 201/.test(admitted.text()), 'the 201 after the body');
    admitted.socket.destroy();
    await until(() => inFlight().bytes === 0, 'the reservation to be released');

    const holder = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'content-length': 60_000 });
    await until(() => inFlight().bytes === 60_000, 'the holder reservation');
    const refused = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'content-length': 20_000, expect: '100-continue' });
    const answer = await refused.response();
    assert.equal(answer.status, 503, 'no 100 Continue first: the body is never sent');
    assert.equal(answer.headers.connection, 'close', 'the unsent body leaves the connection unusable');
    refused.socket.destroy();
    holder.socket.destroy();
    await until(() => inFlight().bytes === 0, 'every reservation to be released');

    // Other routes still get their interim answer.
    const other = rawRequest('/v1/auth/login', { 'content-type': 'application/json', 'content-length': 2, expect: '100-continue' });
    assert.equal((await other.response()).status, 100);
    other.socket.destroy();
  });

  it('refuses a single event over the body limit with 413 before reading it', async () => {
    const big = rawRequest('/v1/logs/ingest', { 'content-type': 'application/json', 'content-length': 50 * 1024 * 1024 });
    const answer = await big.response();
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.body).error, 'PayloadTooLarge');
    assert.equal(answer.headers.connection, 'close');
    big.socket.destroy();
    assert.equal(inFlight().bytes, 0);
  });

  it('cuts a chunked body off with 503 once it outgrows the room left, and releases both reservations', async () => {
    const holder = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'content-length': 30_000 });
    await until(() => inFlight().bytes === 30_000, 'the holder reservation');
    const chunked = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' });
    const piece = ndjsonLine.repeat(Math.ceil(16_384 / ndjsonLine.length));
    for (let i = 0; i < 20 && !chunked.answered(); i++) {
      chunked.socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const answer = await chunked.response();
    assert.equal(answer.status, 503);
    assert.equal(JSON.parse(answer.body).code, 'INGEST_BACKPRESSURE');
    chunked.socket.destroy();
    await until(() => inFlight().bytes === 30_000, 'the chunked reservation to be released');
    holder.socket.destroy();
    await until(() => inFlight().bytes === 0, 'every reservation to be released');
  });

  it('accepts a chunked bulk that fits and counts it as it arrives', async () => {
    const chunked = rawRequest('/v1/logs/bulk', { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' });
    const piece = ndjsonLine.repeat(5);
    chunked.socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n0\r\n\r\n`);
    const answer = await chunked.response();
    assert.equal(answer.status, 201);
    assert.equal(JSON.parse(answer.body).accepted, 5);
    chunked.socket.destroy();
    await until(() => inFlight().bytes === 0, 'the reservation to be released');
  });

  it('refuses an NDJSON line larger than a single event may be without parsing it, keeping the rest', async () => {
    const small = await startTestSystem({ INGEST_BODY_LIMIT_BYTES: '2048' });
    try {
      const payload = ndjsonLine + JSON.stringify({ source_type: 'generic', message: 'x'.repeat(4096) }) + '\n' + ndjsonLine;
      const res = await small.app.inject({ method: 'POST', url: '/v1/logs/bulk', headers: { 'content-type': 'application/x-ndjson' }, payload });
      assert.equal(res.statusCode, 207);
      const body = res.json();
      assert.equal(body.accepted, 2);
      assert.deepEqual(body.errors.map((e: { index: number }) => e.index), [1]);
      assert.match(body.errors[0].message, /larger than 2048 bytes/);
    } finally {
      await small.stop();
    }
  });

  it('through app.inject too, a finished request gives its reservation back', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', headers: { 'content-type': 'application/json' }, payload: JSON.parse(ndjsonLine) });
    assert.equal(res.statusCode, 201);
    await until(() => inFlight().bytes === 0, 'the reservation to be released');
  });
});
