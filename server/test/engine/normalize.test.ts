import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema, SOURCE_TYPES, type ErrorDetail } from '@siem/contracts';
import { normalizeEvent, type NormalizeResult, type PreparedEvent } from '../../src/engine/normalize/index.ts';
import { getNormalizer, NORMALIZERS } from '../../src/engine/normalize/normalizers.ts';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0, 0);

/** What the ingest service does before calling the engine: drop top-level nulls, parse. */
function run(body: Record<string, unknown>, now = NOW): NormalizeResult {
  const raw = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
  return normalizeEvent({ raw, fields: IngestEventSchema.parse(body) }, now);
}

function ok(body: Record<string, unknown>): PreparedEvent {
  const result = run(body);
  assert.ok(result.ok, JSON.stringify(result));
  return result.event;
}

function issues(body: Record<string, unknown>): ErrorDetail[] {
  const result = run(body);
  assert.equal(result.ok, false, JSON.stringify(result));
  return (result as { issues: ErrorDetail[] }).issues;
}

test('the ingest example of the API docs comes out exactly as documented', () => {
  const body = {
    source_type: 'auth',
    event_type: 'login_failure',
    source_ip: '198.51.100.7',
    username: 'svc-backup',
    result: 'failure',
  };
  const event = ok(body);
  assert.deepEqual(event, {
    timeMs: NOW,
    source_type: 'auth',
    severity: 'medium',
    event_type: 'login_failure',
    source_ip: '198.51.100.7',
    dest_ip: null,
    source_port: null,
    dest_port: null,
    hostname: null,
    username: 'svc-backup',
    mitre_tactic: null,
    mitre_technique: null,
    message: null,
    raw: body,
    normalized: { auth_method: null, result: 'failure', failure_reason: null, service: null },
    fields: null,
    metadata: {},
  });
});

test('each source type projects exactly its documented keys', () => {
  const expected: Record<string, string[]> = {
    firewall: ['action', 'protocol', 'bytes_sent', 'bytes_received', 'rule_name'],
    ids: ['signature_id', 'signature_name', 'classification', 'priority'],
    auth: ['auth_method', 'result', 'failure_reason', 'service'],
    endpoint: ['process_name', 'process_id', 'parent_process', 'command_line', 'file_path'],
    dns: ['query', 'query_type', 'response', 'response_code'],
    proxy: ['url', 'method', 'status_code', 'user_agent', 'content_type', 'bytes_transferred'],
    generic: ['message'],
  };
  assert.deepEqual(NORMALIZERS.map((n) => n.sourceType), [...SOURCE_TYPES]);
  for (const type of SOURCE_TYPES) {
    assert.deepEqual([...getNormalizer(type).keys], expected[type], type);
    const empty = ok({ source_type: type });
    assert.deepEqual(empty.normalized, Object.fromEntries(expected[type]!.map((k) => [k, null])), type);
    // Every key present in raw is copied unchanged, whatever its JSON type.
    const values = Object.fromEntries(expected[type]!.map((k, i) => [k, i % 2 ? { nested: [i] } : `v${i}`]));
    const full = ok({ source_type: type, ...values, unrelated: 'x' });
    assert.deepEqual(full.normalized, values, type);
  }
});

test('projection values are copied unchanged from raw', () => {
  const event = ok({ source_type: 'firewall', action: 'deny', bytes_sent: 1200, bytes_received: '77', rule_name: ['a', 'b'] });
  assert.deepEqual(event.normalized, { action: 'deny', protocol: null, bytes_sent: 1200, bytes_received: '77', rule_name: ['a', 'b'] });
});

test('a top-level message feeds only the generic projection', () => {
  assert.deepEqual(ok({ source_type: 'generic', message: 'malware found' }).normalized, { message: 'malware found' });
  assert.equal(ok({ source_type: 'generic', message: 'malware found' }).severity, 'high');
  const auth = ok({ source_type: 'auth', message: 'malware found' });
  assert.equal(auth.severity, 'info');
  assert.equal(auth.message, 'malware found');
  assert.equal('message' in auth.normalized, false);
});

test('projection aliases fill absent keys per source type', () => {
  const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
    [{ source_type: 'firewall', act: 'drop', proto: 'udp' }, { action: 'drop', protocol: 'udp' }],
    [{ source_type: 'ids', sid: 2019401, signature: 'ET SCAN' }, { signature_id: 2019401, signature_name: 'ET SCAN' }],
    [{ source_type: 'ids', alert: 'GPL ATTACK' }, { signature_name: 'GPL ATTACK' }],
    [{ source_type: 'auth', method: 'password', outcome: 'success' }, { auth_method: 'password', result: 'success' }],
    [{ source_type: 'endpoint', process: 'cmd.exe', pid: 7, parent_image: 'explorer.exe', cmdline: 'cmd /c dir' },
      { process_name: 'cmd.exe', process_id: 7, parent_process: 'explorer.exe', command_line: 'cmd /c dir' }],
    [{ source_type: 'endpoint', image: 'C:\\x.exe' }, { process_name: 'C:\\x.exe' }],
    [{ source_type: 'dns', qname: 'example.com', qtype: 28, rcode: 'NXDOMAIN' }, { query: 'example.com', query_type: 28, response_code: 'NXDOMAIN' }],
    [{ source_type: 'proxy', http_method: 'POST', status: 403, uri: '/login' }, { method: 'POST', status_code: 403, url: '/login' }],
    [{ source_type: 'generic', msg: 'hello' }, { message: 'hello' }],
  ];
  for (const [body, subset] of cases) {
    const event = ok(body);
    for (const [key, value] of Object.entries(subset)) assert.deepEqual(event.normalized[key], value, `${body.source_type}.${key}`);
    assert.deepEqual(event.raw, body, 'aliases never change raw');
  }
});

test('a canonical projection key wins over its alias', () => {
  assert.equal(ok({ source_type: 'firewall', action: 'allow', act: 'drop' }).normalized.action, 'allow');
  assert.equal(ok({ source_type: 'dns', query: 'a.example', qname: 'b.example' }).normalized.query, 'a.example');
});

test('aliases are per source type: `method` is the auth method only for auth', () => {
  assert.equal(ok({ source_type: 'auth', method: 'kerberos' }).normalized.auth_method, 'kerberos');
  assert.equal(ok({ source_type: 'proxy', method: 'GET' }).normalized.method, 'GET');
  assert.equal('auth_method' in ok({ source_type: 'proxy', method: 'GET' }).normalized, false);
  assert.deepEqual(ok({ source_type: 'firewall', status: 200, method: 'x' }).normalized.action, null);
});

test('common field aliases lift record fields when the canonical field is absent', () => {
  const cases: Array<[Record<string, unknown>, Partial<PreparedEvent>]> = [
    [{ src_ip: '10.0.0.1', dst_ip: '10.0.0.2' }, { source_ip: '10.0.0.1', dest_ip: '10.0.0.2' }],
    [{ src: '10.0.0.3', dst: '::1' }, { source_ip: '10.0.0.3', dest_ip: '::1' }],
    [{ client_ip: '192.0.2.1', destination_ip: '192.0.2.2' }, { source_ip: '192.0.2.1', dest_ip: '192.0.2.2' }],
    [{ src_port: 1234, dst_port: 80 }, { source_port: 1234, dest_port: 80 }],
    [{ sport: '5353', dport: ' 53 ' }, { source_port: 5353, dest_port: 53 }],
    [{ spt: 0, dpt: 65535 }, { source_port: 0, dest_port: 65535 }],
    [{ host: 'web-1', user: 'alice' }, { hostname: 'web-1', username: 'alice' }],
    [{ host_name: 'web-2', user_name: 'bob' }, { hostname: 'web-2', username: 'bob' }],
    [{ computer_name: 'WS-3', account: 'CORP\\carol' }, { hostname: 'WS-3', username: 'CORP\\carol' }],
    [{ msg: 'hi' }, { message: 'hi' }],
  ];
  for (const [extra, expected] of cases) {
    const event = ok({ source_type: 'firewall', ...extra });
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(event[key as keyof PreparedEvent], value, `${JSON.stringify(extra)} -> ${key}`);
    }
  }
});

test('canonical fields win over aliases', () => {
  const event = ok({ source_type: 'auth', source_ip: '10.0.0.1', src_ip: '10.0.0.9', hostname: 'a', host: 'b', source_port: 1, sport: 2 });
  assert.equal(event.source_ip, '10.0.0.1');
  assert.equal(event.hostname, 'a');
  assert.equal(event.source_port, 1);
});

test('a wrongly typed or invalid alias is skipped, never an error', () => {
  const cases: Array<[Record<string, unknown>, Partial<PreparedEvent>]> = [
    [{ src_ip: 'fw-01' }, { source_ip: null }],
    [{ src_ip: 'fw-01', src: '10.0.0.7' }, { source_ip: '10.0.0.7' }], // next alias tried
    [{ src_ip: 167772161 }, { source_ip: null }],
    [{ sport: 70000 }, { source_port: null }],
    [{ sport: -1 }, { source_port: null }],
    [{ sport: 80.5 }, { source_port: null }],
    [{ sport: '80.0' }, { source_port: null }],
    [{ sport: 'http' }, { source_port: null }],
    [{ sport: 'x', spt: 22 }, { source_port: 22 }],
    [{ host: { name: 'h' } }, { hostname: null }],
    [{ host: '', host_name: 'h2' }, { hostname: 'h2' }],
    [{ user: ['alice'] }, { username: null }],
  ];
  for (const [extra, expected] of cases) {
    const event = ok({ source_type: 'generic', ...extra });
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(event[key as keyof PreparedEvent], value, `${JSON.stringify(extra)} -> ${key}`);
    }
  }
});

test('top-level null keys are dropped from raw; nested nulls are kept', () => {
  const event = ok({ source_type: 'dns', query: null, source_ip: null, extra: { a: null, b: [null] }, note: null });
  assert.deepEqual(event.raw, { source_type: 'dns', extra: { a: null, b: [null] } });
  assert.equal(event.normalized.query, null);
  assert.equal(event.source_ip, null);
});

test('mitre fields and metadata are copied to the record; client severity is ignored', () => {
  const event = ok({
    source_type: 'endpoint',
    mitre_tactic: 'TA0002',
    mitre_technique: 'T1059.004',
    metadata: { run: 7 },
    severity: 'critical',
  });
  assert.equal(event.mitre_tactic, 'TA0002');
  assert.equal(event.mitre_technique, 'T1059.004');
  assert.deepEqual(event.metadata, { run: 7 });
  assert.equal(event.severity, 'info');
  assert.equal(event.raw.severity, 'critical');
});

test('numeric-string ports from the schema arrive as numbers', () => {
  const event = ok({ source_type: 'firewall', source_port: '443', dest_port: 8080 });
  assert.equal(event.source_port, 443);
  assert.equal(event.dest_port, 8080);
});

test('timestamps: given, aliased, missing', () => {
  const cases: Array<[Record<string, unknown>, number]> = [
    [{ timestamp: '2026-02-01T10:00:00Z' }, Date.UTC(2026, 1, 1, 10)],
    [{ timestamp: '2026-02-01 10:00' }, Date.UTC(2026, 1, 1, 10)],
    [{ timestamp: 1_770_000_000 }, 1_770_000_000_000],
    [{ timestamp: null }, NOW],
    [{}, NOW],
    [{ '@timestamp': '2026-02-01T10:00:00.5Z' }, Date.UTC(2026, 1, 1, 10, 0, 0, 500)],
    [{ time: '2026-02-01' }, Date.UTC(2026, 1, 1)],
    [{ event_time: '1770000000123' }, 1_770_000_000_123],
    [{ time: '10:00:00', event_time: '2026-02-02' }, Date.UTC(2026, 1, 2)], // unparseable alias skipped
    [{ time: 'noon' }, NOW],
    [{ timestamp: '2026-02-01', time: '2026-02-05' }, Date.UTC(2026, 1, 1)],
    [{ timestamp: '2099-01-01T00:00:00Z' }, Date.UTC(2099, 0, 1)], // future times are accepted
  ];
  for (const [extra, expected] of cases) {
    assert.equal(ok({ source_type: 'generic', ...extra }).timeMs, expected, JSON.stringify(extra));
  }
});

test('an unparseable timestamp is a 422 detail naming the accepted forms', () => {
  for (const bad of ['2026-02-30', 'yesterday', '', 'Sun, 01 Mar 2026 12:15:00 GMT', -5]) {
    const found = issues({ source_type: 'generic', timestamp: bad });
    assert.equal(found.length, 1, String(bad));
    assert.equal(found[0]!.field, 'timestamp');
    assert.equal(found[0]!.type, 'value_error');
    assert.match(found[0]!.message, /ISO 8601/);
  }
});

test('source_ip and dest_ip must be IPv4 or IPv6 addresses', () => {
  for (const good of ['10.0.0.1', '::1', 'fe80::1', '2001:db8::', '::ffff:192.0.2.1']) {
    assert.equal(ok({ source_type: 'generic', source_ip: good, dest_ip: good }).source_ip, good);
  }
  for (const bad of ['1.2.3.256', '01.2.3.4', 'fe80::1%eth0', 'host.example', ' 10.0.0.1', ':::']) {
    assert.deepEqual(issues({ source_type: 'generic', source_ip: bad }), [
      { field: 'source_ip', message: 'value is not a valid IPv4 or IPv6 address', type: 'value_error' },
    ]);
  }
  assert.equal(ok({ source_type: 'generic', source_ip: '' }).source_ip, null); // "" means not given
});

test('all issues are collected before returning', () => {
  const found = issues({ source_type: 'generic', source_ip: 'bad', dest_ip: 'worse', timestamp: 'never' });
  assert.deepEqual(found.map((i) => i.field), ['source_ip', 'dest_ip', 'timestamp']);
});

test('an out-of-range port that bypassed the schema is still refused', () => {
  const result = normalizeEvent(
    { raw: { source_type: 'generic' }, fields: { source_type: 'generic', source_port: 70000, dest_port: 1.5 } },
    NOW,
  );
  assert.equal(result.ok, false);
  assert.deepEqual((result as { issues: ErrorDetail[] }).issues.map((i) => i.field), ['source_port', 'dest_port']);
});

test('getNormalizer falls back to generic for an unknown type', () => {
  assert.equal(getNormalizer('netflow').sourceType, 'generic');
  assert.equal(getNormalizer('dns').sourceType, 'dns');
});

test('severity is classified from event_type and the projection', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ source_type: 'auth', event_type: 'login_failure' }, 'medium'],
    [{ source_type: 'endpoint', event_type: 'privilege_escalation' }, 'high'],
    [{ source_type: 'endpoint', event_type: 'process_start', cmdline: 'encrypt --ransomware' }, 'critical'],
    [{ source_type: 'ids', event_type: 'alert', signature: 'ET EXPLOIT x' }, 'high'],
    [{ source_type: 'ids', classification: 'Potential Port Scan' }, 'medium'],
    [{ source_type: 'firewall', event_type: 'connection', action: 'blocked' }, 'info'], // action is not a text key
    [{ source_type: 'generic', message: 'disk warning' }, 'low'],
    [{ source_type: 'dns', event_type: 'dns_query', query: 'malware.example' }, 'info'],
  ];
  for (const [body, severity] of cases) assert.equal(ok(body).severity, severity, JSON.stringify(body));
});
