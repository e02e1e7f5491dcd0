// The shipped rules on their own: they are valid rule bodies the API would accept, they are
// documented for an analyst, and they catch the playbooks' attacks when these arrive the
// way real shippers send them (alias field names, other event-type vocabularies, string
// ports) rather than from the runner. Everyday noise from the same sources stays quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTEL_MATCH_LABEL_FIELD, RuleCreateSchema, RULE_TYPES } from '@siem/contracts';
import type { LogEvent } from '@siem/contracts';
import { checkConditions } from '../../src/engine/rules/load.ts';
import { DEFAULT_RULES, defaultRuleByKey } from '../../src/scenarios/default-rules.ts';
import { loadPlaybookDir } from '../../src/scenarios/loader.ts';
import { alertsOf, ingestAt, simulate } from './replay.ts';
import { REAL_LOG_ATTACKS } from './real-logs.ts';

const T0 = Date.UTC(2026, 2, 3, 14, 0, 0);
const PLAYBOOK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../playbooks');
const iso = (ms: number) => new Date(ms).toISOString();
const keyOfRule = new Map(DEFAULT_RULES.map((d) => [d.rule.name, d.key]));
/** Rule keys that fired in this file's tests, for the coverage check at the end. */
const seen = new Set<string>();
function fired(events: LogEvent[]): string[] {
  const firings = alertsOf(events);
  for (const f of firings) seen.add(keyOfRule.get(f.rule_name)!);
  return firings.map((f) => `${keyOfRule.get(f.rule_name)} [${f.group_value}]`).sort();
}

/** Events sent by a shipper: each carries its own time, `everyMs` apart from `startMs`. */
function shipped(bodies: Record<string, unknown>[], startMs: number, everyMs: number): LogEvent[] {
  return bodies.map((body, i) => ingestAt({ ...body, timestamp: iso(startMs + i * everyMs) }, startMs + i * everyMs + 250));
}

test('every shipped rule is a valid rule body: RuleCreateSchema output, conditions that compile', () => {
  for (const { key, rule } of DEFAULT_RULES) {
    assert.deepEqual(RuleCreateSchema.parse(rule), rule, key);
    const check = checkConditions(rule.rule_type, rule.conditions);
    assert.ok(check.ok, `${key}: ${check.ok ? '' : String(check.error)}`);
    assert.ok((RULE_TYPES as readonly string[]).includes(rule.rule_type));
    assert.equal(rule.enabled, true);
  }
});

test('shipped rules have unique stable keys and unique names, and are found by key', () => {
  const keys = DEFAULT_RULES.map((d) => d.key);
  const names = DEFAULT_RULES.map((d) => d.rule.name);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(new Set(names).size, names.length);
  for (const key of keys) {
    assert.match(key, /^builtin\.(auth|network|endpoint)\.[a-z0-9-]+$/);
    assert.equal(defaultRuleByKey(key)?.key, key);
  }
  assert.equal(defaultRuleByKey('builtin.nope'), null);
});

test('each shipped rule tells an analyst what it means and what to check first, with its ATT&CK mapping', () => {
  for (const { key, rule } of DEFAULT_RULES) {
    assert.ok(rule.description.length >= 300, `${key}: description too short`);
    assert.match(rule.description, /Check first:/, key);
    assert.match(rule.description, /T\d{4}/, `${key}: names its technique`);
    assert.ok(rule.description.includes(rule.mitre_technique!), `${key}: description names ${rule.mitre_technique}`);
    assert.match(rule.mitre_tactic ?? '', /^TA\d{4}$/, key);
    assert.match(rule.mitre_technique ?? '', /^T\d{4}(\.\d{3})?$/, key);
  }
});

test('rules never depend on the MITRE tags only scenario events carry', () => {
  for (const { key, rule } of DEFAULT_RULES) {
    const text = JSON.stringify(rule.conditions);
    assert.doesNotMatch(text, /mitre_|scenario_run_id/, key);
  }
});

test('an SSH brute force from a syslog shipper (user/src_ip aliases, outcome) is caught, and so is its success', () => {
  const failures = Array.from({ length: 24 }, (_, i) => ({
    source_type: 'auth',
    event_type: 'login_failure',
    src_ip: '198.51.100.9',
    src_port: String(40000 + i),
    host: 'web-07',
    user: 'root',
    outcome: 'failure',
    method: 'password',
  }));
  const events = shipped(failures, T0, 1500);
  events.push(...shipped([{ source_type: 'auth', event_type: 'login_success', src_ip: '198.51.100.9', host: 'web-07', user: 'root' }], T0 + 40_000, 0));
  assert.equal(events[0]!.username, 'root');
  assert.equal(events[0]!.source_ip, '198.51.100.9');
  assert.equal(events[0]!.normalized.result, 'failure');
  assert.deepEqual(fired(events), [
    'builtin.auth.failures-from-source [198.51.100.9]',
    'builtin.auth.password-guessing [root]',
    'builtin.auth.success-after-failures [198.51.100.9]',
  ]);
});

test('a firewall port scan with dst_port aliases (string ports, act/proto) is caught', () => {
  const ports = [21, 22, 23, 25, 80, 110, 135, 139, 143, 443, 445, 1433, 3306, 3389, 5432, 5900, 8080, 8443];
  const bodies = ports.map((p) => ({ source_type: 'firewall', event_type: 'firewall_deny', src: '203.0.113.250', dst: '10.50.0.8', sport: '61000', dst_port: String(p), act: 'deny', proto: 'tcp' }));
  const events = shipped(bodies, T0, 200);
  assert.equal(events[0]!.dest_port, 21);
  assert.equal(events[0]!.dest_ip, '10.50.0.8');
  assert.equal(events[0]!.normalized.action, 'deny');
  assert.deepEqual(fired(events), ['builtin.network.port-scan [203.0.113.250]']);
});

test('a host sweep on one port (dpt alias, drop action) is caught by the sweep rule', () => {
  const bodies = Array.from({ length: 24 }, (_, i) => ({ source_type: 'firewall', src_ip: '10.10.9.14', dst_ip: `10.10.40.${i + 1}`, dpt: 445, act: 'drop' }));
  assert.deepEqual(fired(shipped(bodies, T0, 500)), ['builtin.network.host-sweep [10.10.9.14]']);
});

test('password spraying in another vocabulary (authentication_failure, account alias) is caught', () => {
  const bodies = Array.from({ length: 14 }, (_, i) => ({ source_type: 'auth', event_type: 'authentication_failure', client_ip: '192.0.2.77', account: `user${i}@corp.example`, service: 'owa' }));
  assert.deepEqual(fired(shipped(bodies, T0, 3000)), ['builtin.auth.password-spraying [192.0.2.77]']);
});

test('DNS tunnelling logged by a resolver with qname/qtype aliases is caught', () => {
  const bodies = Array.from({ length: 45 }, (_, i) => ({ source_type: 'dns', src_ip: '10.1.2.3', qname: `${i.toString(36)}x${(i * 7919).toString(36)}q.tunnel.example`, qtype: i % 2 === 0 ? 'TXT' : 'A', rcode: 'NOERROR' }));
  assert.deepEqual(fired(shipped(bodies, T0, 800)), ['builtin.network.dns-txt-tunnel [10.1.2.3]', 'builtin.network.dns-unique-burst [10.1.2.3]']);
});

test('an EDR process event with image/parent_image/cmdline aliases is caught', () => {
  const events = shipped(
    [{ source_type: 'endpoint', event_type: 'ProcessCreate', host: 'WS-HR-009', image: 'powershell.exe', parent_image: 'EXCEL.EXE', cmdline: 'powershell.exe -w hidden -EncodedCommand SQBFAFgA' }],
    T0,
    0,
  );
  assert.deepEqual(fired(events), ['builtin.endpoint.office-spawns-interpreter [WS-HR-009]', 'builtin.endpoint.powershell-encoded [WS-HR-009]']);
});

test('everyday traffic from real sources stays quiet', () => {
  const events = [
    // A user mistyping three times, a NAT address with a few users' typos.
    ...shipped(Array.from({ length: 3 }, () => ({ source_type: 'auth', event_type: 'login_failure', src_ip: '10.10.1.5', user: 'alice' })), T0, 4000),
    ...shipped(['bob', 'carol', 'dave', 'erin', 'frank'].map((u) => ({ source_type: 'auth', event_type: 'login_failure', src_ip: '10.10.0.1', user: u })), T0, 9000),
    // A browser talking to a few ports, a workstation resolving 30 names in a minute.
    ...shipped([80, 443, 8443, 443, 80].map((p) => ({ source_type: 'firewall', src: '10.10.1.5', dst: '192.0.2.80', dpt: p, act: 'allow' })), T0, 1000),
    ...shipped(Array.from({ length: 30 }, (_, i) => ({ source_type: 'dns', src_ip: '10.10.1.5', qname: `cdn${i}.news.example`, qtype: 'A' })), T0, 2000),
    // Routine process trees: Explorer starting PowerShell, cron running a script, admins editing a file.
    ...shipped([{ source_type: 'endpoint', event_type: 'process_start', host: 'WS-1', image: 'powershell.exe', parent_image: 'explorer.exe', cmdline: 'powershell.exe -NoProfile' }], T0, 0),
    ...shipped([{ source_type: 'endpoint', event_type: 'process_start', host: 'srv-1', user: 'root', image: 'sh', parent_image: 'cron', cmdline: 'sh -c run-parts /etc/cron.daily' }], T0, 0),
    ...shipped([{ source_type: 'endpoint', event_type: 'file_write', host: 'srv-1', user: 'root', image: 'vim', file_path: '/etc/nginx/nginx.conf' }], T0, 0),
    // A few polls of a SaaS API through the proxy.
    ...shipped(Array.from({ length: 6 }, () => ({ source_type: 'proxy', src_ip: '10.10.1.5', dst_ip: '192.0.2.90', uri: 'https://api.saas.example/poll', bytes_transferred: 512 })), T0, 30_000),
  ];
  assert.deepEqual(fired(events), []);
});

test('an event enrichment tagged with an indicator match raises one alert naming the list and the indicator', () => {
  const events = shipped([
    { source_type: 'firewall', src_ip: '10.1.1.5', dst_ip: '203.0.113.66', action: 'allow' },
    { source_type: 'firewall', src_ip: '10.1.1.6', dst_ip: '203.0.113.66', action: 'allow' },
    { source_type: 'firewall', src_ip: '10.1.1.7', dst_ip: '198.51.100.1', action: 'allow' },
  ], T0, 1000);
  // What the threat-intel enrichment step writes at ingest (the replay here has no enrichment).
  for (const e of events.slice(0, 2)) e.fields = { ...e.fields, [INTEL_MATCH_LABEL_FIELD]: 'c2 feed: 203.0.113.66' };
  assert.deepEqual(fired(events), ['builtin.network.threat-intel-match [c2 feed: 203.0.113.66]']);
});

test('every shipped rule fires on a shipped playbook, in a shipper test above or on a real-log attack', async () => {
  for (const entry of await loadPlaybookDir(PLAYBOOK_DIR)) {
    fired(simulate(entry.playbook!, { startMs: T0, speed: 1 }).map((r) => r.event));
  }
  // real-log-rules.test.ts asserts exactly what each of these raises.
  for (const attack of REAL_LOG_ATTACKS) fired(attack());
  const missing = DEFAULT_RULES.map((d) => d.key).filter((key) => !seen.has(key));
  assert.deepEqual(missing, [], 'a new rule must come with a playbook step, a shipper test or a real-log attack');
});
