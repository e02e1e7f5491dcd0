// Hostile input to every write endpoint of the shipper listener: random bytes, invalid
// UTF-8, NUL, deep nesting, broken and truncated JSON, action lines of every odd shape,
// junk under Content-Encoding, odd methods and headers. Nothing may answer 5xx (except
// the designed 429/503 of a full queue) and the listener keeps serving. Seeded:
// FUZZ_SEED=<n> replays another sample.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { request, startShipperSystem } from './shipper-system.ts';
import type { ShipperSystem } from './shipper-system.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CASES = 250;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let s: ShipperSystem;
before(async () => {
  s = await startShipperSystem({ SHIPPER_BODY_LIMIT_BYTES: '65536', SHIPPER_MAX_ITEMS: '200' });
});
after(async () => s?.stop());

describe('shipper listener fuzz', () => {
  it(`answers ${CASES} hostile requests without a 5xx (seed ${SEED})`, async () => {
    const rand = random(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
    const fragments: (() => string | Buffer)[] = [
      () => bytes(Math.floor(rand() * 2000)),
      () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc]),
      () => '{"index":{"_index":"a"}}\n{"m":"\u0000\ud800"}\n',
      () => `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      () => `{"index":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}\n{}\n`,
      () => '{"index":{"_index":"a"}}\n{"m":1',
      () => '{"index":{"_index":["x"],"_id":{"a":1}}}\n{"m":1}\n',
      () => '{"index":null}\n{"m":1}\n',
      () => '{"create":{"_index":"a"}}\n"a string"\n{"delete":{}}\n{"update":{}}\n',
      () => '{"index":{"_index":"a"}}\n{"n":1e999999,"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}\n',
      () => '{"event":"x","time":"NaN"}{"event":{"a":[[[[[[]]]]]]},"time":-1}{"event":1e400}',
      () => '{"event":"a"}'.repeat(300),
      () => `{"event":"${'x'.repeat(70_000)}"}`,
      () => '{"event":"\\ud800\\u0000","fields":{"__proto__":1}}',
      () => '}{"event":"a"}',
      () => '\n\r\n\t ',
      () => '',
    ];
    const paths = ['/_bulk', '/idx/_bulk', '/idx/_doc', '/idx/_doc/1', '/idx/_create/1', '/services/collector', '/services/collector/event', '/services/collector/raw?sourcetype=%00&host=' + 'h'.repeat(300), '/_index_template/x', '/', '/%E0%A4%A', `/${'a'.repeat(600)}/_bulk`];
    const methods = ['POST', 'PUT', 'POST', 'POST', 'GET', 'DELETE', 'PATCH', 'HEAD'];
    const encodings = [undefined, undefined, 'gzip', 'deflate', 'gzip', 'br', 'identity, gzip', 'gzip, gzip'];
    for (let n = 0; n < CASES; n++) {
      const raw = pick(fragments)();
      const body = typeof raw === 'string' ? Buffer.from(raw) : raw;
      const encoding = pick(encodings);
      const encoded = encoding === 'gzip' && rand() < 0.7 ? zlib.gzipSync(body) : encoding === 'deflate' && rand() < 0.7 ? zlib.deflateRawSync(body) : body;
      const method = pick(methods);
      const path = pick(paths);
      const headers: Record<string, string> = { 'content-type': pick(['application/x-ndjson', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', '']) };
      if (encoding) headers['content-encoding'] = encoding;
      if (rand() < 0.2) headers.authorization = pick(['Basic !!!', 'ApiKey', 'Splunk', `Bearer ${'x'.repeat(5000)}`, 'Basic Og==']);
      const res = await request(s.port, method, path, method === 'GET' || method === 'HEAD' ? undefined : encoded, headers);
      const designed = res.status === 429 || res.status === 503;
      assert.ok(res.status < 500 || designed, `case ${n}: ${method} ${path} (${encoding ?? 'plain'}) answered ${res.status}: ${res.text.slice(0, 300)}`);
      if (method !== 'HEAD' && res.text !== '' && res.headers['content-type']?.includes('json')) assert.doesNotThrow(() => JSON.parse(res.text), `case ${n}: the answer is JSON`);
    }
    const root = await request(s.port, 'GET', '/');
    assert.equal(root.status, 200);
  });
});
