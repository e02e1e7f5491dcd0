// The feed parsers: CSV with and without a header, STIX 2.1 bundles (patterns, observables,
// expiry, confidence), MISP events (attributes, objects, composite types, to_ids). Each bad
// entry is a located problem; hostile documents (huge, deep, wrong shapes) never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../src/engine/intel/formats/csv.ts';
import { parseFeed } from '../../../src/engine/intel/formats/index.ts';
import { parseMisp } from '../../../src/engine/intel/formats/misp.ts';
import { parseStix } from '../../../src/engine/intel/formats/stix.ts';
import { parseStixPattern } from '../../../src/engine/intel/formats/stix-pattern.ts';

const L = { maxIndicators: 1000 };
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const pairs = (feed: { indicators: { type: string; value: string }[] }) => feed.indicators.map((i) => `${i.type}:${i.value}`);

test('CSV, one value per line: types inferred, comments and blank lines skipped, bad lines located', () => {
  const feed = parseCsv('\ufeff# a feed\n203.0.113.7\r\n\nevil.example\n10.0.0.0/8\nnot a value\nhttps://evil.example/x\n' + SHA256 + '\n', L);
  assert.deepEqual(pairs(feed), ['ip:203.0.113.7', 'domain:evil.example', 'cidr:10.0.0.0/8', 'url:https://evil.example/x', `sha256:${SHA256}`]);
  assert.equal(feed.rejected, 1);
  assert.match(feed.errors[0]!, /^line 6: /);
});

test('CSV with a header: columns in any order, synonyms, quoted cells, confidence, expiry and source per row', () => {
  const text = [
    'Source,Type,Indicator,Score,Valid_Until',
    'abuse feed,ip,198.51.100.4,80,2030-01-01T00:00:00Z',
    '"feed, quoted",domain,"Bad.Example",,',
    ',hash,' + SHA256 + ',90,1893456000',
    'x,weird,1.2.3.4,,',
    'x,ip,1.2.3.4,101,',
    'x,ip,1.2.3.4,,tomorrow',
  ].join('\n');
  const feed = parseCsv(text, L);
  assert.deepEqual(feed.indicators, [
    { type: 'ip', value: '198.51.100.4', source: 'abuse feed', confidence: 80, expiresMs: Date.UTC(2030, 0, 1) },
    { type: 'domain', value: 'bad.example', source: 'feed, quoted', confidence: undefined, expiresMs: undefined },
    { type: 'sha256', value: SHA256, source: undefined, confidence: 90, expiresMs: 1893456000000 },
  ]);
  assert.deepEqual(feed.errors.map((e) => e.split(':')[0]), ['line 5', 'line 6', 'line 7']);
  assert.match(feed.errors[0]!, /unknown type 'weird'/);
});

test('CSV bounds: indicators past the limit are counted as truncated; a huge line is a located problem', () => {
  const feed = parseCsv(Array.from({ length: 10 }, (_, i) => `192.0.2.${i}`).join('\n'), { maxIndicators: 4 });
  assert.equal(feed.indicators.length, 4);
  assert.equal(feed.truncated, 6);
  const long = parseCsv(`${'a'.repeat(20_000)}\n192.0.2.1`, L);
  assert.equal(long.indicators.length, 1);
  assert.match(long.errors[0]!, /line 1: the line is longer/);
  const many = parseCsv(Array.from({ length: 100 }, () => 'junk').join('\n'), L);
  assert.equal(many.rejected, 100);
  assert.equal(many.errors.length, 20, 'problem descriptions are bounded');
});

test('STIX patterns: comparisons joined by OR, hash paths, escapes; anything richer is refused by name', () => {
  const ok: [string, string[]][] = [
    ["[ipv4-addr:value = '1.2.3.4']", ['ip:1.2.3.4']],
    ["[ipv4-addr:value = '10.0.0.0/8']", ['ip:10.0.0.0/8']],
    ["[domain-name:value = 'evil.example'] OR [url:value = 'http://evil.example/a\\'b']", ['domain:evil.example', "url:http://evil.example/a'b"]],
    [`[file:hashes.'SHA-256' = '${SHA256}' OR file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']`, [`sha256:${SHA256}`, 'md5:d41d8cd98f00b204e9800998ecf8427e']],
    ["([ipv6-addr:value = '2001:db8::1'])", ['ip:2001:db8::1']],
  ];
  for (const [pattern, want] of ok) {
    const r = parseStixPattern(pattern);
    assert.ok(r.ok, `${pattern}: ${r.ok ? '' : r.message}`);
    assert.deepEqual(r.values.map((v) => `${v.type}:${v.value}`), want, pattern);
  }
  const bad: [string, RegExp][] = [
    ["[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND ipv4-addr:value = '1.2.3.4']", /'AND' is not supported/],
    ["[ipv4-addr:value != '1.2.3.4']", /only '=' comparisons/],
    ["[email-addr:value = 'a@b.example']", /not an object path/],
    ["[ipv4-addr:value = '1.2.3.4'", /unbalanced/],
    ["[ipv4-addr:value = '1.2.3.4]", /not closed/],
    ["[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS", /'WITHIN' is not supported/],
    ['[]', /no comparison/],
    ['[' + "ipv4-addr:value = '1.1.1.1' OR ".repeat(3000) + "ipv4-addr:value = '1.1.1.1']", /longer than|more than/],
    ['{{{', /unexpected character/],
  ];
  for (const [pattern, want] of bad) {
    const r = parseStixPattern(pattern);
    assert.equal(r.ok, false, pattern.slice(0, 60));
    if (!r.ok) assert.match(r.message, want, pattern.slice(0, 60));
  }
});

test('STIX bundles: indicators with expiry and confidence, bare observables, revoked skipped, problems by object index', () => {
  const bundle = {
    type: 'bundle',
    id: 'bundle--1',
    objects: [
      { type: 'identity', id: 'identity--1', name: 'ACME CERT' },
      { type: 'indicator', pattern_type: 'stix', pattern: "[ipv4-addr:value = '203.0.113.9']", valid_until: '2031-05-01T00:00:00Z', confidence: 85 },
      { type: 'indicator', pattern: "[domain-name:value = 'c2.example']", revoked: true },
      { type: 'indicator', pattern_type: 'snort', pattern: 'alert tcp any any' },
      { type: 'indicator', pattern: "[ipv4-addr:value = '1.2.3.4']", confidence: 'high' },
      { type: 'domain-name', value: 'Phish.Example' },
      { type: 'url', value: 'not a url' },
      { type: 'file', hashes: { 'SHA-256': SHA256, 'SSDEEP': 'x' } },
      'junk',
    ],
  };
  const feed = parseStix(JSON.stringify(bundle), L);
  assert.deepEqual(pairs(feed), ['ip:203.0.113.9', 'domain:phish.example', `sha256:${SHA256}`]);
  assert.equal(feed.indicators[0]!.expiresMs, Date.UTC(2031, 4, 1));
  assert.equal(feed.indicators[0]!.confidence, 85);
  assert.deepEqual(feed.errors.map((e) => e.split(':')[0]), ['objects[3]', 'objects[4]', 'objects[6]', 'objects[8]']);
});

test('STIX hostile documents: not JSON, wrong shapes, deep nesting; never throws', () => {
  for (const text of ['', '{', 'null', '[]', '"bundle"', '{"type":"bundle","objects":{}}', '['.repeat(5000) + ']'.repeat(5000), JSON.stringify({ type: 'bundle', objects: [{ type: 'indicator', pattern: 42 }] })]) {
    const feed = parseStix(text, L);
    assert.equal(feed.indicators.length, 0, text.slice(0, 30));
    assert.ok(feed.rejected >= 1, text.slice(0, 30));
  }
});

test('MISP events: attributes and object attributes, composite types, to_ids false and deleted skipped, event info as source', () => {
  const event = {
    Event: {
      info: 'Phishing wave 42',
      Attribute: [
        { type: 'ip-dst', value: '198.51.100.23', to_ids: true },
        { type: 'ip-dst|port', value: '198.51.100.24|443', to_ids: true },
        { type: 'domain|ip', value: 'evil.example|198.51.100.25', to_ids: true },
        { type: 'hostname', value: 'cdn.evil.example', to_ids: false },
        { type: 'url', value: 'https://evil.example/login', to_ids: true, deleted: true },
        { type: 'port', value: '443', to_ids: true },
        { type: 'md5', value: 'nothex', to_ids: true },
        { type: 'ip-src|port', value: '1.2.3.4', to_ids: true },
        { value: 'x' },
      ],
      Object: [{ name: 'file', Attribute: [{ type: 'sha256', value: SHA256, to_ids: true }, { type: 'filename|md5', value: 'a.exe|d41d8cd98f00b204e9800998ecf8427e' }] }],
    },
  };
  const feed = parseMisp(JSON.stringify(event), L);
  assert.deepEqual(pairs(feed), [
    'ip:198.51.100.23', 'ip:198.51.100.24', 'domain:evil.example', 'ip:198.51.100.25', `sha256:${SHA256}`, 'md5:d41d8cd98f00b204e9800998ecf8427e',
  ]);
  assert.equal(feed.indicators[0]!.source, 'Phishing wave 42');
  assert.deepEqual(feed.errors.map((e) => e.split(':')[0]), ['Event.Attribute[6]', 'Event.Attribute[7]', 'Event.Attribute[8]']);
  // A list of events (a MISP search export) and the {"response": [...]} wrapper.
  assert.equal(parseMisp(JSON.stringify({ response: [event, event] }), L).indicators.length, 12);
  for (const text of ['nope', '{}', '{"Event": 5}', '{"Event": {"Attribute": {}}}', '{"Event": {"Object": [1]}}']) {
    assert.ok(parseMisp(text, L).rejected >= 1, text);
  }
});

test('the registry names the formats and refuses an unknown one', () => {
  assert.equal(parseFeed('csv', '1.2.3.4', L).indicators.length, 1);
  assert.throws(() => parseFeed('xml', '', L), /Unknown feed format 'xml': use one of csv, stix, misp/);
});
