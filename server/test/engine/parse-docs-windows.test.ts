import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { parseDocument, toIngestFields } from '../../src/engine/parse/index.ts';
import { check, OPTS, type Expect } from './parse-helpers.ts';

// Fixture events written for these tests: the same Windows events as Winlogbeat 8 ships them
// (ECS envelope, winlog.event_data) and as NXLog's im_msvistalog + to_json writes them (flat).
const SECURITY = 'Security';
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

interface WinCase {
  name: string;
  id: number;
  channel: string;
  provider: string;
  data: Record<string, string>;
  expect: Expect;
}

const CASES: WinCase[] = [
  {
    name: '4624 network logon', id: 4624, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { SubjectUserSid: 'S-1-0-0', SubjectUserName: '-', TargetUserSid: 'S-1-5-21-1004336348-1177238915-682003330-1105', TargetUserName: 'j.doe', TargetDomainName: 'CORP', LogonType: '3', LogonProcessName: 'NtLmSsp ', AuthenticationPackageName: 'NTLM', WorkstationName: 'WKS-0042', IpAddress: '192.0.2.61', IpPort: '50122', ProcessName: '-' },
    expect: { source_type: 'auth', event_type: 'login_success', fields: { 'user.name': 'j.doe', 'user.domain': 'CORP', 'source.ip': '192.0.2.61', 'source.port': 50122, 'source.domain': 'WKS-0042', 'winlog.logon.type': 3, 'auth.method': 'NTLM', 'event.outcome': 'success' }, absent: ['process.executable', 'process.name'] },
  },
  {
    name: '4625 failed logon', id: 4625, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { TargetUserName: 'administrator', TargetDomainName: 'WKS-0042', Status: '0xc000006d', FailureReason: '%%2313', SubStatus: '0xc000006a', LogonType: '10', IpAddress: '198.51.100.23', IpPort: '0', WorkstationName: '-', ProcessName: 'C:\\Windows\\System32\\svchost.exe' },
    expect: { source_type: 'auth', event_type: 'login_failure', fields: { 'user.name': 'administrator', 'source.ip': '198.51.100.23', 'winlog.logon.type': 10, 'event.outcome': 'failure', 'winlog.logon.failure.sub_status': '0xc000006a', 'process.name': 'svchost.exe', 'process.executable': 'C:\\Windows\\System32\\svchost.exe' }, absent: ['source.port', 'source.domain'] },
  },
  {
    name: '4625 local with ::1', id: 4625, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { TargetUserName: 'svc_backup', IpAddress: '::1', IpPort: '0', LogonType: '2' },
    expect: { event_type: 'login_failure', fields: { 'source.ip': '::1' } },
  },
  {
    name: '4688 process creation', id: 4688, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { SubjectUserName: 'j.doe', SubjectDomainName: 'CORP', NewProcessId: '0x1a2c', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', TokenElevationType: '%%1936', ProcessId: '0x0f10', CommandLine: 'cmd.exe /c whoami /all', TargetUserName: '-', ParentProcessName: 'C:\\Windows\\explorer.exe' },
    expect: { source_type: 'endpoint', event_type: 'process_start', fields: { 'process.name': 'cmd.exe', 'process.executable': 'C:\\Windows\\System32\\cmd.exe', 'process.pid': 0x1a2c, 'process.command_line': 'cmd.exe /c whoami /all', 'process.parent.name': 'explorer.exe', 'process.parent.pid': 0xf10, 'user.name': 'j.doe' }, absent: ['user.target.name'] },
  },
  {
    name: '4720 user created', id: 4720, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { TargetUserName: 'backdoor', TargetDomainName: 'CORP', TargetSid: 'S-1-5-21-1-2-3-1337', SubjectUserName: 'adm.smith', SubjectDomainName: 'CORP', SamAccountName: 'backdoor' },
    expect: { source_type: 'auth', event_type: 'user_created', fields: { 'user.target.name': 'backdoor', 'user.name': 'adm.smith', 'user.target.domain': 'CORP' } },
  },
  {
    name: '4726 user deleted', id: 4726, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { TargetUserName: 'temp01', TargetDomainName: 'CORP', SubjectUserName: 'adm.smith' },
    expect: { source_type: 'auth', event_type: 'user_deleted', fields: { 'user.target.name': 'temp01' } },
  },
  {
    name: '4728 global group', id: 4728, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { MemberName: 'CN=Backdoor User,OU=Staff,DC=corp,DC=example', MemberSid: 'S-1-5-21-1-2-3-1337', TargetUserName: 'Domain Admins', TargetDomainName: 'CORP', SubjectUserName: 'adm.smith' },
    expect: { source_type: 'auth', event_type: 'user_added_to_group', fields: { 'group.name': 'Domain Admins', 'user.target.name': 'Backdoor User', 'user.name': 'adm.smith' } },
  },
  {
    name: '4732 local group', id: 4732, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { MemberName: '-', MemberSid: 'S-1-5-21-1-2-3-1500', TargetUserName: 'Administrators', TargetDomainName: 'Builtin', SubjectUserName: 'j.doe' },
    expect: { event_type: 'user_added_to_group', fields: { 'group.name': 'Administrators', 'user.target.id': 'S-1-5-21-1-2-3-1500' }, absent: ['user.target.name'] },
  },
  {
    name: '4756 universal group', id: 4756, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { MemberName: 'CN=Smith\\, Ann,OU=IT,DC=corp,DC=example', TargetUserName: 'Enterprise Admins', SubjectUserName: 'adm.smith' },
    expect: { event_type: 'user_added_to_group', fields: { 'user.target.name': 'Smith, Ann', 'group.name': 'Enterprise Admins' } },
  },
  {
    name: '4740 locked out', id: 4740, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { TargetUserName: 'j.doe', TargetDomainName: 'WKS-0042', SubjectUserName: 'DC01$' },
    expect: { source_type: 'auth', event_type: 'user_locked', fields: { 'user.target.name': 'j.doe', 'source.domain': 'WKS-0042' } },
  },
  {
    name: '1102 log cleared', id: 1102, channel: SECURITY, provider: 'Microsoft-Windows-Eventlog',
    data: { SubjectUserName: 'j.doe', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7' },
    expect: { source_type: 'endpoint', event_type: 'audit_log_cleared', fields: { 'user.name': 'j.doe' } },
  },
  {
    name: '4698 scheduled task', id: 4698, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing',
    data: { SubjectUserName: 'j.doe', TaskName: '\\Microsoft\\Windows\\UpdateCheck', TaskContent: '<Task><Actions><Exec><Command>powershell.exe</Command></Exec></Actions></Task>' },
    expect: { source_type: 'endpoint', event_type: 'scheduled_task_created', fields: { 'winlog.task_name': '\\Microsoft\\Windows\\UpdateCheck', 'user.name': 'j.doe' } },
  },
  {
    name: '7045 service installed', id: 7045, channel: 'System', provider: 'Service Control Manager',
    data: { ServiceName: 'WinSvcHelper', ImagePath: '"C:\\Users\\Public\\svc helper.exe" -k run', ServiceType: 'user mode service', StartType: 'auto start', AccountName: 'LocalSystem' },
    expect: { source_type: 'endpoint', event_type: 'service_installed', fields: { 'service.name': 'WinSvcHelper', 'process.name': 'svc helper.exe', 'process.executable': 'C:\\Users\\Public\\svc helper.exe', 'process.command_line': '"C:\\Users\\Public\\svc helper.exe" -k run', 'user.name': 'LocalSystem' } },
  },
  {
    name: 'sysmon 1', id: 1, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon',
    data: { RuleName: '-', UtcTime: '2026-03-15 10:00:00.123', ProcessGuid: '{0b5c1a2e-0001-0000-0000-000000000100}', ProcessId: '6612', Image: 'C:\\Users\\j.doe\\AppData\\Local\\Temp\\mimi.exe', OriginalFileName: 'mimikatz.exe', CommandLine: 'mimi.exe "privilege::debug" "sekurlsa::logonpasswords" exit', CurrentDirectory: 'C:\\Users\\j.doe\\AppData\\Local\\Temp\\', User: 'CORP\\j.doe', IntegrityLevel: 'High', Hashes: 'SHA256=0000', ParentProcessId: '4480', ParentImage: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ParentCommandLine: 'powershell.exe -nop' },
    expect: { source_type: 'endpoint', event_type: 'process_start', fields: { 'process.name': 'mimi.exe', 'process.pe.original_file_name': 'mimikatz.exe', 'process.pid': 6612, 'process.parent.name': 'powershell.exe', 'process.parent.pid': 4480, 'process.parent.command_line': 'powershell.exe -nop', 'user.name': 'j.doe', 'user.domain': 'CORP' }, absent: ['rule.name'] },
  },
  {
    name: 'sysmon 3', id: 3, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon',
    data: { Image: 'C:\\Windows\\System32\\rundll32.exe', ProcessId: '3100', User: 'CORP\\j.doe', Protocol: 'tcp', Initiated: 'true', SourceIp: '10.20.0.15', SourcePort: '50511', DestinationIp: '203.0.113.66', DestinationHostname: 'c2.example.net', DestinationPort: '8443' },
    expect: { source_type: 'endpoint', event_type: 'network_connection', fields: { 'process.name': 'rundll32.exe', 'source.ip': '10.20.0.15', 'destination.ip': '203.0.113.66', 'destination.port': 8443, 'destination.domain': 'c2.example.net', 'network.direction': 'outbound', 'network.transport': 'tcp' } },
  },
  {
    name: 'sysmon 11', id: 11, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon',
    data: { Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ProcessId: '4480', TargetFilename: 'C:\\Users\\Public\\payload.dll', CreationUtcTime: '2026-03-15 10:00:01.000' },
    expect: { source_type: 'endpoint', event_type: 'file_created', fields: { 'file.path': 'C:\\Users\\Public\\payload.dll', 'file.name': 'payload.dll', 'process.name': 'powershell.exe' } },
  },
  {
    name: 'sysmon 22', id: 22, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon',
    data: { Image: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', ProcessId: '7020', QueryName: 'telemetry.example.com', QueryStatus: '0', QueryResults: 'type:  5 edge.example.net;::ffff:203.0.113.12;' },
    expect: { source_type: 'dns', event_type: 'dns_query', fields: { 'dns.question.name': 'telemetry.example.com', 'dns.response_code': 'NOERROR', 'dns.answers': 'edge.example.net,::ffff:203.0.113.12', 'process.name': 'firefox.exe', 'dns.question.label_count': 3 } },
  },
];

function winlogbeat(c: WinCase): Record<string, unknown> {
  return {
    '@timestamp': '2026-03-15T10:00:00.250Z',
    agent: { type: 'winlogbeat', version: '8.15.0', name: 'WKS-0042' },
    ecs: { version: '8.0.0' },
    host: { name: 'wks-0042.corp.example' },
    event: { code: String(c.id), provider: c.provider, kind: 'event', created: '2026-03-15T10:00:01.000Z' },
    log: { level: 'information' },
    message: `Event ${c.id} happened.\nDetails follow on further lines.`,
    winlog: {
      channel: c.channel, provider_name: c.provider, computer_name: 'WKS-0042.corp.example', record_id: 998877,
      event_id: String(c.id), api: 'wineventlog', event_data: c.data,
    },
  };
}

function nxlog(c: WinCase): Record<string, unknown> {
  return {
    EventTime: '2026-03-15 11:00:00', Hostname: 'WKS-0042.corp.example', Keywords: '9232379236109516800', EventType: 'AUDIT_SUCCESS',
    SeverityValue: 2, Severity: 'INFO', EventID: c.id, SourceName: c.provider, Task: 12544, RecordNumber: 998877, ProcessID: 712,
    ThreadID: 3000, Channel: c.channel, Message: `Event ${c.id} happened.\r\nDetails.`, Opcode: 'Info',
    EventReceivedTime: '2026-03-15 11:00:01', SourceModuleName: 'eventlog', SourceModuleType: 'im_msvistalog', ...c.data,
  };
}

test('Windows events as Winlogbeat ships them', () => {
  for (const c of CASES) {
    const r = parseDocument(winlogbeat(c), OPTS);
    check(r, { parser: 'winlog', host: 'WKS-0042.corp.example', ...c.expect, fields: { 'winlog.event_id': c.id, 'winlog.channel': c.channel, ...c.expect.fields } }, `winlogbeat ${c.name}`);
    assert.equal(r.timestampMs, Date.UTC(2026, 2, 15, 10, 0, 0, 250), c.name);
    assert.equal(r.message, `Event ${c.id} happened.`);
    const flat = toIngestFields(r);
    assert.ok(IngestEventSchema.safeParse(flat).success, c.name);
    assert.equal(flat.hostname, 'WKS-0042.corp.example');
  }
  // Winlogbeat 7 sends the id as a number and the event data stays reachable under its own names.
  const v7 = winlogbeat(CASES[0]!);
  (v7.winlog as Record<string, unknown>).event_id = 4624;
  const r = parseDocument(v7, OPTS);
  assert.equal(r.event_type, 'login_success');
  assert.equal(r.fields['winlog.event_data.LogonProcessName'], 'NtLmSsp ');
  assert.equal(r.fields['agent.type'], 'winlogbeat');
});

test('Windows events as NXLog sends them', () => {
  for (const c of CASES) {
    const r = parseDocument(nxlog(c), { ...OPTS, timeZone: 'Europe/Paris' });
    check(r, { parser: 'nxlog', host: 'WKS-0042.corp.example', ...c.expect, fields: { 'winlog.event_id': c.id, 'winlog.provider_name': c.provider, ...c.expect.fields } }, `nxlog ${c.name}`);
    // EventTime is the sender's local time: 11:00 in Paris in March is 10:00 UTC.
    assert.equal(r.timestampMs, Date.UTC(2026, 2, 15, 10, 0, 0), c.name);
    assert.equal(r.fields['nxlog.EventType'], 'AUDIT_SUCCESS');
    assert.ok(IngestEventSchema.safeParse(toIngestFields(r)).success, c.name);
  }
  const r = parseDocument(nxlog(CASES[3]!), OPTS);
  assert.equal(r.fields['winlog.event_data.TokenElevationType'], '%%1936');
  assert.equal(r.pid, 712);
  const flat = toIngestFields(r);
  assert.deepEqual([flat.process_name, flat.parent_process, flat.command_line], ['cmd.exe', 'explorer.exe', 'cmd.exe /c whoami /all']);
});

test('Windows: unknown ids keep their data; sysmon is told by provider alone; odd ids fall to the next parser', () => {
  const other = parseDocument(nxlog({ name: 'x', id: 5156, channel: SECURITY, provider: 'Microsoft-Windows-Security-Auditing', data: { Application: '\\device\\harddiskvolume2\\app.exe' }, expect: {} }), OPTS);
  check(other, { parser: 'nxlog', source_type: 'generic', event_type: null, fields: { 'winlog.event_id': 5156, 'winlog.event_data.Application': '\\device\\harddiskvolume2\\app.exe' } }, 'unknown');
  const noChannel = nxlog(CASES[13]!);
  delete noChannel.Channel;
  check(parseDocument(noChannel, OPTS), { event_type: 'process_start', fields: { 'process.name': 'mimi.exe' } }, 'provider only');
  // Security 1 is not Sysmon 1.
  check(parseDocument(nxlog({ ...CASES[13]!, channel: SECURITY, provider: 'Some-Provider' }), OPTS), { event_type: null }, 'id 1 elsewhere');
  // An event id that is not a number: the generic parser takes the document, nothing is lost.
  const bad = parseDocument({ ...nxlog(CASES[0]!), EventID: 'four' }, OPTS);
  assert.notEqual(bad.parser, 'nxlog');
  assert.equal(bad.fields.TargetUserName, 'j.doe');
  // The 1102 subject sits in user_data in Winlogbeat.
  const cleared = winlogbeat(CASES[10]!);
  const winlog = cleared.winlog as Record<string, unknown>;
  winlog.user_data = winlog.event_data;
  delete winlog.event_data;
  check(parseDocument(cleared, OPTS), { event_type: 'audit_log_cleared', fields: { 'user.name': 'j.doe' } }, 'user_data');
  // Winlogbeat output written with dotted keys (a Logstash or Vector relay) reads the same.
  const dotted = { '@timestamp': '2026-03-15T10:00:00Z', 'winlog.event_id': 4625, 'winlog.channel': 'Security', 'winlog.event_data.TargetUserName': 'eve', 'winlog.event_data.IpAddress': '192.0.2.200' };
  check(parseDocument(dotted, OPTS), { parser: 'winlog', event_type: 'login_failure', fields: { 'user.name': 'eve', 'source.ip': '192.0.2.200' } }, 'dotted');
});
