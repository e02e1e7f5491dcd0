// The shipper listener's pure parts: _bulk NDJSON pairing, HEC's concatenated events and
// the credential forms the shippers send.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBulk } from '../../src/inputs/shipper/bulk.ts';
import { parseHecEvents, rawLines } from '../../src/inputs/shipper/hec-parse.ts';
import { createKeyCheck, presentedKeys } from '../../src/inputs/shipper/auth.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('_bulk bodies', () => {
  it('pairs actions with their documents, skipping blank lines and CRLF', () => {
    const text = '{"index":{"_index":"a","_id":"1"}}\r\n{"message":"one"}\r\n\n{"create":{}}\n{"message":"two"}\n{"delete":{"_index":"a","_id":"9"}}\n{"update":{"_index":"a","_id":"1"}}\n{"doc":{"x":1}}\n';
    const parsed = parseBulk(text, { pathIndex: 'fromurl', maxItems: 10 });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.ops.map((o) => [o.action, o.index, o.id, o.doc]), [
      ['index', 'a', '1', { message: 'one' }],
      ['create', 'fromurl', null, { message: 'two' }],
      ['delete', 'a', '9', null],
      ['update', 'a', '1', { doc: { x: 1 } }],
    ]);
    assert.ok(parsed.ops.every((o) => o.error === null));
  });

  it('fails only the item whose document is not a JSON object, or that names no index', () => {
    const parsed = parseBulk('{"index":{"_index":"a"}}\n{not json\n{"index":{"_index":"a"}}\n[1,2]\n{"index":{}}\n{"m":1}\n{"index":{"_index":"a"}}\n{"m":2}\n', { pathIndex: null, maxItems: 10 });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.ops.map((o) => o.error?.type ?? 'ok'), ['mapper_parsing_exception', 'mapper_parsing_exception', 'action_request_validation_exception', 'ok']);
  });

  it('refuses the whole request for a malformed action line, and past the item bound', () => {
    const bad = parseBulk('{"index":{"_index":"a"}}\n{"m":1}\n{"frobnicate":{}}\n{"m":2}\n', { pathIndex: null, maxItems: 10 });
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.status, 400);
    assert.match(!bad.ok ? bad.reason : '', /line \[3\]/);
    const many = parseBulk('{"index":{"_index":"a"}}\n{}\n'.repeat(4), { pathIndex: null, maxItems: 3 });
    assert.equal(!many.ok && many.status, 413);
  });

  it('answers an action without its document line as an item error', () => {
    const parsed = parseBulk('{"index":{"_index":"a"}}\n{"m":1}\n{"index":{"_index":"a"}}\n', { pathIndex: null, maxItems: 10 });
    assert.ok(parsed.ok);
    assert.equal(parsed.ops[1]!.error?.type, 'action_request_validation_exception');
  });
});

describe('HEC event bodies', () => {
  it('reads concatenated and whitespace-separated objects with their envelope', () => {
    const parsed = parseHecEvents('{"time":1700000000.25,"host":"web-1","source":"/var/log/auth.log","sourcetype":"linux_secure","index":"main","event":"Failed password"}{"event":{"a":1,"b":"}{"},"time":"1700000001"}\n {"event":"x","fields":{"env":"lab"}}', 10);
    assert.ok(parsed.ok);
    assert.equal(parsed.docs.length, 3);
    assert.deepEqual(parsed.docs[0], { doc: { message: 'Failed password', 'log.file.path': '/var/log/auth.log' }, index: 'main', sourcetype: 'linux_secure', host: 'web-1', timeMs: 1_700_000_000_250 });
    assert.deepEqual(parsed.docs[1]!.doc, { a: 1, b: '}{' });
    assert.equal(parsed.docs[1]!.timeMs, 1_700_000_001_000);
    assert.deepEqual(parsed.docs[2]!.doc, { message: 'x', env: 'lab' });
  });

  it('names the first bad event with HEC codes', () => {
    const cases: [string, number, number | undefined][] = [
      ['', 5, undefined],
      ['   \n ', 5, undefined],
      ['{"event":"a"}{"event":"b"', 6, 1],
      ['{"event":"a"} garbage', 6, 1],
      ['{"event":"a"}{"host":"h"}', 12, 1],
      ['{"event":""}', 13, 0],
      ['{"event":"a","time":"yesterday"}', 6, 0],
      ['{"event":"a","fields":[1]}', 15, 0],
      ['[{"event":"a"}]', 6, 0],
    ];
    for (const [body, code, n] of cases) {
      const parsed = parseHecEvents(body, 10);
      assert.equal(parsed.ok, false, body);
      if (!parsed.ok) {
        assert.equal(parsed.code, code, body);
        assert.equal(parsed.invalidEvent, n, body);
      }
    }
    const many = parseHecEvents('{"event":"a"}'.repeat(4), 3);
    assert.equal(!many.ok && many.status, 413);
  });

  it('splits raw bodies into lines', () => {
    assert.deepEqual(rawLines('one\r\ntwo\n\n  \nthree', 10), ['one', 'two', 'three']);
    assert.equal(rawLines('a\nb\nc\n', 2), null);
  });
});

describe('shipper credentials', () => {
  const check = createKeyCheck(['k-123', 'other']);
  const accepts = (header: string | undefined, schemes: string[]) => {
    const p = presentedKeys(header, schemes);
    return p.kind === 'candidates' && check.accepts(p.values);
  };
  it('takes the key as a Basic password, an ApiKey (id:key or bare), a Bearer token or a Splunk token', () => {
    const es = ['basic', 'apikey', 'bearer'];
    assert.ok(accepts(`Basic ${b64('elastic:k-123')}`, es));
    assert.ok(accepts(`Basic ${b64(':other')}`, es));
    assert.ok(accepts(`ApiKey ${b64('my-id:k-123')}`, es));
    assert.ok(accepts(`ApiKey ${b64('k-123')}`, es));
    assert.ok(accepts('ApiKey k-123', es));
    assert.ok(accepts('Bearer k-123', es));
    assert.ok(accepts('Splunk k-123', ['splunk']));
    assert.ok(!accepts(`Basic ${b64('k-123:wrong')}`, es));
    assert.ok(!accepts('Splunk k-123', es));
    assert.ok(!accepts('Bearer k-1234', es));
    assert.equal(presentedKeys(undefined, es).kind, 'none');
    assert.equal(presentedKeys(`Basic ${b64('nocolon')}`, es).kind, 'malformed');
    assert.equal(presentedKeys('Basic', es).kind, 'malformed');
  });
  it('is open when no key is configured', () => {
    assert.ok(createKeyCheck([]).open);
  });
});
