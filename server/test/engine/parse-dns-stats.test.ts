import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsNameStats, parseDocument } from '../../src/engine/parse/index.ts';
import { OPTS } from './parse-helpers.ts';

test('label count, longest label and the entropy of the most random label, registered domain and TLD left out', () => {
  const rows: Array<[string, number, number, number]> = [
    // name, labels, longest, max entropy
    ['www.example.com', 3, 7, 0], // only "www" is measured: one symbol, 0 bits
    ['abcd.example.com', 3, 7, 2], // four distinct symbols: 2 bits each
    ['aabb.example.com', 3, 7, 1],
    ['example.com', 2, 7, 2.52], // two labels: both measured ("example": 6 symbols in 7)
    ['localhost', 1, 9, 2.73], // l and o twice, five others once
    ['ABCD.Example.COM.', 3, 7, 2], // trailing dot and case ignored
    ['', 0, 0, 0],
    ['a.b.c.d.e.f', 6, 1, 0],
  ];
  for (const [name, labels, longest, entropy] of rows) {
    assert.deepEqual(dnsNameStats(name), { labelCount: labels, longestLabelLength: longest, maxLabelEntropy: entropy }, name);
  }
  const tunnel = dnsNameStats('4a6f686e20446f65206973206865726520616e64.x9k2v7q1z8m3.t.example.org');
  assert.equal(tunnel.longestLabelLength, 40);
  assert.ok(tunnel.maxLabelEntropy > 3.4, `hex payload entropy ${tunnel.maxLabelEntropy}`);
  const huge = dnsNameStats(`${'a'.repeat(100_000)}.example.com`);
  assert.equal(huge.longestLabelLength, 253, 'measured over the first 253 characters only');
});

test('every dns_query gets the numbers, whatever its source; other events do not', () => {
  const zeek = parseDocument({ _path: 'dns', ts: 1773569112, uid: 'C', 'id.orig_h': '10.0.0.1', query: 'abcd.example.com' }, OPTS);
  const sysmon = parseDocument({ EventID: 22, Channel: 'Microsoft-Windows-Sysmon/Operational', QueryName: 'abcd.example.com' }, OPTS);
  const ecs = parseDocument({ '@timestamp': '2026-03-15T10:00:00Z', dns: { question: { name: 'abcd.example.com' } } }, OPTS);
  for (const r of [zeek, sysmon, ecs]) {
    assert.equal(r.event_type, 'dns_query');
    assert.equal(r.fields['dns.question.label_count'], 3);
    assert.equal(r.fields['dns.question.longest_label_length'], 7);
    assert.equal(r.fields['dns.question.max_label_entropy'], 2);
  }
  const http = parseDocument({ _path: 'http', ts: 1773569112, uid: 'C', 'id.orig_h': '10.0.0.1', method: 'GET', host: 'abcd.example.com' }, OPTS);
  assert.equal(http.fields['dns.question.label_count'], undefined);
});
