// The shipper listener over real HTTP: the Elasticsearch handshake and its product header,
// _bulk item shapes, compressed bodies and their bound, Splunk HEC events, raw text, health
// and error codes, and everything stored through the real system.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { request, startShipperSystem } from './shipper-system.ts';
import type { ShipperSystem } from './shipper-system.ts';

let s: ShipperSystem;
before(async () => {
  s = await startShipperSystem({ SHIPPER_BODY_LIMIT_BYTES: '262144' });
});
after(async () => s?.stop());

const NDJSON = { 'content-type': 'application/x-ndjson' };
const sshd = (i: number) => `Nov 30 08:00:${String(i % 60).padStart(2, '0')} bastion-1 sshd[${4000 + i}]: Failed password for invalid user admin${i} from 203.0.113.${(i % 9) + 1} port ${40000 + i} ssh2`;
const ecsDoc = (i: number) => ({ '@timestamp': '2026-11-30T08:00:00.000Z', message: sshd(i), host: { name: 'bastion-1' }, log: { file: { path: '/var/log/auth.log' } }, process: { name: 'sshd', pid: 4242 } });
const bulkBody = (docs: unknown[], action = 'create') => docs.map((d) => `{"${action}":{"_index":"filebeat-8.17.0"}}\n${JSON.stringify(d)}\n`).join('');

async function storedCount(): Promise<number> {
  return (await s.events(1)).total;
}

describe('Elasticsearch handshake', () => {
  it('answers the root document with an 8.x version and the product header, on GET and HEAD', async () => {
    const root = await request(s.port, 'GET', '/');
    assert.equal(root.status, 200);
    assert.equal(root.headers['x-elastic-product'], 'Elasticsearch');
    const body = root.json() as { version: { number: string; build_flavor: string; lucene_version: string; minimum_wire_compatibility_version: string }; tagline: string; cluster_name: string; cluster_uuid: string; name: string };
    assert.match(body.version.number, /^8\.\d+\.\d+$/);
    assert.equal(body.version.build_flavor, 'default');
    assert.equal(body.tagline, 'You Know, for Search');
    assert.ok(body.cluster_uuid && body.name && body.cluster_name && body.version.lucene_version && body.version.minimum_wire_compatibility_version);
    const head = await request(s.port, 'HEAD', '/');
    assert.equal(head.status, 200);
    assert.equal(head.headers['x-elastic-product'], 'Elasticsearch');
    assert.equal(head.text, '');
  });

  it('answers the calls Beats, Logstash, Vector and Fluent Bit make before sending', async () => {
    const license = (await request(s.port, 'GET', '/_license?human=false')).json() as { license: { status: string; type: string } };
    assert.deepEqual([license.license.status, license.license.type], ['active', 'basic']);
    const xpack = (await request(s.port, 'GET', '/_xpack')).json() as { features: { ilm: { available: boolean } } };
    assert.equal(xpack.features.ilm.available, true);
    assert.equal((await request(s.port, 'GET', '/_cluster/health')).json().status, 'green');
    const nodes = (await request(s.port, 'GET', '/_nodes/http')).json() as { nodes: Record<string, { http: { publish_address: string } }> };
    assert.equal(Object.values(nodes.nodes)[0]!.http.publish_address, `127.0.0.1:${s.port}`);
    const cat = await request(s.port, 'GET', '/_cat/health');
    assert.match(cat.text, / green /);
    for (const [method, path] of [['GET', '/_ilm/policy/filebeat'], ['GET', '/_index_template/filebeat-8.17.0'], ['HEAD', '/_index_template/filebeat-8.17.0'], ['GET', '/_template/logstash'], ['HEAD', '/filebeat-8.17.0'], ['GET', '/_data_stream/logs-generic-default']]) {
      const res = await request(s.port, method!, path!);
      assert.equal(res.status, 200, `${method} ${path}`);
      assert.equal(res.headers['x-elastic-product'], 'Elasticsearch');
    }
    for (const path of ['/_ilm/policy/filebeat', '/_index_template/filebeat-8.17.0', '/_ingest/pipeline/p1', '/_data_stream/logs-x']) {
      const res = await request(s.port, 'PUT', path, '{"policy":{}}', { 'content-type': 'application/json' });
      assert.deepEqual(res.json(), { acknowledged: true }, path);
    }
    assert.deepEqual((await request(s.port, 'PUT', '/my-index', '{}')).json(), { acknowledged: true, shards_acknowledged: true, index: 'my-index' });
  });

  it('answers unknown endpoints as Elasticsearch does, with the header', async () => {
    const res = await request(s.port, 'GET', '/_snapshot/x/y');
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-elastic-product'], 'Elasticsearch');
    assert.equal((res.json().error as { type: string }).type, 'illegal_argument_exception');
  });
});

describe('_bulk', () => {
  it('stores index and create documents and answers each item in Elasticsearch shape', async () => {
    const before = await storedCount();
    const body = [
      '{"index":{"_index":"logs-a","_id":"given-1"}}', JSON.stringify(ecsDoc(1)),
      '{"create":{}}', JSON.stringify(ecsDoc(2)),
      '{"delete":{"_index":"logs-a","_id":"x"}}',
      '{"update":{"_index":"logs-a","_id":"given-1"}}', '{"doc":{"a":1}}',
      '{"create":{}}', '{"broken json',
      '',
    ].join('\n');
    const res = await request(s.port, 'POST', '/logs-b/_bulk?pipeline=ignored&refresh=true', body, NDJSON);
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-elastic-product'], 'Elasticsearch');
    const answer = res.json() as { took: number; errors: boolean; items: Record<string, Record<string, unknown>>[] };
    assert.equal(typeof answer.took, 'number');
    assert.equal(answer.errors, true);
    assert.deepEqual(answer.items.map((i) => Object.keys(i)[0]), ['index', 'create', 'delete', 'update', 'create']);
    const [first, second, del, upd, bad] = answer.items.map((i) => Object.values(i)[0]!);
    assert.deepEqual({ ...first, _seq_no: 0 }, { _index: 'logs-a', _id: 'given-1', _version: 1, result: 'created', status: 201, _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1 });
    assert.equal(second!._index, 'logs-b');
    assert.equal(second!.status, 201);
    assert.match(String(second!._id), /^[\w-]{20}$/);
    assert.equal(del!.status, 404);
    assert.equal(del!.result, 'not_found');
    assert.equal(upd!.status, 400);
    assert.equal(bad!.status, 400);
    assert.equal((bad!.error as { type: string }).type, 'mapper_parsing_exception');
    // Answered means persisted: the two documents are readable right away.
    assert.equal(await storedCount(), before + 2);
  });

  it('refuses a malformed action line as a whole, storing nothing', async () => {
    const before = await storedCount();
    const res = await request(s.port, 'POST', '/_bulk', `{"create":{"_index":"a"}}\n${JSON.stringify(ecsDoc(3))}\nnot an action\n{}\n`, NDJSON);
    assert.equal(res.status, 400);
    assert.equal((res.json().error as { type: string }).type, 'illegal_argument_exception');
    assert.equal(await storedCount(), before);
  });

  it('takes gzip and deflate bodies, and answers 413 to one that inflates past the limit', async () => {
    const before = await storedCount();
    const docs = Array.from({ length: 50 }, (_, i) => ecsDoc(100 + i));
    const gz = await request(s.port, 'POST', '/_bulk', zlib.gzipSync(bulkBody(docs)), { ...NDJSON, 'content-encoding': 'gzip' });
    assert.equal(gz.status, 200);
    assert.equal(gz.json().errors, false);
    const df = await request(s.port, 'POST', '/_bulk', zlib.deflateSync(bulkBody(docs.slice(0, 10))), { ...NDJSON, 'content-encoding': 'deflate' });
    assert.equal(df.status, 200);
    assert.equal(await storedCount(), before + 60);

    const bomb = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
    const res = await request(s.port, 'POST', '/_bulk', bomb, { ...NDJSON, 'content-encoding': 'gzip' });
    assert.equal(res.status, 413);
    assert.equal(res.headers['x-elastic-product'], 'Elasticsearch');
    assert.equal(res.json().status, 413);
    const unknown = await request(s.port, 'POST', '/_bulk', 'x', { ...NDJSON, 'content-encoding': 'br' });
    assert.equal(unknown.status, 415);
    const corrupt = await request(s.port, 'POST', '/_bulk', 'not gzip', { ...NDJSON, 'content-encoding': 'gzip' });
    assert.equal(corrupt.status, 400);
    assert.equal(await storedCount(), before + 60);
  });

  it('stores a single document through /<index>/_doc', async () => {
    const res = await request(s.port, 'POST', '/logs-single/_doc', JSON.stringify(ecsDoc(7)), { 'content-type': 'application/json' });
    assert.equal(res.status, 201);
    assert.equal(res.json().result, 'created');
    const bad = await request(s.port, 'PUT', '/logs-single/_doc/id-1', '[1]', { 'content-type': 'application/json' });
    assert.equal(bad.status, 400);
  });
});

describe('Splunk HEC', () => {
  const hec = (path: string, body: string | Buffer, headers: Record<string, string> = {}) => request(s.port, 'POST', path, body, headers);

  it('stores concatenated events and answers Success once persisted', async () => {
    const before = await storedCount();
    const body = `{"time":"1764489600.25","host":"web-1","sourcetype":"linux_secure","event":"${sshd(1)}"}\n{"time":1764489601,"event":${JSON.stringify(ecsDoc(2))}}{"event":"plain text","fields":{"env":"lab"}}`;
    for (const path of ['/services/collector/event', '/services/collector', '/services/collector/event/1.0']) {
      const res = await hec(path, body);
      assert.equal(res.status, 200, path);
      assert.deepEqual(res.json(), { text: 'Success', code: 0 });
    }
    assert.equal(await storedCount(), before + 9);
  });

  it('stores raw lines, one event each', async () => {
    const before = await storedCount();
    const res = await hec('/services/collector/raw?channel=abc&sourcetype=linux_secure&host=web-2', `${sshd(3)}\r\n\n${sshd(4)}\n`);
    assert.deepEqual(res.json(), { text: 'Success', code: 0 });
    const gz = await hec('/services/collector/raw', zlib.gzipSync(`${sshd(5)}\n`), { 'content-encoding': 'gzip' });
    assert.equal(gz.status, 200);
    assert.equal(await storedCount(), before + 3);
  });

  it('answers bad input with HEC codes and stores none of it', async () => {
    const before = await storedCount();
    const cases: [string, string, number, number, number | undefined][] = [
      ['/services/collector/event', '', 400, 5, undefined],
      ['/services/collector/event', '{"event":"ok"}{"event":"ok"}{"event":', 400, 6, 2],
      ['/services/collector/event', '{"event":"ok"}{"host":"h"}', 400, 12, 1],
      ['/services/collector/event', '{"event":"   "}', 400, 13, 0],
      ['/services/collector/event', 'not json', 400, 6, 0],
      ['/services/collector/raw', '\n\n', 400, 5, undefined],
    ];
    for (const [path, body, status, code, n] of cases) {
      const res = await hec(path, body);
      assert.equal(res.status, status, body);
      const answer = res.json();
      assert.equal(answer.code, code, body);
      assert.equal(answer['invalid-event-number'], n, body);
    }
    assert.equal(await storedCount(), before);
  });

  it('answers health and unknown collector paths', async () => {
    const health = await request(s.port, 'GET', '/services/collector/health');
    assert.deepEqual(health.json(), { text: 'HEC is healthy', code: 17 });
    const missing = await request(s.port, 'POST', '/services/collector/nope', '{}');
    assert.equal(missing.status, 404);
  });
});

describe('what arrives', () => {
  it('is parsed like any other record and counted in the Sources view', async () => {
    const events = await s.allEvents();
    const bulk = events.find((e) => (e.metadata as { input?: string }).input === 'elasticsearch' && e.username === 'admin1');
    assert.ok(bulk, 'the _bulk document of admin1 is stored');
    assert.equal(bulk.event_type, 'login_failure');
    assert.equal(bulk.source_ip, '203.0.113.2');
    assert.equal((bulk.fields as Record<string, unknown>)['source.port'], 40001);
    const hec = events.find((e) => (e.metadata as { input?: string }).input === 'hec' && e.username === 'admin4');
    assert.ok(hec, 'the HEC raw line of admin4 is stored');
    assert.equal(hec.source_ip, '203.0.113.5');

    const inputs = s.sys.deps.sources.snapshot().inputs.filter((i) => i.kind === 'shipper');
    assert.deepEqual(inputs.map((i) => [i.name, i.state, i.address]).sort(), [['elasticsearch', 'listening', `127.0.0.1:${s.port}`], ['hec', 'listening', `127.0.0.1:${s.port}`]]);
    for (const input of inputs) {
      assert.ok(input.events_total > 0, input.name);
      assert.ok(input.bytes_total > 0, input.name);
      assert.ok((input.dropped.bad_request ?? 0) > 0, `${input.name} counted its refused items`);
    }
  });
});
