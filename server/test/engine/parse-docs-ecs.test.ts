import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { parseDocument, parseLine, toIngestFields } from '../../src/engine/parse/index.ts';
import { check, OPTS } from './parse-helpers.ts';

// Fixture documents in the shapes Filebeat, Elastic Agent, Logstash, Vector, Fluent Bit and
// rsyslog's JSON templates send, written for these tests.
const SSHD_LINE = 'Mar 15 11:58:01 bastion sshd[2231]: Failed password for invalid user oracle from 203.0.113.77 port 40112 ssh2';

test('a Filebeat document carrying an auth.log line is parsed as that line', () => {
  const doc = {
    '@timestamp': '2026-03-15T11:58:02.100Z',
    agent: { type: 'filebeat', version: '8.15.0', hostname: 'bastion' },
    ecs: { version: '8.0.0' },
    host: { name: 'bastion', os: { family: 'debian' } },
    log: { file: { path: '/var/log/auth.log' }, offset: 90210 },
    input: { type: 'filestream' },
    event: { module: 'system', dataset: 'system.auth' },
    fileset: { name: 'auth' },
    message: SSHD_LINE,
  };
  const r = parseDocument(doc, OPTS);
  check(r, {
    parser: 'sshd', source_type: 'auth', event_type: 'login_failure', program: 'sshd', pid: 2231, host: 'bastion',
    fields: { 'user.name': 'oracle', 'source.ip': '203.0.113.77', 'source.port': 40112, 'log.file.path': '/var/log/auth.log', 'event.dataset': 'system.auth' },
  }, 'filebeat auth');
  assert.equal(r.format, 'rfc3164');
  assert.equal(r.timestampMs, Date.UTC(2026, 2, 15, 11, 58, 1));
  const flat = toIngestFields(r);
  assert.deepEqual([flat.username, flat.source_ip, flat.hostname, flat.event_type], ['oracle', '203.0.113.77', 'bastion', 'login_failure']);
  assert.ok(IngestEventSchema.safeParse(flat).success);
});

test('a Filebeat document carrying an EVE or Zeek JSON line is parsed as that record', () => {
  const eve = JSON.stringify({ timestamp: '2026-03-15T10:00:00.000000+0000', event_type: 'alert', src_ip: '192.0.2.70', dest_ip: '10.0.0.3', proto: 'TCP', alert: { signature_id: 9100001, signature: 'LOCAL test signature', category: 'Misc activity', severity: 3 } });
  const r = parseDocument({ '@timestamp': '2026-03-15T10:00:01Z', agent: { type: 'filebeat' }, host: { name: 'ids-1' }, log: { file: { path: '/var/log/suricata/eve.json' } }, message: eve }, OPTS);
  check(r, { parser: 'suricata', event_type: 'ids_alert', host: 'ids-1', fields: { 'rule.id': '9100001', 'ids.priority': 3, 'log.file.path': '/var/log/suricata/eve.json' } }, 'filebeat eve');
  assert.equal(r.timestampMs, Date.UTC(2026, 2, 15, 10), 'the record time wins over the shipper time');
});

test('a bare message with the program in the document (syslog input, journald, rsyslog JSON) is parsed by that program', () => {
  const rows = [
    { name: 'filebeat syslog input', doc: { '@timestamp': '2026-03-15T11:00:00Z', log: { syslog: { appname: 'sshd', procid: '991', hostname: 'web-02' } }, host: { hostname: 'web-02' }, message: 'Accepted publickey for deploy from 192.0.2.10 port 51000 ssh2: ED25519 SHA256:abc' } },
    { name: 'journald', doc: { MESSAGE: 'Accepted publickey for deploy from 192.0.2.10 port 51000 ssh2: ED25519 SHA256:abc', SYSLOG_IDENTIFIER: 'sshd', _PID: '991', _HOSTNAME: 'web-02', __REALTIME_TIMESTAMP: '1773572400000000' } },
    { name: 'rsyslog json template', doc: { timereported: '2026-03-15T11:00:00+00:00', hostname: 'web-02', programname: 'sshd', syslogtag: 'sshd[991]:', procid: '991', msg: ' Accepted publickey for deploy from 192.0.2.10 port 51000 ssh2: ED25519 SHA256:abc' } },
  ];
  for (const row of rows) {
    const r = parseDocument(row.doc, OPTS);
    check(r, { parser: 'sshd', event_type: 'login_success', host: 'web-02', pid: 991, fields: { 'user.name': 'deploy', 'source.ip': '192.0.2.10' } }, row.name);
  }
});

test('ECS documents, nested or dotted, are classified from event.* and keep every field', () => {
  const nested = {
    '@timestamp': '2026-03-15T09:00:00.000Z',
    event: { category: ['authentication'], type: ['start'], outcome: 'failure', action: 'user_login', dataset: 'okta.system' },
    source: { ip: '198.51.100.4', geo: { country_iso_code: 'NL' } },
    user: { name: 'ann@example.com' },
    related: { ip: ['198.51.100.4', '10.0.0.1'] },
  };
  const a = parseDocument(nested, OPTS);
  check(a, { parser: 'ecs', source_type: 'auth', event_type: 'login_failure', fields: { 'user.name': 'ann@example.com', 'source.ip': '198.51.100.4', 'source.geo.country_iso_code': 'NL', 'related.ip': '198.51.100.4,10.0.0.1', 'event.outcome': 'failure' } }, 'nested');
  assert.equal(a.timestampMs, Date.UTC(2026, 2, 15, 9));

  const dotted = {
    '@timestamp': '2026-03-15T09:00:00Z', 'event.category': 'process', 'event.type': 'start', 'host.name': 'build-7',
    'process.executable': '/usr/bin/nmap', 'process.command_line': 'nmap -sS 10.0.0.0/24', 'process.pid': '4242',
    'process.parent.executable': '/bin/bash', 'user.name': 'ci',
  };
  const p = parseDocument(dotted, OPTS);
  check(p, { parser: 'ecs', source_type: 'endpoint', event_type: 'process_start', host: 'build-7', fields: { 'process.name': 'nmap', 'process.executable': '/usr/bin/nmap', 'process.pid': 4242, 'process.parent.name': 'bash', 'process.command_line': 'nmap -sS 10.0.0.0/24' } }, 'dotted');
  assert.deepEqual([toIngestFields(p).process_name, toIngestFields(p).parent_process], ['nmap', 'bash']);

  // Mixed: an object holding dotted keys.
  const mixed = { '@timestamp': '2026-03-15T09:00:00Z', event: { 'category': 'network', action: 'deny' }, source: { 'ip': '192.0.2.1', port: '4444' }, 'destination.ip': '192.0.2.2', destination: { port: 3389 } };
  check(parseDocument(mixed, OPTS), { source_type: 'firewall', event_type: 'network_flow', fields: { 'source.port': 4444, 'destination.port': 3389, 'destination.ip': '192.0.2.2', 'event.action': 'deny' } }, 'mixed');

  const rows: Array<[string, Record<string, unknown>, string, string | null]> = [
    ['dns', { '@timestamp': '2026-03-15T09:00:00Z', event: { category: 'network' }, dns: { question: { name: 'x1y2z3.example.com', type: 'A' } } }, 'dns', 'dns_query'],
    ['ids', { '@timestamp': '2026-03-15T09:00:00Z', event: { kind: 'alert', category: ['intrusion_detection'] }, rule: { name: 'ET SCAN nmap' } }, 'ids', 'ids_alert'],
    ['iam create', { '@timestamp': '2026-03-15T09:00:00Z', event: { category: 'iam', type: ['user', 'creation'] }, user: { target: { name: 'eve' } } }, 'auth', 'user_created'],
    ['iam by action', { '@timestamp': '2026-03-15T09:00:00Z', event: { action: 'added-member-to-group' }, group: { name: 'wheel' } }, 'auth', 'user_added_to_group'],
    ['web', { '@timestamp': '2026-03-15T09:00:00Z', http: { request: { method: 'GET' }, response: { status_code: 404 } }, url: { original: '/x' } }, 'proxy', 'http_request'],
    ['file', { '@timestamp': '2026-03-15T09:00:00Z', event: { category: 'file', type: 'creation' }, file: { path: '/tmp/x' } }, 'endpoint', 'file_created'],
    ['other action', { '@timestamp': '2026-03-15T09:00:00Z', event: { action: 'config-change' } }, 'generic', 'config-change'],
  ];
  for (const [name, doc, sourceType, eventType] of rows) check(parseDocument(doc, OPTS), { parser: 'ecs', source_type: sourceType, event_type: eventType }, name);
  const dns = parseDocument(rows[0]![1], OPTS);
  assert.equal(dns.fields['dns.question.label_count'], 3);
});

test('ECS values that are not what a column expects are kept as other fields, never fatal', () => {
  const doc = { '@timestamp': 'not a time', source: { ip: 'gw.example.net', port: 99999 }, destination: { ip: 42 }, user: { name: 12345 }, process: { name: 'C:\\Tools\\psexec.exe', pid: 'abc' } };
  const r = parseDocument(doc, OPTS);
  check(r, { fields: { 'source.domain': 'gw.example.net', 'process.name': 'psexec.exe', 'process.executable': 'C:\\Tools\\psexec.exe', 'user.name': 12345 }, absent: ['source.ip', 'source.port', 'destination.ip', 'process.pid'] }, 'odd values');
  assert.equal(r.timestampMs, null);
  const flat = toIngestFields(r);
  assert.equal(flat.username, '12345');
  assert.ok(IngestEventSchema.safeParse(flat).success);
  const long = toIngestFields(parseDocument({ '@timestamp': '2026-03-15T09:00:00Z', user: { name: 'u'.repeat(600) } }, OPTS));
  assert.equal(long.username, undefined, 'a value too long for an indexed column is left out of it');
});

test('other JSON: Logstash, Vector, Fluent Bit and anything else are generic documents, never refused', () => {
  const vector = { timestamp: '2026-03-15T10:00:00.5Z', host: 'app-3', source_type: 'file', file: '/var/log/app.log', message: 'user alice exported 3 reports' };
  const v = parseDocument(vector, OPTS);
  check(v, { source_type: 'generic', event_type: null, host: 'app-3', fields: { file: '/var/log/app.log' } }, 'vector');
  assert.equal(v.message, 'user alice exported 3 reports');
  // No format claimed it and nothing was recognized: unparsed, like an unknown line, fields kept.
  assert.deepEqual([v.parser, v.unparsed], [null, true]);
  assert.equal(v.timestampMs, Date.UTC(2026, 2, 15, 10, 0, 0, 500));

  const fluentbit = { date: 1773568800.25, log: SSHD_LINE, stream: 'stdout' };
  check(parseDocument(fluentbit, OPTS), { parser: 'sshd', event_type: 'login_failure', host: 'bastion' }, 'fluent bit docker log');

  const appliance = { time: '2026-03-15T10:00:00Z', src_ip: '192.0.2.9', dst_port: '22', user: 'root', action: 'blocked', method: 'password', query: 'SELECT 1' };
  const g = parseDocument(appliance, OPTS);
  check(g, { parser: null, source_type: 'generic', event_type: 'blocked', fields: { 'source.ip': '192.0.2.9', 'destination.port': 22, 'user.name': 'root', 'event.action': 'blocked', src_ip: '192.0.2.9' }, absent: ['http.request.method', 'dns.question.name'] }, 'flat names');
  assert.equal(toIngestFields(g).username, 'root');

  const empty = parseDocument({}, OPTS);
  assert.deepEqual([empty.parser, empty.source_type, empty.event_type, empty.unparsed, empty.message, empty.format], [null, 'generic', null, true, '', 'json']);
  assert.equal(g.unparsed, false, 'flat names gave it an event type');
});

test('a JSON object on a line goes to parseDocument; broken or non-object JSON stays a generic line', () => {
  const r = parseLine(JSON.stringify({ '@timestamp': '2026-03-15T09:00:00Z', message: SSHD_LINE, host: { name: 'bastion' } }) + '\n', OPTS);
  check(r, { parser: 'sshd', event_type: 'login_failure' }, 'json line');
  const broken = parseLine('{"message": "unterminated', OPTS);
  assert.deepEqual([broken.unparsed, broken.format, broken.message], [true, 'none', '{"message": "unterminated']);
  assert.equal(parseLine('[1,2,3]', OPTS).unparsed, true);
  // JSON inside JSON inside JSON: parsed twice, the third level stays text.
  const inner = JSON.stringify({ message: JSON.stringify({ message: JSON.stringify({ message: SSHD_LINE }) }) });
  const nested = parseLine(inner, OPTS);
  assert.equal(nested.format, 'json');
  assert.notEqual(nested.parser, 'sshd');
  // A syslog line whose message is JSON (NXLog's to_json over syslog, apps logging JSON):
  // the document is parsed, the header fills what it lacks.
  const s = parseLine('<14>Mar 15 11:00:00 dc-01 nxlog[88]: {"EventTime":"2026-03-15 11:00:00","Hostname":"dc-01.corp.example","EventID":"4740","SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","TargetUserName":"j.doe","TargetDomainName":"WKS-7"}', OPTS);
  check(s, { parser: 'nxlog', event_type: 'user_locked', host: 'dc-01.corp.example', program: 'nxlog', pid: 88, fields: { 'user.target.name': 'j.doe' } }, 'nxlog over syslog');
  assert.equal(s.format, 'rfc3164');
  assert.equal(s.facility, 1);
  const app = parseLine('Mar 15 11:00:00 web-1 app[1]: {"level":"info","msg":"started"}', OPTS);
  assert.deepEqual([app.parser, app.unparsed, app.host, app.fields.level, app.message], [null, false, 'web-1', 'info', 'started']);
});
