// What a Windows event means, whoever shipped it (Winlogbeat nests the event data under
// winlog.event_data, NXLog puts it at the top level): Security logons, process creation,
// account and group changes, log clearing, scheduled tasks, services, and Sysmon 1/3/11/22.
import type { SourceType } from '@siem/contracts';
import { executableOfCommandLine, processNameFromPath } from '../process-name.ts';
import type { ParsedFields } from '../types.ts';
import { num, set, setAddress, setPort, text, uint } from './read.ts';

/** An event data value by its Windows name ("TargetUserName"); undefined when absent or "-". */
export type EventData = (name: string) => unknown;

export interface WindowsMeaning {
  source_type: SourceType;
  event_type: string | null;
  message: string;
}

const SYSMON = 'microsoft-windows-sysmon';
// Windows writes these for "no value" in event data.
const ABSENT = new Set(['-', '', '%%1793', 'NULL SID', '0x0']);

function value(data: EventData, name: string): string | undefined {
  const t = text(data(name));
  return t === undefined || ABSENT.has(t) ? undefined : t;
}

function put(fields: ParsedFields, name: string, data: EventData, key: string): void {
  set(fields, name, value(data, key));
}

/** Whether the channel or provider is Sysmon's. */
export function isSysmon(channel: string | undefined, provider: string | undefined): boolean {
  return (channel?.toLowerCase().startsWith(SYSMON) ?? false) || (provider?.toLowerCase().startsWith(SYSMON) ?? false);
}

/**
 * Fills `fields` from the event data and says what the event is. Unknown ids keep their
 * data (the caller copies it) with source_type generic and no event type.
 */
export function interpretWindowsEvent(id: number, sysmon: boolean, data: EventData, fields: ParsedFields): WindowsMeaning {
  if (sysmon) return interpretSysmon(id, data, fields);
  switch (id) {
    case 4624:
    case 4625: {
      const success = id === 4624;
      fields['event.category'] = 'authentication';
      fields['event.action'] = success ? 'logged-in' : 'logon-failed';
      fields['event.outcome'] = success ? 'success' : 'failure';
      put(fields, 'user.name', data, 'TargetUserName');
      put(fields, 'user.domain', data, 'TargetDomainName');
      put(fields, 'user.id', data, 'TargetUserSid');
      readWindowsAddress(fields, data);
      put(fields, 'source.domain', data, 'WorkstationName');
      const logonType = uint(data('LogonType'));
      if (logonType !== undefined) fields['winlog.logon.type'] = logonType;
      put(fields, 'auth.method', data, 'AuthenticationPackageName');
      put(fields, 'winlog.logon.process', data, 'LogonProcessName');
      put(fields, 'process.executable', data, 'ProcessName');
      if (typeof fields['process.executable'] === 'string') fields['process.name'] = processNameFromPath(fields['process.executable']);
      if (!success) {
        put(fields, 'event.reason', data, 'FailureReason');
        put(fields, 'winlog.logon.failure.status', data, 'Status');
        put(fields, 'winlog.logon.failure.sub_status', data, 'SubStatus');
      }
      const user = fields['user.name'] ?? '?';
      return { source_type: 'auth', event_type: success ? 'login_success' : 'login_failure', message: `${success ? 'logon' : 'failed logon'} ${user}` };
    }
    case 4688: {
      fields['event.category'] = 'process';
      fields['event.action'] = 'created-process';
      setProcess(fields, 'process', value(data, 'NewProcessName'), value(data, 'CommandLine'));
      setPid(fields, 'process.pid', data('NewProcessId'));
      setProcess(fields, 'process.parent', value(data, 'ParentProcessName'), undefined);
      setPid(fields, 'process.parent.pid', data('ProcessId'));
      put(fields, 'user.name', data, 'SubjectUserName');
      put(fields, 'user.domain', data, 'SubjectDomainName');
      put(fields, 'user.target.name', data, 'TargetUserName');
      return { source_type: 'endpoint', event_type: 'process_start', message: `process ${fields['process.name'] ?? '?'}` };
    }
    case 4720:
    case 4726:
    case 4740: {
      fields['event.category'] = 'iam';
      put(fields, 'user.name', data, 'SubjectUserName');
      put(fields, 'user.domain', data, 'SubjectDomainName');
      put(fields, 'user.target.name', data, 'TargetUserName');
      put(fields, 'user.target.id', data, 'TargetSid');
      const type = id === 4720 ? 'user_created' : id === 4726 ? 'user_deleted' : 'user_locked';
      if (id === 4740) {
        // 4740's TargetDomainName is the computer the failed logons came from.
        put(fields, 'source.domain', data, 'TargetDomainName');
      } else put(fields, 'user.target.domain', data, 'TargetDomainName');
      fields['event.action'] = type;
      return { source_type: 'auth', event_type: type, message: `${type.replace('_', ' ')} ${fields['user.target.name'] ?? '?'}` };
    }
    case 4728:
    case 4732:
    case 4756: {
      fields['event.category'] = 'iam';
      fields['event.action'] = 'added-member-to-group';
      put(fields, 'user.name', data, 'SubjectUserName');
      put(fields, 'user.domain', data, 'SubjectDomainName');
      put(fields, 'group.name', data, 'TargetUserName');
      put(fields, 'group.domain', data, 'TargetDomainName');
      put(fields, 'group.id', data, 'TargetSid');
      const member = value(data, 'MemberName');
      if (member !== undefined) set(fields, 'user.target.name', commonName(member));
      put(fields, 'user.target.id', data, 'MemberSid');
      return { source_type: 'auth', event_type: 'user_added_to_group', message: `member added to ${fields['group.name'] ?? '?'}` };
    }
    case 1102:
      fields['event.category'] = 'iam';
      fields['event.action'] = 'audit-log-cleared';
      put(fields, 'user.name', data, 'SubjectUserName');
      put(fields, 'user.domain', data, 'SubjectDomainName');
      return { source_type: 'endpoint', event_type: 'audit_log_cleared', message: 'audit log cleared' };
    case 4698:
      fields['event.category'] = 'configuration';
      fields['event.action'] = 'scheduled-task-created';
      put(fields, 'user.name', data, 'SubjectUserName');
      put(fields, 'user.domain', data, 'SubjectDomainName');
      put(fields, 'winlog.task_name', data, 'TaskName');
      return { source_type: 'endpoint', event_type: 'scheduled_task_created', message: `scheduled task ${fields['winlog.task_name'] ?? '?'}` };
    case 7045: {
      fields['event.category'] = 'configuration';
      fields['event.action'] = 'service-installed';
      put(fields, 'service.name', data, 'ServiceName');
      put(fields, 'user.name', data, 'AccountName');
      const image = value(data, 'ImagePath');
      if (image !== undefined) {
        fields['process.command_line'] = image;
        setProcess(fields, 'process', executableOfCommandLine(image), undefined);
      }
      return { source_type: 'endpoint', event_type: 'service_installed', message: `service installed ${fields['service.name'] ?? '?'}` };
    }
  }
  return { source_type: 'generic', event_type: null, message: `windows event ${id}` };
}

function interpretSysmon(id: number, data: EventData, fields: ParsedFields): WindowsMeaning {
  setProcess(fields, 'process', value(data, 'Image'), value(data, 'CommandLine'));
  setPid(fields, 'process.pid', data('ProcessId'));
  put(fields, 'process.entity_id', data, 'ProcessGuid');
  readDomainUser(fields, value(data, 'User'));
  put(fields, 'rule.name', data, 'RuleName');
  switch (id) {
    case 1:
      fields['event.category'] = 'process';
      fields['event.action'] = 'process-created';
      setProcess(fields, 'process.parent', value(data, 'ParentImage'), value(data, 'ParentCommandLine'));
      setPid(fields, 'process.parent.pid', data('ParentProcessId'));
      put(fields, 'process.working_directory', data, 'CurrentDirectory');
      put(fields, 'process.pe.original_file_name', data, 'OriginalFileName');
      put(fields, 'process.hash', data, 'Hashes');
      put(fields, 'winlog.integrity_level', data, 'IntegrityLevel');
      return { source_type: 'endpoint', event_type: 'process_start', message: `process ${fields['process.name'] ?? '?'}` };
    case 3: {
      fields['event.category'] = 'network';
      fields['event.action'] = 'network-connection';
      setAddress(fields, 'source', data('SourceIp'));
      setPort(fields, 'source', data('SourcePort'));
      setAddress(fields, 'destination', data('DestinationIp'));
      setPort(fields, 'destination', data('DestinationPort'));
      put(fields, 'destination.domain', data, 'DestinationHostname');
      const transport = value(data, 'Protocol');
      if (transport !== undefined) fields['network.transport'] = transport.toLowerCase();
      const initiated = value(data, 'Initiated');
      if (initiated !== undefined) fields['network.direction'] = initiated.toLowerCase() === 'true' ? 'outbound' : 'inbound';
      return { source_type: 'endpoint', event_type: 'network_connection', message: `connection ${fields['process.name'] ?? '?'} -> ${fields['destination.ip'] ?? '?'}` };
    }
    case 11:
      fields['event.category'] = 'file';
      fields['event.action'] = 'file-created';
      put(fields, 'file.path', data, 'TargetFilename');
      if (typeof fields['file.path'] === 'string') fields['file.name'] = processNameFromPath(fields['file.path']);
      return { source_type: 'endpoint', event_type: 'file_created', message: `file created ${fields['file.path'] ?? '?'}` };
    case 22: {
      fields['event.category'] = 'network';
      fields['event.action'] = 'dns-query';
      put(fields, 'dns.question.name', data, 'QueryName');
      const status = value(data, 'QueryStatus');
      if (status !== undefined) fields['dns.response_code'] = DNS_STATUS[status] ?? status;
      const answers = dnsResults(value(data, 'QueryResults'));
      if (answers !== '') fields['dns.answers'] = answers;
      return { source_type: 'dns', event_type: 'dns_query', message: `dns ${fields['dns.question.name'] ?? '?'}` };
    }
  }
  return { source_type: 'endpoint', event_type: null, message: `sysmon event ${id}` };
}

// Sysmon 22's QueryStatus is a Win32 status: 0 success, 9003 DNS_ERROR_RCODE_NAME_ERROR...
const DNS_STATUS: Readonly<Record<string, string>> = { '0': 'NOERROR', '9003': 'NXDOMAIN', '9002': 'SERVFAIL', '9004': 'NOTIMP', '9005': 'REFUSED', '1460': 'TIMEOUT', '9501': 'NODATA', '9701': 'NODATA' };

/** "type:  5 edge.example;::ffff:192.0.2.7;" -> "edge.example,::ffff:192.0.2.7". */
function dnsResults(results: string | undefined): string {
  if (results === undefined) return '';
  const out: string[] = [];
  for (const part of results.split(';', 64)) {
    let item = part.trim();
    if (item.startsWith('type:')) {
      // "type:  5 name": the record type number, then the value.
      const rest = item.slice(5).trimStart();
      const space = rest.indexOf(' ');
      item = space < 0 ? '' : rest.slice(space + 1).trim();
    }
    if (item !== '') out.push(item);
  }
  return out.join(',');
}

/** Executable path -> process.executable and the bare process.name; the command line kept whole. */
function setProcess(fields: ParsedFields, prefix: string, executable: string | undefined, commandLine: string | undefined): void {
  if (executable !== undefined) {
    fields[`${prefix}.executable`] = executable;
    fields[`${prefix}.name`] = processNameFromPath(executable);
  }
  if (commandLine !== undefined) {
    fields[`${prefix}.command_line`] = commandLine;
    if (executable === undefined) {
      const exe = executableOfCommandLine(commandLine);
      if (exe !== '') {
        fields[`${prefix}.executable`] = exe;
        fields[`${prefix}.name`] = processNameFromPath(exe);
      }
    }
  }
}

/** Process ids: decimal (Sysmon) or "0x1a2c" hex (Security 4688). */
function setPid(fields: ParsedFields, name: string, raw: unknown): void {
  const n = num(raw);
  if (n !== undefined && Number.isSafeInteger(n) && n > 0) fields[name] = n;
}

/** Sysmon's "CORP\\alice" -> user.domain CORP, user.name alice. */
function readDomainUser(fields: ParsedFields, user: string | undefined): void {
  if (user === undefined) return;
  const slash = user.indexOf('\\');
  if (slash < 0) {
    fields['user.name'] = user;
    return;
  }
  if (slash > 0) fields['user.domain'] = user.slice(0, slash);
  if (slash < user.length - 1) fields['user.name'] = user.slice(slash + 1);
}

/** "CN=bob,OU=Staff,DC=corp,DC=example" -> "bob"; anything else as it is. */
function commonName(dn: string): string {
  if (!dn.toUpperCase().startsWith('CN=')) return dn;
  let end = 3;
  while (end < dn.length && !(dn.charCodeAt(end) === 44 && dn.charCodeAt(end - 1) !== 92)) end++;
  return dn.slice(3, end).replaceAll('\\,', ',');
}

/** IpAddress/IpPort of logon events: "-" is absent; "::1" and 127.0.0.1 (local logons) are kept as they are. */
function readWindowsAddress(fields: ParsedFields, data: EventData): void {
  const ip = value(data, 'IpAddress');
  if (ip !== undefined) setAddress(fields, 'source', ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip);
  setPort(fields, 'source', value(data, 'IpPort'));
}
