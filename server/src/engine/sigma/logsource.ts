// Sigma logsource -> the filter entries that select those events in our store: the
// event_type our parsers give a process start, a connection, a file creation, a DNS query
// or a web request; the Windows channel (and event ids for Sysmon events our parsers do not
// name); the syslog program. An unknown logsource adds nothing and is reported as a warning.
import { lower, type Logsource } from './taxonomy/types.ts';
import type { Filter } from './types.ts';

const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const PS_CHANNEL = 'Microsoft-Windows-PowerShell/Operational';
const PS_CLASSIC = 'Windows PowerShell';

const ids = (list: number[]) => ({ 'winlog.event_id': list.length === 1 ? { equals: list[0] } : { equals: list } });
const sysmon = (...list: number[]): Filter => ({ ...ids(list), 'winlog.channel': { equals: SYSMON_CHANNEL } });
const channel = (name: string, list: number[] = []): Filter => ({ 'winlog.channel': { equals: name }, ...(list.length > 0 ? ids(list) : {}) });

/** Categories whose events our parsers name (from any source: Sysmon, Security 4688, auditd, ECS). */
const NAMED_CATEGORIES: Readonly<Record<string, Filter>> = {
  process_creation: { event_type: { equals: 'process_start' } },
  network_connection: { event_type: { equals: 'network_connection' } },
  file_event: { event_type: { equals: 'file_created' } },
  dns_query: { event_type: { equals: 'dns_query' } },
  dns: { event_type: { equals: 'dns_query' } },
  webserver: { event_type: { equals: 'http_request' } },
  proxy: { event_type: { equals: 'http_request' } },
  firewall: { event_type: { equals: ['network_flow', 'firewall_deny', 'connection_allowed', 'firewall_log', 'network_connection'] } },
};

/** Windows categories our parsers leave unnamed: the Sysmon event ids, or the PowerShell channel and id. */
const WINDOWS_CATEGORIES: Readonly<Record<string, Filter>> = {
  process_termination: sysmon(5),
  driver_load: sysmon(6),
  image_load: sysmon(7),
  create_remote_thread: sysmon(8),
  raw_access_thread: sysmon(9),
  process_access: sysmon(10),
  file_change: sysmon(2),
  registry_add: sysmon(12),
  registry_delete: sysmon(12),
  registry_set: sysmon(13),
  registry_rename: sysmon(14),
  registry_event: sysmon(12, 13, 14),
  create_stream_hash: sysmon(15),
  pipe_created: sysmon(17, 18),
  wmi_event: sysmon(19, 20, 21),
  file_delete: sysmon(23, 26),
  clipboard_capture: sysmon(24),
  process_tampering: sysmon(25),
  file_block_executable: sysmon(27),
  file_block_shredding: sysmon(28),
  file_executable_detected: sysmon(29),
  sysmon_status: sysmon(4, 16),
  sysmon_error: sysmon(255),
  ps_script: channel(PS_CHANNEL, [4104]),
  ps_module: channel(PS_CHANNEL, [4103]),
  ps_classic_start: channel(PS_CLASSIC, [400]),
  ps_classic_provider_start: channel(PS_CLASSIC, [600]),
  ps_classic_script: channel(PS_CLASSIC, [800]),
};

/** Windows services: the event log channel. */
const WINDOWS_SERVICES: Readonly<Record<string, string>> = {
  security: 'Security',
  system: 'System',
  application: 'Application',
  sysmon: SYSMON_CHANNEL,
  powershell: PS_CHANNEL,
  'powershell-classic': PS_CLASSIC,
  taskscheduler: 'Microsoft-Windows-TaskScheduler/Operational',
  wmi: 'Microsoft-Windows-WMI-Activity/Operational',
  'dns-server': 'DNS Server',
  'dns-server-analytic': 'Microsoft-Windows-DNS-Server/Analytical',
  'dns-client': 'Microsoft-Windows-DNS Client Events/Operational',
  'driver-framework': 'Microsoft-Windows-DriverFrameworks-UserMode/Operational',
  ntlm: 'Microsoft-Windows-NTLM/Operational',
  dhcp: 'Microsoft-Windows-DHCP-Server/Operational',
  'firewall-as': 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
  'bits-client': 'Microsoft-Windows-Bits-Client/Operational',
  'codeintegrity-operational': 'Microsoft-Windows-CodeIntegrity/Operational',
  windefend: 'Microsoft-Windows-Windows Defender/Operational',
  'msexchange-management': 'MSExchange Management',
  'printservice-admin': 'Microsoft-Windows-PrintService/Admin',
  'printservice-operational': 'Microsoft-Windows-PrintService/Operational',
  'smbclient-security': 'Microsoft-Windows-SmbClient/Security',
  'smbclient-connectivity': 'Microsoft-Windows-SmbClient/Connectivity',
  'smbserver-connectivity': 'Microsoft-Windows-SMBServer/Connectivity',
  'terminalservices-localsessionmanager': 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  openssh: 'OpenSSH/Operational',
  'appxdeployment-server': 'Microsoft-Windows-AppXDeploymentServer/Operational',
  'appxpackaging-om': 'Microsoft-Windows-AppxPackaging/Operational',
  'appmodel-runtime': 'Microsoft-Windows-AppModel-Runtime/Admin',
  'lsa-server': 'Microsoft-Windows-LSA/Operational',
  capi2: 'Microsoft-Windows-CAPI2/Operational',
  'certificateservicesclient-lifecycle-system': 'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
  'shell-core': 'Microsoft-Windows-Shell-Core/Operational',
  'diagnosis-scripted': 'Microsoft-Windows-Diagnosis-Scripted/Operational',
  ldap: 'Microsoft-Windows-LDAP-Client/Debug',
  'kernel-shimengine': 'Microsoft-Windows-Kernel-ShimEngine/Operational',
  'iis-configuration': 'Microsoft-IIS-Configuration/Operational',
  'microsoft-servicebus-client': 'Microsoft-ServiceBus-Client',
  'hyper-v-worker': 'Microsoft-Windows-Hyper-V-Worker-Admin',
  bitlocker: 'Microsoft-Windows-BitLocker/BitLocker Management',
  vhdmp: 'Microsoft-Windows-VHDMP-Operational',
  'security-mitigations': 'Microsoft-Windows-Security-Mitigations/KernelMode',
};
/** Services logging to several channels: matched by the channel's prefix. */
const WINDOWS_SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  applocker: 'Microsoft-Windows-AppLocker/',
  'security-mitigations': 'Microsoft-Windows-Security-Mitigations/',
};

/** Linux services: the syslog program (log.syslog.appname), or the parser's own marker. */
const LINUX_SERVICES: Readonly<Record<string, Filter>> = {
  auditd: { 'auditd.type': { exists: true } },
  sshd: { 'log.syslog.appname': { equals: 'sshd' } },
  sudo: { 'log.syslog.appname': { equals: 'sudo' } },
  su: { 'log.syslog.appname': { equals: 'su' } },
  cron: { 'log.syslog.appname': { equals: ['cron', 'crond'] } },
  vsftpd: { 'log.syslog.appname': { equals: 'vsftpd' } },
  clamav: { 'log.syslog.appname': { equals: ['clamd', 'freshclam', 'clamav'] } },
  auth: { source_type: { equals: 'auth' } },
  syslog: {},
};

const ZEEK_LOGS: Readonly<Record<string, string>> = { conn: 'network_flow', dns: 'dns_query', http: 'http_request', ssl: 'tls_handshake', notice: 'ids_alert' };

export interface LogsourceFilter {
  filter: Filter;
  /** What could not be mapped (the rule then runs on its detection alone). */
  unknown: string[];
}

function windows(ls: Logsource, out: LogsourceFilter): void {
  const category = lower(ls.category);
  const service = lower(ls.service);
  if (category !== '') {
    const f = NAMED_CATEGORIES[category] ?? WINDOWS_CATEGORIES[category];
    if (f) Object.assign(out.filter, f);
    else out.unknown.push(`category '${ls.category}'`);
  }
  if (service !== '') {
    const prefix = WINDOWS_SERVICE_PREFIXES[service];
    const name = WINDOWS_SERVICES[service];
    // A category that already fixed the channel (Sysmon, PowerShell) needs no service channel.
    if (out.filter['winlog.channel'] !== undefined) return;
    if (prefix) out.filter['winlog.channel'] = { startswith: prefix };
    else if (name) out.filter['winlog.channel'] = { equals: name };
    else out.unknown.push(`service '${ls.service}'`);
  }
}

export function logsourceFilter(ls: Logsource): LogsourceFilter {
  const out: LogsourceFilter = { filter: {}, unknown: [] };
  const product = lower(ls.product);
  const category = lower(ls.category);
  const service = lower(ls.service);
  if (product === 'windows') {
    windows(ls, out);
    return out;
  }
  if (product === 'zeek') {
    if (service === '') return out;
    const type = ZEEK_LOGS[service];
    out.filter['event.dataset'] = { equals: `zeek.${service}` };
    if (type) out.filter.event_type = { equals: type };
    return out;
  }
  if (category !== '') {
    const f = NAMED_CATEGORIES[category];
    if (f) Object.assign(out.filter, f);
    else out.unknown.push(`category '${ls.category}'`);
  }
  if (service !== '') {
    const f = product === 'linux' || product === '' ? LINUX_SERVICES[service] : undefined;
    if (f) Object.assign(out.filter, f);
    else if (!(['apache', 'nginx', 'iis'].includes(product) && category === '')) out.unknown.push(`service '${ls.service}'`);
    else out.filter.event_type = { equals: 'http_request' };
  } else if (['apache', 'nginx', 'iis'].includes(product) && category === '') out.filter.event_type = { equals: 'http_request' };
  if (category === '' && service === '' && product !== '' && product !== 'linux') out.unknown.push(`product '${ls.product}'`);
  return out;
}
