import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { parseDocument, toIngestFields } from '../../src/engine/parse/index.ts';
import { check, OPTS, type Expect } from './parse-helpers.ts';

// Fixture records in the shape of Zeek's JSON writer (dotted id.* keys, epoch ts).
const ID = { 'id.orig_h': '10.20.0.15', 'id.orig_p': 49822, 'id.resp_h': '203.0.113.53', 'id.resp_p': 53 };
const TS = 1773569112.482113; // 2026-03-15T10:05:12.482Z

test('zeek conn, dns, http, ssl and notice by _path', () => {
  const rows: Array<{ name: string; doc: Record<string, unknown>; expect: Expect }> = [
    {
      name: 'conn',
      doc: { _path: 'conn', ts: TS, uid: 'CfA1b22X0kQ9kH1o1', ...ID, 'id.resp_p': 443, proto: 'tcp', service: 'ssl', duration: 12.5, orig_bytes: 2210, resp_bytes: 48811, conn_state: 'SF', missed_bytes: 0, history: 'ShADadFf', orig_pkts: 20, resp_pkts: 41 },
      expect: { source_type: 'firewall', event_type: 'network_flow', fields: { 'source.ip': '10.20.0.15', 'source.port': 49822, 'destination.ip': '203.0.113.53', 'destination.port': 443, 'network.transport': 'tcp', 'network.protocol': 'ssl', 'source.bytes': 2210, 'destination.bytes': 48811, 'event.action': 'SF', 'zeek.conn.history': 'ShADadFf', 'zeek.session_id': 'CfA1b22X0kQ9kH1o1' }, absent: ['zeek.conn.id.orig_h'] },
    },
    {
      name: 'dns',
      doc: { _path: 'dns', ts: TS, uid: 'C2', ...ID, proto: 'udp', trans_id: 31337, query: 'mx1.mail.example.com', qclass: 1, qclass_name: 'C_INTERNET', qtype: 1, qtype_name: 'A', rcode: 0, rcode_name: 'NOERROR', AA: false, RD: true, RA: true, answers: ['203.0.113.25'], TTLs: [3600.0], rejected: false },
      expect: { source_type: 'dns', event_type: 'dns_query', fields: { 'dns.question.name': 'mx1.mail.example.com', 'dns.question.type': 'A', 'dns.response_code': 'NOERROR', 'dns.answers': '203.0.113.25', 'dns.question.label_count': 4, 'dns.question.longest_label_length': 7, 'zeek.dns.RD': 'true' } },
    },
    {
      name: 'http',
      doc: { _path: 'http', ts: TS, uid: 'C3', ...ID, 'id.resp_p': 80, trans_depth: 1, method: 'GET', host: 'downloads.example.net', uri: '/tools/agent.ps1', referrer: '-', version: '1.1', user_agent: 'WindowsPowerShell/5.1', request_body_len: 0, response_body_len: 5123, status_code: 200, status_msg: 'OK', resp_mime_types: ['text/plain'] },
      expect: { source_type: 'proxy', event_type: 'http_request', fields: { 'http.request.method': 'GET', 'url.domain': 'downloads.example.net', 'url.original': '/tools/agent.ps1', 'http.response.status_code': 200, 'http.response.body.bytes': 5123, 'user_agent.original': 'WindowsPowerShell/5.1', 'zeek.http.resp_mime_types': 'text/plain' }, absent: ['http.request.referrer'] },
    },
    {
      name: 'ssl',
      doc: { _path: 'ssl', ts: TS, uid: 'C4', ...ID, 'id.resp_p': 443, version: 'TLSv13', cipher: 'TLS_AES_256_GCM_SHA384', curve: 'x25519', server_name: 'login.example.org', resumed: false, established: true, ja3: '6734f37431670b3ab4292b8f60f29984' },
      expect: { source_type: 'proxy', event_type: 'tls_handshake', fields: { 'tls.server.name': 'login.example.org', 'tls.version': 'TLSv13', 'tls.cipher': 'TLS_AES_256_GCM_SHA384', 'tls.established': 'true', 'tls.client.ja3': '6734f37431670b3ab4292b8f60f29984' } },
    },
    {
      name: 'notice',
      doc: { _path: 'notice', ts: TS, note: 'Scan::Port_Scan', msg: '198.51.100.77 scanned at least 15 unique ports of host 10.20.0.5 in 0m3s', sub: 'local', src: '198.51.100.77', dst: '10.20.0.5', p: 22, actions: ['Notice::ACTION_LOG'], suppress_for: 3600.0 },
      expect: { source_type: 'ids', event_type: 'ids_alert', fields: { 'rule.name': 'Scan::Port_Scan', 'rule.id': 'Scan::Port_Scan', 'rule.category': 'Scan', 'ids.priority': 2, 'source.ip': '198.51.100.77', 'destination.ip': '10.20.0.5', 'destination.port': 22, 'event.action': 'Notice::ACTION_LOG' } },
    },
  ];
  for (const row of rows) {
    const r = parseDocument(row.doc, OPTS);
    check(r, { parser: 'zeek', ...row.expect }, row.name);
    assert.equal(r.timestampMs, Math.round(TS * 1000), `${row.name}: epoch seconds`);
    assert.equal(r.fields['observer.product'], 'Zeek');
    assert.ok(IngestEventSchema.safeParse(toIngestFields(r)).success, row.name);
  }
  const notice = parseDocument(rows[4]!.doc, OPTS);
  assert.match(notice.message, /scanned at least 15 unique ports/);
  const flat = toIngestFields(parseDocument(rows[1]!.doc, OPTS));
  assert.deepEqual([flat.query, flat.query_type, flat.response_code, flat.response], ['mx1.mail.example.com', 'A', 'NOERROR', '203.0.113.25']);
});

test('zeek without _path: the log is told by the hint, else by its keys; ISO ts and nested id work', () => {
  const dns = { ts: '2026-03-15T10:05:12.482113Z', uid: 'C9', ...ID, proto: 'udp', query: 'example.org', qtype_name: 'AAAA', rcode_name: 'NXDOMAIN' };
  check(parseDocument(dns, OPTS), { parser: 'zeek', event_type: 'dns_query', fields: { 'dns.response_code': 'NXDOMAIN', 'event.dataset': 'zeek.dns' } }, 'keys');
  assert.equal(parseDocument(dns, OPTS).timestampMs, Date.UTC(2026, 2, 15, 10, 5, 12, 482));
  // The same keys under a hint naming another log: the hint wins.
  check(parseDocument({ ts: TS, uid: 'C1', ...ID, proto: 'tcp', duration: 1.5, orig_bytes: 10 }, { ...OPTS, hint: 'zeek.conn' }), { event_type: 'network_flow', fields: { 'source.bytes': 10 } }, 'hint conn');
  check(parseDocument({ ts: TS, uid: 'C1', ...ID, method: 'GET', host: 'a.example', uri: '/' }, { ...OPTS, hint: 'zeek_http' }), { event_type: 'http_request' }, 'hint http');
  const nested = { ts: TS, uid: 'C5', id: { orig_h: '10.0.0.1', orig_p: 1000, resp_h: '10.0.0.2', resp_p: 22 }, proto: 'tcp', conn_state: 'S0' };
  check(parseDocument(nested, OPTS), { parser: 'zeek', event_type: 'network_flow', fields: { 'source.ip': '10.0.0.1', 'destination.port': 22 } }, 'nested id');
  // A log we do not map keeps its fields under zeek.<log>.
  check(parseDocument({ _path: 'weird', ts: TS, uid: 'C6', ...ID, name: 'bad_TCP_checksum', notice: false }, OPTS), { parser: 'zeek', source_type: 'generic', event_type: null, fields: { 'zeek.weird.name': 'bad_TCP_checksum' } }, 'weird');
  // Filtered logs ("conn_internal") keep their base log's meaning.
  check(parseDocument({ _path: 'conn_internal', ts: TS, uid: 'C7', ...ID, proto: 'udp' }, OPTS), { event_type: 'network_flow' }, 'conn_internal');
});
