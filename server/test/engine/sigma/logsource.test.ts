// Logsource -> the events it selects, and Sigma field names -> the fields our parsers emit,
// per domain (Windows/Sysmon, Linux/auditd, web, network, Zeek), with the fallbacks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { translateOne, sigmaDoc } from './helpers.ts';
import type { DocumentResult } from '../../../src/engine/sigma/index.ts';

function translated(detection: Record<string, unknown>, logsource: Record<string, string>) {
  const r = translateOne(sigmaDoc(detection, { logsource }));
  assert.equal(r.outcome, 'translated', r.outcome === 'refused' ? r.reason : '');
  const t = r as DocumentResult & { outcome: 'translated' };
  return { filter: t.rule.conditions.event_filter as Record<string, unknown>, warnings: t.warnings, origin: t.rule.origin };
}

describe('logsource -> event selection', () => {
  const cases: [string, Record<string, string>, Record<string, unknown>][] = [
    ['windows process_creation: process starts (Sysmon 1 and Security 4688 alike)', { product: 'windows', category: 'process_creation' }, { event_type: { equals: 'process_start' } }],
    ['windows network_connection', { product: 'windows', category: 'network_connection' }, { event_type: { equals: 'network_connection' } }],
    ['windows file_event', { product: 'windows', category: 'file_event' }, { event_type: { equals: 'file_created' } }],
    ['windows dns_query', { product: 'windows', category: 'dns_query' }, { event_type: { equals: 'dns_query' } }],
    ['windows registry_set: Sysmon 13', { product: 'windows', category: 'registry_set' }, { 'winlog.event_id': { equals: 13 }, 'winlog.channel': { equals: 'Microsoft-Windows-Sysmon/Operational' } }],
    ['windows registry_event: Sysmon 12-14', { product: 'windows', category: 'registry_event' }, { 'winlog.event_id': { equals: [12, 13, 14] }, 'winlog.channel': { equals: 'Microsoft-Windows-Sysmon/Operational' } }],
    ['windows ps_script: PowerShell 4104', { product: 'windows', category: 'ps_script' }, { 'winlog.channel': { equals: 'Microsoft-Windows-PowerShell/Operational' }, 'winlog.event_id': { equals: 4104 } }],
    ['windows service security: the Security channel', { product: 'windows', service: 'security' }, { 'winlog.channel': { equals: 'Security' } }],
    ['windows service applocker: channels by prefix', { product: 'windows', service: 'applocker' }, { 'winlog.channel': { startswith: 'Microsoft-Windows-AppLocker/' } }],
    ['linux process_creation: process starts (auditd EXECVE)', { product: 'linux', category: 'process_creation' }, { event_type: { equals: 'process_start' } }],
    ['linux service auditd: audit records', { product: 'linux', service: 'auditd' }, { 'auditd.type': { exists: true } }],
    ['linux service sshd: the syslog program', { product: 'linux', service: 'sshd' }, { 'log.syslog.appname': { equals: 'sshd' } }],
    ['linux service auth: authentication events', { product: 'linux', service: 'auth' }, { source_type: { equals: 'auth' } }],
    ['category webserver', { category: 'webserver' }, { event_type: { equals: 'http_request' } }],
    ['category proxy', { category: 'proxy' }, { event_type: { equals: 'http_request' } }],
    ['category firewall', { category: 'firewall' }, { event_type: { equals: ['network_flow', 'firewall_deny', 'connection_allowed', 'firewall_log', 'network_connection'] } }],
    ['category dns', { category: 'dns' }, { event_type: { equals: 'dns_query' } }],
    ['zeek dns', { product: 'zeek', service: 'dns' }, { 'event.dataset': { equals: 'zeek.dns' }, event_type: { equals: 'dns_query' } }],
  ];
  for (const [what, logsource, expected] of cases) {
    it(what, () => {
      const { filter, warnings } = translated({ sel: { Custom: 'x' }, condition: 'sel' }, logsource);
      const { [Object.keys(filter).at(-1)!]: _detection, ...source } = filter;
      assert.deepEqual(source, expected);
      assert.ok(!warnings.some((w) => w.startsWith('logsource')), warnings.join('; '));
    });
  }

  it('an unknown logsource imports with its detection alone and says so', () => {
    const { filter, warnings, origin } = translated({ sel: { eventName: 'ConsoleLogin' }, condition: 'sel' }, { product: 'aws', service: 'cloudtrail' });
    assert.deepEqual(filter, { 'fields.eventName': { equals: 'ConsoleLogin' } });
    assert.ok(warnings.some((w) => /logsource service 'cloudtrail' has no mapping/.test(w)));
    assert.deepEqual(origin.logsource, { product: 'aws', service: 'cloudtrail' });
  });
});

describe('Sigma fields -> our fields', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['Image', { product: 'windows', category: 'process_creation' }, 'Image', 'process.executable'],
    ['CommandLine', { product: 'windows', category: 'process_creation' }, 'CommandLine', 'process.command_line'],
    ['ParentImage', { product: 'windows', category: 'process_creation' }, 'ParentImage', 'process.parent.executable'],
    ['ParentCommandLine', { product: 'windows', category: 'process_creation' }, 'ParentCommandLine', 'process.parent.command_line'],
    ['OriginalFileName', { product: 'windows', category: 'process_creation' }, 'OriginalFileName', 'process.pe.original_file_name'],
    ['User (kept whole, DOMAIN\\name, in the event data)', { product: 'windows', category: 'process_creation' }, 'User', 'winlog.event_data.User'],
    ['EventID', { product: 'windows', service: 'security' }, 'EventID', 'winlog.event_id'],
    ['a Security field: the event data', { product: 'windows', service: 'security' }, 'TargetUserName', 'winlog.event_data.TargetUserName'],
    ['TargetFilename on file_event', { product: 'windows', category: 'file_event' }, 'TargetFilename', 'file.path'],
    ['TargetObject on registry events', { product: 'windows', category: 'registry_set' }, 'TargetObject', 'winlog.event_data.TargetObject'],
    ['DestinationIp', { product: 'windows', category: 'network_connection' }, 'DestinationIp', 'destination.ip'],
    ['DestinationPort', { product: 'windows', category: 'network_connection' }, 'DestinationPort', 'destination.port'],
    ['QueryName', { product: 'windows', category: 'dns_query' }, 'QueryName', 'dns.question.name'],
    ['field names case-insensitively', { product: 'windows', category: 'process_creation' }, 'commandline', 'process.command_line'],
    ['auditd exe', { product: 'linux', service: 'auditd' }, 'exe', 'process.executable'],
    ['auditd other keys', { product: 'linux', service: 'auditd' }, 'nametype', 'auditd.nametype'],
    ['linux CommandLine', { product: 'linux', category: 'process_creation' }, 'CommandLine', 'process.command_line'],
    ['cs-method', { category: 'webserver' }, 'cs-method', 'http.request.method'],
    ['c-uri', { category: 'proxy' }, 'c-uri', 'url.original'],
    ['cs-uri-query', { category: 'webserver' }, 'cs-uri-query', 'url.original'],
    ['sc-status', { category: 'webserver' }, 'sc-status', 'http.response.status_code'],
    ['c-useragent', { category: 'proxy' }, 'c-useragent', 'user_agent.original'],
    ['cs-referer', { category: 'webserver' }, 'cs-referer', 'http.request.referrer'],
    ['c-ip', { category: 'webserver' }, 'c-ip', 'source.ip'],
    ['dst_port', { category: 'firewall' }, 'dst_port', 'destination.port'],
    ['src_ip', { category: 'firewall' }, 'src_ip', 'source.ip'],
    ['dns query', { category: 'dns' }, 'query', 'dns.question.name'],
    ['zeek id.resp_h', { product: 'zeek', service: 'conn' }, 'id.resp_h', 'destination.ip'],
    ['zeek unmapped: the log keys', { product: 'zeek', service: 'smb_files' }, 'path', 'zeek.smb_files.path'],
    ['other products: fields.<Name>', { product: 'okta' }, 'eventType', 'fields.eventType'],
  ];
  for (const [what, logsource, sigma, ours] of cases) {
    it(what, () => {
      const { filter } = translated({ sel: { [sigma]: 'v' }, condition: 'sel' }, logsource);
      assert.ok(Object.hasOwn(filter, ours), `${ours} not in ${JSON.stringify(filter)}`);
    });
  }

  it('an unmapped field warns with where it was looked for', () => {
    const { warnings } = translated({ sel: { Details: 'v' }, condition: 'sel' }, { product: 'windows', category: 'registry_set' });
    assert.ok(warnings.some((w) => w.includes('Details -> winlog.event_data.Details')), warnings.join('; '));
  });
});

describe('rule metadata', () => {
  it('title, level, ATT&CK tags and the origin record', () => {
    const text = sigmaDoc({ sel: { Foo: 'x' }, condition: 'sel' }, {
      title: 'T'.repeat(250),
      level: 'informational',
      status: 'test',
      author: 'someone',
      tags: ['attack.execution', 'attack.t1059.001', 'attack.persistence', 'attack.t1547', 'car.2016-04-005'],
      references: ['https://example.org/a'],
      falsepositives: ['admins'],
      date: '2024-01-02',
      modified: '2024-03-04',
      description: 'what it finds',
      logsource: { product: 'windows', category: 'process_creation' },
    });
    const r = translateOne(text) as DocumentResult & { outcome: 'translated' };
    assert.equal(r.rule.name, 'T'.repeat(200));
    assert.equal(r.rule.severity, 'info');
    assert.equal(r.rule.rule_type, 'single');
    assert.equal(r.rule.mitre_tactic, 'TA0002');
    assert.equal(r.rule.mitre_technique, 'T1059.001');
    assert.deepEqual(r.rule.mitre_techniques, ['T1059.001', 'T1547']);
    assert.equal(r.rule.description, 'what it finds');
    assert.deepEqual(r.rule.origin, {
      kind: 'sigma',
      id: '00000000-0000-4000-8000-000000000001',
      status: 'test',
      author: 'someone',
      references: ['https://example.org/a'],
      false_positives: ['admins'],
      tags: ['attack.execution', 'attack.t1059.001', 'attack.persistence', 'attack.t1547', 'car.2016-04-005'],
      level: 'informational',
      date: '2024-01-02',
      modified: '2024-03-04',
      logsource: { product: 'windows', category: 'process_creation' },
    });
    assert.ok(r.warnings.some((w) => /title cut to 200/.test(w)));
  });

  it('levels map to severities', () => {
    for (const [level, severity] of [['low', 'low'], ['medium', 'medium'], ['high', 'high'], ['critical', 'critical']]) {
      const r = translateOne(sigmaDoc({ s: { Foo: 'x' }, condition: 's' }, { level })) as DocumentResult & { outcome: 'translated' };
      assert.equal(r.rule.severity, severity);
    }
  });

  it('a rule without a title is refused at the title', () => {
    const r = translateOne(JSON.stringify({ detection: { s: { Foo: 'x' }, condition: 's' } }));
    assert.equal(r.outcome, 'refused');
    assert.equal((r as { field?: string }).field, 'title');
  });
});
