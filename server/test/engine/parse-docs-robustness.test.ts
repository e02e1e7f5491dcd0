import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { isIp } from '../../src/engine/normalize/ip.ts';
import { parseDocument, parseLine, toIngestFields, type ParseResult } from '../../src/engine/parse/index.ts';
import { OPTS } from './parse-helpers.ts';

// Seeds of every document format, mutated with values of the wrong type.
const SEEDS: Array<Record<string, unknown>> = [
  { timestamp: '2026-03-15T10:00:00.000000+0000', event_type: 'alert', src_ip: '192.0.2.1', src_port: 1, dest_ip: '192.0.2.2', dest_port: 2, proto: 'TCP', alert: { signature_id: 1, signature: 's', category: 'c', severity: 1 } },
  { timestamp: '2026-03-15T10:00:00Z', event_type: 'dns', src_ip: '192.0.2.1', dns: { version: 3, type: 'request', queries: [{ rrname: 'a.b.example', rrtype: 'A' }], answers: [{ rdata: '192.0.2.3' }] } },
  { timestamp: '2026-03-15T10:00:00Z', event_type: 'http', src_ip: '192.0.2.1', http: { hostname: 'h', url: '/', http_method: 'GET', status: 200, length: 5 } },
  { timestamp: '2026-03-15T10:00:00Z', event_type: 'flow', src_ip: '192.0.2.1', flow: { bytes_toserver: 1, bytes_toclient: 2 } },
  { _path: 'conn', ts: 1773569112.5, uid: 'C1', 'id.orig_h': '192.0.2.1', 'id.orig_p': 1, 'id.resp_h': '192.0.2.2', 'id.resp_p': 2, proto: 'tcp' },
  { _path: 'dns', ts: 1773569112.5, uid: 'C1', 'id.orig_h': '192.0.2.1', query: 'a.example', answers: ['192.0.2.9'] },
  { _path: 'notice', ts: 1773569112.5, note: 'Scan::Port_Scan', msg: 'm', src: '192.0.2.1' },
  { '@timestamp': '2026-03-15T10:00:00Z', winlog: { event_id: '4625', channel: 'Security', event_data: { TargetUserName: 'a', IpAddress: '192.0.2.1', IpPort: '5', LogonType: '3' } } },
  { EventTime: '2026-03-15 10:00:00', EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\a\\b.exe', ProcessId: '5', ParentImage: 'C:\\p.exe' },
  { EventTime: '2026-03-15 10:00:00', EventID: 22, SourceName: 'Microsoft-Windows-Sysmon', QueryName: 'x.example', QueryResults: 'type:  5 a;b;' },
  { '@timestamp': '2026-03-15T10:00:00Z', message: 'Mar 15 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2', host: { name: 'h' } },
  { '@timestamp': '2026-03-15T10:00:00Z', event: { category: ['process'], type: ['start'] }, process: { executable: '/bin/sh', pid: 3 }, source: { ip: '192.0.2.1', port: 8 } },
  { msg: 'CEF:0|V|P|1|2|n|5|src=192.0.2.1', host: 'h' },
];
const ODD: unknown[] = [
  null, true, false, 0, -1, 1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, Infinity, '', '-', ' ', '::1', '999999', '1e999', 'NaN',
  '0x1a', '\u0000', '\ud800', 'é'.repeat(3), 'x'.repeat(5000), [], [1, 'a', null], [{ a: 1 }], [[[]]], {}, { __proto__: 1 }, { nested: { deeper: { deepest: 1 } } },
];
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'a\u0000b', '\ud800', 'x.\udfff'];

/** A deterministic generator so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function invariants(r: ParseResult, label: string): void {
  assert.ok(Object.keys(r.fields).length <= 128, `${label}: field count`);
  assert.ok(r.timestampMs === null || Number.isFinite(r.timestampMs), `${label}: time`);
  assert.ok(typeof r.message === 'string', `${label}: message`);
  assert.ok(Number.isInteger(r.count) && r.count >= 1, `${label}: count`);
  for (const [name, value] of Object.entries(r.fields)) {
    assert.ok(!name.includes('\u0000') && (name as unknown as { isWellFormed(): boolean }).isWellFormed(), `${label}: field name ${JSON.stringify(name)} unclean`);
    assert.ok(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)), `${label}: ${name}=${String(value)}`);
    if (typeof value === 'string') assert.ok(!value.includes('\u0000') && (value as unknown as { isWellFormed(): boolean }).isWellFormed(), `${label}: ${name} unclean`);
    if (/^(source|destination)\.port$/.test(name)) assert.ok(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535, `${label}: ${name}=${value}`);
    if (/^(source|destination)\.ip$/.test(name)) assert.ok(isIp(String(value)), `${label}: ${name}=${value}`);
  }
  const flat = toIngestFields(r);
  const parsed = IngestEventSchema.safeParse(flat);
  assert.ok(parsed.success, `${label}: ingest fields ${JSON.stringify(parsed.error?.issues)}`);
}

/** Copies a JSON-like value, replacing one random leaf or key with an odd one. */
function mutate(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => (rand() < 0.3 ? ODD[Math.floor(rand() * ODD.length)] : mutate(v, rand)));
  if (typeof value !== 'object' || value === null) return rand() < 0.4 ? ODD[Math.floor(rand() * ODD.length)] : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = rand();
    if (r < 0.1) continue;
    Object.defineProperty(out, r < 0.15 ? KEYS[Math.floor(rand() * KEYS.length)]! : k, { value: r < 0.5 ? mutate(v, rand) : v, enumerable: true, writable: true, configurable: true });
  }
  if (rand() < 0.2) out[`extra${Math.floor(rand() * 10)}`] = ODD[Math.floor(rand() * ODD.length)];
  return out;
}

test('mutated documents of every format never throw, and results keep the invariants', () => {
  const rand = rng(4242);
  for (let i = 0; i < 4000; i++) {
    const doc = mutate(SEEDS[i % SEEDS.length], rand) as Record<string, unknown>;
    const hint = i % 7 === 0 ? ['zeek', 'suricata', 'nxlog', 'winlog', 'ecs', '??', ''][i % 7] : null;
    const label = `#${i}`;
    invariants(parseDocument(doc, { ...OPTS, hint }), label);
    // The same document as a line (JSON.stringify drops what JSON cannot hold).
    let line: string;
    try {
      line = JSON.stringify(doc);
    } catch {
      continue;
    }
    invariants(parseLine(line, OPTS), `${label} line`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.toString.call({}), '[object Object]');
});

test('__proto__ and constructor keys are data: no prototype is touched', () => {
  const text = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"event_type":"alert","src_ip":"192.0.2.1","alert":{"__proto__":{"signature":"x"},"signature_id":5}}';
  const docs = [JSON.parse(text) as Record<string, unknown>, JSON.parse('{"winlog":{"event_id":4624,"event_data":{"__proto__":{"TargetUserName":"x"}}}}') as Record<string, unknown>];
  for (const doc of docs) {
    const r = parseDocument(doc, OPTS);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(r.fields), Object.prototype);
    assert.ok(!Object.hasOwn(r.fields, '__proto__'));
  }
  const alert = parseDocument(docs[0]!, OPTS);
  assert.equal(alert.fields['rule.name'], undefined, 'a signature under __proto__ is not read');
  assert.equal(alert.fields['rule.id'], '5');
  assert.equal(parseDocument(docs[1]!, OPTS).fields['user.name'], undefined);
  // Keys the prototype has are not read from it.
  const r = parseDocument({ message: 'x', constructor: 'c', toString: 't' }, OPTS);
  assert.equal(r.fields.constructor, 'c');
  assert.ok(!Object.hasOwn(parseDocument({ message: 'x' }, OPTS).fields, 'constructor'));
});

test('bounds: field count, nesting depth, wide and deep documents, non-object input', () => {
  const wide: Record<string, unknown> = { '@timestamp': '2026-03-15T10:00:00Z' };
  for (let i = 0; i < 5000; i++) wide[`k${i}`] = i;
  assert.equal(Object.keys(parseDocument(wide, OPTS).fields).length, 128);
  assert.equal(Object.keys(parseDocument(wide, { ...OPTS, maxFields: 10 }).fields).length, 10);
  let deep: Record<string, unknown> = { leaf: 'x' };
  for (let i = 0; i < 10_000; i++) deep = { d: deep };
  const started = performance.now();
  const r = parseDocument({ message: 'deep', deep }, OPTS);
  assert.ok(performance.now() - started < 1000);
  assert.ok(!Object.keys(r.fields).some((k) => k.endsWith('.leaf')), 'nesting past the depth bound is skipped');
  const big = parseLine(JSON.stringify({ message: 'y'.repeat(60_000), event_type: 'alert' }), OPTS);
  assert.equal(big.message.length, 60_000, 'long strings are kept as they are');
  const cyclic: Record<string, unknown> = { message: 'loop' };
  cyclic.self = cyclic;
  assert.doesNotThrow(() => parseDocument(cyclic, OPTS));
  for (const odd of [null, undefined, 5, 'text', [1, 2], new Date(0)]) {
    assert.doesNotThrow(() => invariants(parseDocument(odd as unknown as Record<string, unknown>, OPTS), String(odd)));
  }
  // A getter that throws (a caller's object, never JSON) costs only that parser's view.
  const hostile = { event_type: 'alert', src_ip: '192.0.2.1', get alert(): unknown { throw new Error('boom'); } };
  assert.doesNotThrow(() => parseDocument(hostile, OPTS));
  // Huge numbers: never a field, never a time.
  const huge = parseDocument({ ts: 1e308, _path: 'conn', uid: 'C', 'id.orig_h': '192.0.2.1', 'id.orig_p': 1e308, orig_bytes: 2 ** 80 }, OPTS);
  assert.equal(huge.timestampMs, null);
  assert.equal(huge.fields['source.port'], undefined);
  invariants(huge, 'huge');
});
