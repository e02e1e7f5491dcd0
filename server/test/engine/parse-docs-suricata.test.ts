import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { parseDocument, parseLine, toIngestFields } from '../../src/engine/parse/index.ts';
import { check, OPTS } from './parse-helpers.ts';

// Fixture records written for these tests, in the shapes Suricata 6/7 write to eve.json.
const BASE = { flow_id: 1482913375512345, in_iface: 'ens18', src_ip: '192.0.2.44', src_port: 51522, dest_ip: '198.51.100.20', dest_port: 80, proto: 'TCP' };

const ALERT = {
  timestamp: '2026-03-15T10:11:12.345678+0100', event_type: 'alert', ...BASE, host: 'sensor-dmz', community_id: '1:abcDEF0123456789=',
  tx_id: 0,
  alert: { action: 'allowed', gid: 1, signature_id: 2260001, rev: 7, signature: 'LOCAL privileged account banner in HTTP response', category: 'Potentially Bad Traffic', severity: 2, metadata: { confidence: ['Medium'] } },
  app_proto: 'http',
  flow: { pkts_toserver: 4, pkts_toclient: 3, bytes_toserver: 320, bytes_toclient: 900, start: '2026-03-15T10:11:12.000000+0100' },
};

test('EVE alert: ids_alert with the signature as the rule and severity as the priority', () => {
  const r = parseDocument(ALERT, OPTS);
  check(r, {
    parser: 'suricata', source_type: 'ids', event_type: 'ids_alert', host: 'sensor-dmz',
    fields: {
      'rule.id': '2260001', 'rule.name': 'LOCAL privileged account banner in HTTP response', 'rule.category': 'Potentially Bad Traffic',
      'ids.priority': 2, 'source.ip': '192.0.2.44', 'source.port': 51522, 'destination.ip': '198.51.100.20', 'destination.port': 80,
      'network.transport': 'tcp', 'network.protocol': 'http', 'event.action': 'allowed', 'observer.ingress.interface.name': 'ens18',
      'suricata.eve.alert.metadata.confidence': 'Medium', 'suricata.eve.flow.bytes_toserver': 320,
    },
    absent: ['host.name', 'suricata.eve.src_ip'],
  }, 'alert');
  assert.equal(r.format, 'json');
  assert.equal(r.timestampMs, Date.UTC(2026, 2, 15, 9, 11, 12, 345));
  assert.equal(r.message, 'LOCAL privileged account banner in HTTP response');
  const flat = toIngestFields(r);
  assert.deepEqual(
    [flat.signature_id, flat.signature_name, flat.classification, flat.priority, flat.source_ip, flat.dest_port, flat.hostname],
    ['2260001', 'LOCAL privileged account banner in HTTP response', 'Potentially Bad Traffic', 2, '192.0.2.44', 80, 'sensor-dmz'],
  );
  assert.ok(IngestEventSchema.safeParse(flat).success);
});

test('EVE dns in v1 (rrname), v2 (answers) and v3 (queries[]) shapes: dns_query with label stats', () => {
  const rows: Array<{ name: string; doc: Record<string, unknown>; fields: Record<string, string | number> }> = [
    { name: 'v1 query', doc: { timestamp: '2026-03-15T10:00:00.000001+0000', event_type: 'dns', ...BASE, dest_port: 53, proto: 'UDP', dns: { type: 'query', id: 4711, rrname: 'updates.example.net', rrtype: 'A', tx_id: 0 } },
      fields: { 'dns.question.name': 'updates.example.net', 'dns.question.type': 'A', 'event.action': 'query', 'dns.question.label_count': 3 } },
    { name: 'v1 answer', doc: { timestamp: '2026-03-15T10:00:00.000001+0000', event_type: 'dns', ...BASE, dns: { type: 'answer', id: 4711, rcode: 'NOERROR', rrname: 'updates.example.net', rrtype: 'A', ttl: 300, rdata: '203.0.113.80' } },
      fields: { 'dns.response_code': 'NOERROR', 'dns.answers': '203.0.113.80' } },
    { name: 'v2 answer', doc: { timestamp: '2026-03-15T10:00:00.000001+0000', event_type: 'dns', ...BASE, dns: { version: 2, type: 'answer', id: 9, flags: '8180', rrname: 'cdn.example.org', rrtype: 'CNAME', rcode: 'NOERROR', answers: [{ rrname: 'cdn.example.org', rrtype: 'CNAME', ttl: 60, rdata: 'edge.example.org' }, { rrname: 'edge.example.org', rrtype: 'A', ttl: 60, rdata: '203.0.113.9' }], grouped: { A: ['203.0.113.9'] } } },
      fields: { 'dns.question.name': 'cdn.example.org', 'dns.answers': 'edge.example.org,203.0.113.9', 'dns.question.type': 'CNAME' } },
    { name: 'v2 grouped only', doc: { timestamp: '2026-03-15T10:00:00Z', event_type: 'dns', ...BASE, dns: { version: 2, type: 'answer', rrname: 'a.example.org', rrtype: 'A', rcode: 'NOERROR', grouped: { A: ['203.0.113.1', '203.0.113.2'] } } },
      fields: { 'dns.answers': '203.0.113.1,203.0.113.2' } },
    { name: 'v3 request', doc: { timestamp: '2026-03-15T10:00:00Z', event_type: 'dns', ...BASE, dns: { version: 3, type: 'request', id: 77, queries: [{ rrname: 'q7h2kx9vz0pl3m8n4b6c1d5f.t.exfil.example', rrtype: 'TXT' }] } },
      fields: { 'dns.question.name': 'q7h2kx9vz0pl3m8n4b6c1d5f.t.exfil.example', 'dns.question.type': 'TXT', 'dns.question.longest_label_length': 24, 'dns.question.label_count': 4 } },
  ];
  for (const row of rows) {
    const r = parseDocument(row.doc, OPTS);
    check(r, { parser: 'suricata', source_type: 'dns', event_type: 'dns_query', fields: row.fields }, row.name);
    assert.equal(typeof r.fields['dns.question.max_label_entropy'], 'number', row.name);
    const flat = toIngestFields(r);
    assert.equal(flat.query, r.fields['dns.question.name']);
    assert.ok(IngestEventSchema.safeParse(flat).success, row.name);
  }
  const v3 = parseDocument(rows[4]!.doc, OPTS);
  assert.ok((v3.fields['dns.question.max_label_entropy'] as number) > 4, 'a random label is high entropy');
});

test('EVE http, tls and flow records', () => {
  const http = parseDocument({
    timestamp: '2026-03-15T10:00:01.5+00:00', event_type: 'http', ...BASE, tx_id: 2,
    http: { hostname: 'intranet.example', url: '/login.php?next=%2F', http_user_agent: 'Mozilla/5.0 (X11; Linux x86_64)', http_content_type: 'text/html', http_refer: 'http://intranet.example/', http_method: 'POST', protocol: 'HTTP/1.1', status: 302, length: 154 },
  }, OPTS);
  check(http, {
    source_type: 'proxy', event_type: 'http_request',
    fields: { 'url.domain': 'intranet.example', 'url.original': '/login.php?next=%2F', 'http.request.method': 'POST', 'http.response.status_code': 302, 'http.response.body.bytes': 154, 'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)' },
  }, 'http');
  const flat = toIngestFields(http);
  assert.deepEqual([flat.url, flat.method, flat.status_code, flat.user_agent, flat.bytes_transferred, flat.content_type], ['/login.php?next=%2F', 'POST', 302, 'Mozilla/5.0 (X11; Linux x86_64)', 154, 'text/html']);

  const tls = parseDocument({
    timestamp: '2026-03-15T10:00:02+00:00', event_type: 'tls', ...BASE, dest_port: 443,
    tls: { subject: 'CN=mail.example.com', issuerdn: 'CN=Example CA', serial: '0A:0B', fingerprint: 'aa:bb:cc', sni: 'mail.example.com', version: 'TLS 1.3', notbefore: '2026-01-01T00:00:00', ja3: { hash: 'e7d705a3286e19ea42f587b344ee6865', string: '771,4865' } },
  }, OPTS);
  check(tls, { source_type: 'proxy', event_type: 'tls_handshake', fields: { 'tls.server.name': 'mail.example.com', 'tls.version': 'TLS 1.3', 'tls.client.ja3': 'e7d705a3286e19ea42f587b344ee6865', 'destination.port': 443 } }, 'tls');

  const flow = parseDocument({
    timestamp: '2026-03-15T10:05:00+00:00', event_type: 'flow', ...BASE, app_proto: 'failed',
    flow: { pkts_toserver: 12, pkts_toclient: 10, bytes_toserver: 1840, bytes_toclient: 96012, start: '2026-03-15T10:00:00+00:00', end: '2026-03-15T10:04:30+00:00', age: 270, state: 'closed', reason: 'timeout', alerted: false },
    tcp: { tcp_flags: '1b', syn: true, fin: true },
  }, OPTS);
  check(flow, { source_type: 'firewall', event_type: 'network_flow', fields: { 'source.bytes': 1840, 'destination.bytes': 96012, 'source.packets': 12, 'event.action': 'closed', 'event.reason': 'timeout', 'suricata.eve.flow.alerted': 'false', 'suricata.eve.tcp.syn': 'true' } }, 'flow');
  const ff = toIngestFields(flow);
  assert.deepEqual([ff.bytes_sent, ff.bytes_received, ff.action, ff.protocol], [1840, 96012, 'closed', 'tcp']);
});

test('other EVE types keep their fields; the hint "suricata" is honoured; EVE on a line goes to parseDocument', () => {
  const stats = parseDocument({ timestamp: '2026-03-15T10:00:00+0000', event_type: 'fileinfo', ...BASE, fileinfo: { filename: '/dl/setup.exe', size: 1024, stored: false } }, OPTS);
  check(stats, { parser: 'suricata', source_type: 'generic', event_type: null, fields: { 'suricata.eve.fileinfo.filename': '/dl/setup.exe' } }, 'fileinfo');
  // A bare record with only event_type and its object is still EVE when the hint says so.
  const hinted = parseDocument({ event_type: 'alert', alert: { signature_id: 1, signature: 'x', severity: 1 } }, { ...OPTS, hint: 'suricata' });
  check(hinted, { parser: 'suricata', event_type: 'ids_alert', fields: { 'ids.priority': 1 } }, 'hinted');
  // An alert carries its transaction's app-layer object: its fields are read as well.
  const withHttp = parseDocument({ ...ALERT, http: { hostname: 'files.example.net', url: '/a.hta', http_method: 'GET', status: 200 } }, OPTS);
  check(withHttp, { event_type: 'ids_alert', fields: { 'url.domain': 'files.example.net', 'url.original': '/a.hta', 'http.response.status_code': 200 } }, 'alert with http');
  const line = parseLine(JSON.stringify(ALERT), OPTS);
  check(line, { parser: 'suricata', event_type: 'ids_alert', fields: { 'rule.id': '2260001' } }, 'json line');
  assert.equal(line.format, 'json');
});
