// The indicator index and the event values it is asked about: exact addresses, IPv4 and
// IPv6 networks of any prefix, parent domains (bounded walk), URLs and their hosts, hashes
// in ECS and Sysmon forms, expiry at match time, one match per (list, indicator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IndicatorType } from '@siem/contracts';
import { eventCandidates } from '../../../src/engine/intel/event-candidates.ts';
import { IndicatorIndex } from '../../../src/engine/intel/indicator-index.ts';
import { normalizeIndicator } from '../../../src/engine/intel/normalize.ts';

const NOW = Date.UTC(2026, 5, 1);
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function indexOf(entries: [number, string, number?][], lists = [{ id: 'l0', name: 'bad' }, { id: 'l1', name: 'worse' }]): IndicatorIndex {
  const index = new IndicatorIndex(lists);
  for (const [listIndex, raw, expiresMs] of entries) {
    const n = normalizeIndicator(raw);
    assert.ok(n.ok, raw);
    index.add({ listIndex, type: n.type as IndicatorType, value: n.value, source: 'feed', confidence: 70, expiresMs: expiresMs ?? Number.POSITIVE_INFINITY });
  }
  return index;
}

const hits = (index: IndicatorIndex, e: { source_ip?: string | null; dest_ip?: string | null; fields?: Record<string, unknown> | null }) =>
  index.match(eventCandidates({ source_ip: e.source_ip ?? null, dest_ip: e.dest_ip ?? null, fields: e.fields ?? null }), NOW, 10).map((m) => `${m.list_name}:${m.indicator}@${m.field}`);

test('IPv4 networks of every prefix length match the addresses inside them and nothing else', () => {
  const index = indexOf([[0, '10.0.0.0/8'], [0, '192.0.2.128/25'], [1, '0.0.0.0/0'], [0, '198.51.100.7'], [0, '203.0.113.0/31']]);
  assert.deepEqual(hits(index, { source_ip: '10.200.3.4' }), ['bad:10.0.0.0/8@source_ip', 'worse:0.0.0.0/0@source_ip']);
  assert.deepEqual(hits(index, { dest_ip: '192.0.2.200' }), ['bad:192.0.2.128/25@dest_ip', 'worse:0.0.0.0/0@dest_ip']);
  assert.deepEqual(hits(index, { dest_ip: '192.0.2.127' }), ['worse:0.0.0.0/0@dest_ip']);
  assert.deepEqual(hits(index, { dest_ip: '203.0.113.1' }), ['bad:203.0.113.0/31@dest_ip', 'worse:0.0.0.0/0@dest_ip']);
  assert.deepEqual(hits(index, { dest_ip: '198.51.100.7' }), ['bad:198.51.100.7@dest_ip', 'worse:0.0.0.0/0@dest_ip']);
  // IPv4-mapped IPv6 is the IPv4 address; plain IPv6 never meets an IPv4 network.
  assert.deepEqual(hits(index, { dest_ip: '::ffff:10.0.0.1' }), ['bad:10.0.0.0/8@dest_ip', 'worse:0.0.0.0/0@dest_ip']);
  assert.deepEqual(hits(index, { dest_ip: '2001:db8::1' }), []);
});

test('IPv6 networks, on nibble and non-nibble boundaries, and exact IPv6 addresses in any spelling', () => {
  const index = indexOf([[0, '2001:db8::/32'], [0, '2001:db8:8000::/33'], [1, '2001:DB8:0:0:0:0:0:1'], [1, 'fe80::/10']]);
  assert.deepEqual(hits(index, { source_ip: '2001:db8:ffff::5' }), ['bad:2001:db8:8000::/33@source_ip', 'bad:2001:db8::/32@source_ip']);
  assert.deepEqual(hits(index, { source_ip: '2001:db8:7fff::5' }), ['bad:2001:db8::/32@source_ip']);
  assert.deepEqual(hits(index, { source_ip: '2001:0db8::0001' }), ['worse:2001:db8::1@source_ip', 'bad:2001:db8::/32@source_ip']);
  assert.deepEqual(hits(index, { source_ip: 'febf::1' }), ['worse:fe80::/10@source_ip']);
  assert.deepEqual(hits(index, { source_ip: 'fec0::1' }), []);
});

test('domains match themselves and their subdomains, never their parents; the walk is bounded', () => {
  const index = indexOf([[0, 'evil.example'], [1, 'deep.a.evil.example']]);
  assert.deepEqual(hits(index, { fields: { 'dns.question.name': 'X.Y.A.Evil.Example.' } }), ['bad:evil.example@dns.question.name']);
  assert.deepEqual(hits(index, { fields: { 'dns.question.name': 'deep.a.evil.example' } }), ['worse:deep.a.evil.example@dns.question.name', 'bad:evil.example@dns.question.name']);
  assert.deepEqual(hits(index, { fields: { 'destination.domain': 'example' } }), []);
  assert.deepEqual(hits(index, { fields: { 'destination.domain': 'notevil.example' } }), []);
  const far = `${Array.from({ length: 20 }, (_, i) => `l${i}`).join('.')}.evil.example`;
  assert.deepEqual(hits(index, { fields: { 'dns.question.name': far } }), [], 'more labels than the walk allows');
});

test('URLs match in canonical form and by their host; hashes in ECS and Sysmon forms', () => {
  const index = indexOf([[0, 'http://evil.example/login'], [1, 'cdn.example'], [0, SHA256], [1, 'd41d8cd98f00b204e9800998ecf8427e']]);
  assert.deepEqual(hits(index, { fields: { 'url.original': 'HTTP://EVIL.example:80/login#x' } }), ['bad:http://evil.example/login@url.original']);
  assert.deepEqual(hits(index, { fields: { 'url.full': 'https://img.cdn.example/a.png' } }), ['worse:cdn.example@url.full']);
  assert.deepEqual(hits(index, { fields: { 'url.original': '/login' } }), [], 'a relative URL is not looked up');
  assert.deepEqual(hits(index, { fields: { 'file.hash.sha256': SHA256.toUpperCase() } }), [`bad:${SHA256}@file.hash.sha256`]);
  assert.deepEqual(hits(index, { fields: { 'process.hash': `MD5=D41D8CD98F00B204E9800998ECF8427E,SHA256=${SHA256}` } }), [
    'worse:d41d8cd98f00b204e9800998ecf8427e@process.hash', `bad:${SHA256}@process.hash`,
  ]);
  assert.deepEqual(hits(index, { fields: { 'file.hash.md5': SHA256 } }), [], 'a hash field of the wrong length is not read');
});

test('expired indicators stop matching at match time; one match per list and indicator; results bounded', () => {
  const index = indexOf([[0, '192.0.2.1', NOW - 1], [1, '192.0.2.1', NOW + 60_000], [0, '192.0.2.0/24']]);
  assert.deepEqual(hits(index, { source_ip: '192.0.2.1', dest_ip: '192.0.2.1', fields: { 'source.ip': '192.0.2.1' } }), [
    'worse:192.0.2.1@source_ip', 'bad:192.0.2.0/24@source_ip',
  ]);
  const many = indexOf(Array.from({ length: 30 }, (_, i) => [0, `10.0.0.0/${i + 1}`] as [number, string]));
  assert.equal(many.match(eventCandidates({ source_ip: '10.0.0.1', dest_ip: null, fields: null }), NOW, 10).length, 10);
  assert.deepEqual(new IndicatorIndex([]).match(eventCandidates({ source_ip: '10.0.0.1', dest_ip: null, fields: null }), NOW, 10), []);
});

test('event values are read, never trusted: odd types and prototype keys are skipped', () => {
  const index = indexOf([[0, 'evil.example']]);
  const fields = JSON.parse('{"__proto__": {"dns.question.name": "evil.example"}, "destination.domain": 42, "url.full": ["http://evil.example"]}');
  assert.deepEqual(hits(index, { fields }), []);
  assert.deepEqual(hits(index, { source_ip: 'evil.example' }), []);
});

test('a retired indicator stops matching in its list only; a re-added one matches again', () => {
  const index = indexOf([[0, 'evil.example'], [1, 'evil.example'], [0, '192.0.2.9']]);
  assert.equal(index.retire(0, 'domain', 'evil.example'), 1);
  assert.deepEqual(hits(index, { fields: { 'dns.question.name': 'a.evil.example' } }), ['worse:evil.example@dns.question.name']);
  assert.equal(index.retire(0, 'domain', 'evil.example'), 0);
  index.add({ listIndex: 0, type: 'domain', value: 'evil.example', source: null, confidence: 10, expiresMs: Number.POSITIVE_INFINITY });
  assert.deepEqual(hits(index, { fields: { 'dns.question.name': 'evil.example' } }).sort(), ['bad:evil.example@dns.question.name', 'worse:evil.example@dns.question.name']);
  assert.equal(index.listIndexOf('l1'), 1);
  assert.equal(index.listIndexOf('nope'), -1);
});
