// The shipper listener's guards over real HTTP: INGEST_API_KEYS in each credential form the
// shippers send (and each protocol's refusal), and a full write queue answered 429 (HEC:
// 503 code 9) before the body is read, so shippers retry and nothing is lost.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestSystem } from '../helpers/system.ts';
import { request, startShipperSystem, until } from './shipper-system.ts';
import type { ShipperSystem } from './shipper-system.ts';

const KEY = 'shipper-key-0123456789';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const doc = '{"create":{"_index":"logs"}}\n{"message":"Accepted publickey for deploy from 198.51.100.4 port 50022 ssh2"}\n';

let s: ShipperSystem;
before(async () => {
  // The smallest queue byte bound, so one held body fills it.
  s = await startShipperSystem({ INGEST_API_KEYS: `other-key,${KEY}`, INGEST_QUEUE_MAX_BYTES: '65536' });
});
after(async () => s?.stop());

describe('ingest keys on the shipper listener', () => {
  it('accepts the key as a Basic password, an ApiKey or a Bearer token on the Elasticsearch side', async () => {
    for (const authorization of [`Basic ${b64(`filebeat:${KEY}`)}`, `ApiKey ${b64(`key-id:${KEY}`)}`, `ApiKey ${b64(KEY)}`, `Bearer ${KEY}`]) {
      const root = await request(s.port, 'GET', '/', undefined, { authorization });
      assert.equal(root.status, 200, authorization);
      const bulk = await request(s.port, 'POST', '/_bulk', doc, { authorization, 'content-type': 'application/x-ndjson' });
      assert.equal(bulk.status, 200, authorization);
      assert.equal(bulk.json().errors, false);
    }
  });

  it('refuses missing or wrong credentials with Elasticsearch 401 security_exception, before reading the body', async () => {
    for (const headers of [{}, { authorization: `Basic ${b64('filebeat:wrong')}` }, { authorization: `Splunk ${KEY}` }, { authorization: 'Basic' }] as Record<string, string>[]) {
      const res = await request(s.port, 'POST', '/_bulk', doc, { ...headers, 'content-type': 'application/x-ndjson' });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.headers['x-elastic-product'], 'Elasticsearch');
      assert.match(String(res.headers['www-authenticate']), /Basic realm="security"/);
      assert.equal((res.json().error as { type: string }).type, 'security_exception');
    }
    const root = await request(s.port, 'GET', '/');
    assert.equal(root.status, 401);
  });

  it('answers HEC clients with HEC codes: 401 code 2 without a token, 403 code 4 with a wrong one', async () => {
    const event = '{"event":"Failed password for root from 203.0.113.50 port 1 ssh2"}';
    const ok = await request(s.port, 'POST', '/services/collector/event', event, { authorization: `Splunk ${KEY}` });
    assert.deepEqual(ok.json(), { text: 'Success', code: 0 });
    const none = await request(s.port, 'POST', '/services/collector/event', event);
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { text: 'Token is required', code: 2 });
    const wrong = await request(s.port, 'POST', '/services/collector/event', event, { authorization: 'Splunk not-the-key' });
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.json(), { text: 'Invalid token', code: 4 });
    const malformed = await request(s.port, 'POST', '/services/collector/raw', 'x', { authorization: 'Splunk' });
    assert.equal(malformed.status, 401);
    assert.equal(malformed.json().code, 3);
    // Load balancers probe health without a token.
    const health = await request(s.port, 'GET', '/services/collector/health');
    assert.equal(health.status, 200);
  });
});

describe('a full write queue', () => {
  it('answers 429 es_rejected_execution_exception (HEC: 503 code 9) with Retry-After, and accepts again once room is back', async () => {
    const auth = `Basic ${b64(`filebeat:${KEY}`)}`;
    // A client that declared a 60 KB body and has not sent it yet holds that room.
    const held = net.connect(s.port, '127.0.0.1');
    held.on('error', () => {});
    held.write(`POST /_bulk HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/x-ndjson\r\nContent-Length: 60000\r\n\r\n`);
    await until(() => s.sys.deps.admission.inFlight().bodies === 1, 'the held body to be admitted');

    const big = doc.repeat(100);
    const refused = await request(s.port, 'POST', '/_bulk', big, { authorization: auth, 'content-type': 'application/x-ndjson' });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal(refused.headers['x-elastic-product'], 'Elasticsearch');
    const error = refused.json() as { error: { type: string; root_cause: { type: string }[] }; status: number };
    assert.equal(error.error.type, 'es_rejected_execution_exception');
    assert.equal(error.error.root_cause[0]!.type, 'es_rejected_execution_exception');
    assert.equal(error.status, 429);

    const hec = await request(s.port, 'POST', '/services/collector/event', '{"event":"x"}'.repeat(500), { authorization: `Splunk ${KEY}` });
    assert.equal(hec.status, 503);
    assert.deepEqual(hec.json(), { text: 'Server is busy', code: 9 });

    held.destroy();
    await until(() => s.sys.deps.admission.inFlight().bodies === 0, 'the held body to be released');
    const before = (await s.events(1)).total;
    const retried = await request(s.port, 'POST', '/_bulk', big, { authorization: auth, 'content-type': 'application/x-ndjson' });
    assert.equal(retried.status, 200);
    assert.equal(retried.json().errors, false);
    assert.equal((await s.events(1)).total, before + 100);
  });
});

describe('a shipper port already taken', () => {
  it('leaves the rest of the server running and reports the input in error', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const sys = await startTestSystem({ SHIPPER_PORT: String(port), HOST: '127.0.0.1' });
    try {
      assert.equal(sys.shipper.port(), null);
      const health = await sys.app.inject({ method: 'GET', url: '/health' });
      assert.ok(health.statusCode < 500);
      const inputs = sys.deps.sources.snapshot().inputs.filter((i) => i.kind === 'shipper');
      assert.deepEqual(inputs.map((i) => i.state), ['error', 'error']);
      assert.match(String(inputs[0]!.error), /EADDRINUSE/);
    } finally {
      await sys.stop();
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
