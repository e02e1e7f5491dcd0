// MITRE ATT&CK Enterprise: the tactics in matrix order and their common techniques (ids and
// names, sub-techniques by their parent), for the coverage view. A technique listed under
// several tactics appears in each column. Not the whole framework: a technique a rule
// names that is missing here still shows, in an "Other" column.

export interface Tactic {
  id: string;
  name: string;
  /** Parent technique ids, in the order the column shows them. */
  techniques: string[];
}

const TABLE: [string, string, string[]][] = [
  ['TA0043', 'Reconnaissance', [
    'T1595 Active Scanning', 'T1592 Gather Victim Host Information', 'T1589 Gather Victim Identity Information',
    'T1590 Gather Victim Network Information', 'T1591 Gather Victim Org Information', 'T1598 Phishing for Information',
    'T1597 Search Closed Sources', 'T1596 Search Open Technical Databases', 'T1593 Search Open Websites/Domains', 'T1594 Search Victim-Owned Websites',
  ]],
  ['TA0042', 'Resource Development', [
    'T1650 Acquire Access', 'T1583 Acquire Infrastructure', 'T1586 Compromise Accounts', 'T1584 Compromise Infrastructure',
    'T1587 Develop Capabilities', 'T1585 Establish Accounts', 'T1588 Obtain Capabilities', 'T1608 Stage Capabilities',
  ]],
  ['TA0001', 'Initial Access', [
    'T1189 Drive-by Compromise', 'T1190 Exploit Public-Facing Application', 'T1133 External Remote Services', 'T1200 Hardware Additions',
    'T1566 Phishing', 'T1091 Replication Through Removable Media', 'T1195 Supply Chain Compromise', 'T1199 Trusted Relationship', 'T1078 Valid Accounts',
  ]],
  ['TA0002', 'Execution', [
    'T1651 Cloud Administration Command', 'T1059 Command and Scripting Interpreter', 'T1609 Container Administration Command', 'T1610 Deploy Container',
    'T1203 Exploitation for Client Execution', 'T1559 Inter-Process Communication', 'T1106 Native API', 'T1053 Scheduled Task/Job',
    'T1648 Serverless Execution', 'T1129 Shared Modules', 'T1072 Software Deployment Tools', 'T1569 System Services', 'T1204 User Execution',
    'T1047 Windows Management Instrumentation',
  ]],
  ['TA0003', 'Persistence', [
    'T1098 Account Manipulation', 'T1197 BITS Jobs', 'T1547 Boot or Logon Autostart Execution', 'T1037 Boot or Logon Initialization Scripts',
    'T1176 Browser Extensions', 'T1554 Compromise Host Software Binary', 'T1136 Create Account', 'T1543 Create or Modify System Process',
    'T1546 Event Triggered Execution', 'T1133 External Remote Services', 'T1574 Hijack Execution Flow', 'T1525 Implant Internal Image',
    'T1556 Modify Authentication Process', 'T1137 Office Application Startup', 'T1653 Power Settings', 'T1542 Pre-OS Boot',
    'T1053 Scheduled Task/Job', 'T1505 Server Software Component', 'T1205 Traffic Signaling', 'T1078 Valid Accounts',
  ]],
  ['TA0004', 'Privilege Escalation', [
    'T1548 Abuse Elevation Control Mechanism', 'T1134 Access Token Manipulation', 'T1098 Account Manipulation',
    'T1547 Boot or Logon Autostart Execution', 'T1037 Boot or Logon Initialization Scripts', 'T1543 Create or Modify System Process',
    'T1484 Domain or Tenant Policy Modification', 'T1611 Escape to Host', 'T1546 Event Triggered Execution',
    'T1068 Exploitation for Privilege Escalation', 'T1574 Hijack Execution Flow', 'T1055 Process Injection', 'T1053 Scheduled Task/Job', 'T1078 Valid Accounts',
  ]],
  ['TA0005', 'Defense Evasion', [
    'T1548 Abuse Elevation Control Mechanism', 'T1134 Access Token Manipulation', 'T1197 BITS Jobs', 'T1612 Build Image on Host',
    'T1622 Debugger Evasion', 'T1140 Deobfuscate/Decode Files or Information', 'T1610 Deploy Container', 'T1006 Direct Volume Access',
    'T1484 Domain or Tenant Policy Modification', 'T1480 Execution Guardrails', 'T1211 Exploitation for Defense Evasion',
    'T1222 File and Directory Permissions Modification', 'T1564 Hide Artifacts', 'T1574 Hijack Execution Flow', 'T1562 Impair Defenses',
    'T1656 Impersonation', 'T1070 Indicator Removal', 'T1202 Indirect Command Execution', 'T1036 Masquerading',
    'T1556 Modify Authentication Process', 'T1578 Modify Cloud Compute Infrastructure', 'T1112 Modify Registry', 'T1601 Modify System Image',
    'T1599 Network Boundary Bridging', 'T1027 Obfuscated Files or Information', 'T1647 Plist File Modification', 'T1542 Pre-OS Boot',
    'T1055 Process Injection', 'T1620 Reflective Code Loading', 'T1207 Rogue Domain Controller', 'T1014 Rootkit',
    'T1553 Subvert Trust Controls', 'T1218 System Binary Proxy Execution', 'T1216 System Script Proxy Execution', 'T1221 Template Injection',
    'T1205 Traffic Signaling', 'T1127 Trusted Developer Utilities Proxy Execution', 'T1535 Unused/Unsupported Cloud Regions',
    'T1550 Use Alternate Authentication Material', 'T1078 Valid Accounts', 'T1497 Virtualization/Sandbox Evasion',
    'T1600 Weaken Encryption', 'T1220 XSL Script Processing',
  ]],
  ['TA0006', 'Credential Access', [
    'T1557 Adversary-in-the-Middle', 'T1110 Brute Force', 'T1555 Credentials from Password Stores', 'T1212 Exploitation for Credential Access',
    'T1187 Forced Authentication', 'T1606 Forge Web Credentials', 'T1056 Input Capture', 'T1556 Modify Authentication Process',
    'T1111 Multi-Factor Authentication Interception', 'T1621 Multi-Factor Authentication Request Generation', 'T1040 Network Sniffing',
    'T1003 OS Credential Dumping', 'T1528 Steal Application Access Token', 'T1649 Steal or Forge Authentication Certificates',
    'T1558 Steal or Forge Kerberos Tickets', 'T1539 Steal Web Session Cookie', 'T1552 Unsecured Credentials',
  ]],
  ['TA0007', 'Discovery', [
    'T1087 Account Discovery', 'T1010 Application Window Discovery', 'T1217 Browser Information Discovery', 'T1580 Cloud Infrastructure Discovery',
    'T1538 Cloud Service Dashboard', 'T1526 Cloud Service Discovery', 'T1619 Cloud Storage Object Discovery', 'T1613 Container and Resource Discovery',
    'T1622 Debugger Evasion', 'T1652 Device Driver Discovery', 'T1482 Domain Trust Discovery', 'T1083 File and Directory Discovery',
    'T1615 Group Policy Discovery', 'T1046 Network Service Discovery', 'T1135 Network Share Discovery', 'T1040 Network Sniffing',
    'T1201 Password Policy Discovery', 'T1120 Peripheral Device Discovery', 'T1069 Permission Groups Discovery', 'T1057 Process Discovery',
    'T1012 Query Registry', 'T1018 Remote System Discovery', 'T1518 Software Discovery', 'T1082 System Information Discovery',
    'T1614 System Location Discovery', 'T1016 System Network Configuration Discovery', 'T1049 System Network Connections Discovery',
    'T1033 System Owner/User Discovery', 'T1007 System Service Discovery', 'T1124 System Time Discovery', 'T1497 Virtualization/Sandbox Evasion',
  ]],
  ['TA0008', 'Lateral Movement', [
    'T1210 Exploitation of Remote Services', 'T1534 Internal Spearphishing', 'T1570 Lateral Tool Transfer', 'T1563 Remote Service Session Hijacking',
    'T1021 Remote Services', 'T1091 Replication Through Removable Media', 'T1072 Software Deployment Tools', 'T1080 Taint Shared Content',
    'T1550 Use Alternate Authentication Material',
  ]],
  ['TA0009', 'Collection', [
    'T1557 Adversary-in-the-Middle', 'T1560 Archive Collected Data', 'T1123 Audio Capture', 'T1119 Automated Collection',
    'T1185 Browser Session Hijacking', 'T1115 Clipboard Data', 'T1530 Data from Cloud Storage', 'T1602 Data from Configuration Repository',
    'T1213 Data from Information Repositories', 'T1005 Data from Local System', 'T1039 Data from Network Shared Drive',
    'T1025 Data from Removable Media', 'T1074 Data Staged', 'T1114 Email Collection', 'T1056 Input Capture', 'T1113 Screen Capture', 'T1125 Video Capture',
  ]],
  ['TA0011', 'Command and Control', [
    'T1071 Application Layer Protocol', 'T1092 Communication Through Removable Media', 'T1659 Content Injection', 'T1132 Data Encoding',
    'T1001 Data Obfuscation', 'T1568 Dynamic Resolution', 'T1573 Encrypted Channel', 'T1008 Fallback Channels', 'T1105 Ingress Tool Transfer',
    'T1104 Multi-Stage Channels', 'T1095 Non-Application Layer Protocol', 'T1571 Non-Standard Port', 'T1572 Protocol Tunneling', 'T1090 Proxy',
    'T1219 Remote Access Software', 'T1205 Traffic Signaling', 'T1102 Web Service',
  ]],
  ['TA0010', 'Exfiltration', [
    'T1020 Automated Exfiltration', 'T1030 Data Transfer Size Limits', 'T1048 Exfiltration Over Alternative Protocol', 'T1041 Exfiltration Over C2 Channel',
    'T1011 Exfiltration Over Other Network Medium', 'T1052 Exfiltration Over Physical Medium', 'T1567 Exfiltration Over Web Service',
    'T1029 Scheduled Transfer', 'T1537 Transfer Data to Cloud Account',
  ]],
  ['TA0040', 'Impact', [
    'T1531 Account Access Removal', 'T1485 Data Destruction', 'T1486 Data Encrypted for Impact', 'T1565 Data Manipulation', 'T1491 Defacement',
    'T1561 Disk Wipe', 'T1499 Endpoint Denial of Service', 'T1657 Financial Theft', 'T1495 Firmware Corruption', 'T1490 Inhibit System Recovery',
    'T1498 Network Denial of Service', 'T1496 Resource Hijacking', 'T1489 Service Stop', 'T1529 System Shutdown/Reboot',
  ]],
];

/** Names of common sub-techniques (the cell shows the parent; its detail lists these). */
const SUB_TECHNIQUES: Record<string, string> = {
  'T1003.001': 'LSASS Memory', 'T1003.002': 'Security Account Manager', 'T1003.003': 'NTDS', 'T1003.006': 'DCSync', 'T1003.008': '/etc/passwd and /etc/shadow',
  'T1021.001': 'Remote Desktop Protocol', 'T1021.002': 'SMB/Windows Admin Shares', 'T1021.004': 'SSH', 'T1021.006': 'Windows Remote Management',
  'T1053.003': 'Cron', 'T1053.005': 'Scheduled Task',
  'T1059.001': 'PowerShell', 'T1059.003': 'Windows Command Shell', 'T1059.004': 'Unix Shell', 'T1059.005': 'Visual Basic', 'T1059.006': 'Python', 'T1059.007': 'JavaScript',
  'T1070.001': 'Clear Windows Event Logs', 'T1070.004': 'File Deletion',
  'T1071.001': 'Web Protocols', 'T1071.004': 'DNS',
  'T1078.001': 'Default Accounts', 'T1078.002': 'Domain Accounts', 'T1078.003': 'Local Accounts', 'T1078.004': 'Cloud Accounts',
  'T1098.004': 'SSH Authorized Keys',
  'T1110.001': 'Password Guessing', 'T1110.002': 'Password Cracking', 'T1110.003': 'Password Spraying', 'T1110.004': 'Credential Stuffing',
  'T1136.001': 'Local Account', 'T1136.002': 'Domain Account',
  'T1204.002': 'Malicious File',
  'T1218.005': 'Mshta', 'T1218.010': 'Regsvr32', 'T1218.011': 'Rundll32',
  'T1543.002': 'Systemd Service', 'T1543.003': 'Windows Service',
  'T1547.001': 'Registry Run Keys / Startup Folder',
  'T1548.001': 'Setuid and Setgid', 'T1548.002': 'Bypass User Account Control', 'T1548.003': 'Sudo and Sudo Caching',
  'T1562.001': 'Disable or Modify Tools', 'T1562.004': 'Disable or Modify System Firewall',
  'T1566.001': 'Spearphishing Attachment', 'T1566.002': 'Spearphishing Link',
  'T1569.002': 'Service Execution',
};

export const ATTACK_TACTICS: readonly Tactic[] = TABLE.map(([id, name, rows]) => ({ id, name, techniques: rows.map((r) => r.slice(0, r.indexOf(' '))) }));

const NAMES = new Map<string, string>();
const TACTICS_OF = new Map<string, string[]>();
for (const [tacticId, , rows] of TABLE) {
  for (const row of rows) {
    const id = row.slice(0, row.indexOf(' '));
    NAMES.set(id, row.slice(id.length + 1));
    TACTICS_OF.set(id, [...(TACTICS_OF.get(id) ?? []), tacticId]);
  }
}

/** T1110.001 -> T1110; anything else unchanged. */
export const parentTechnique = (id: string): string => id.split('.')[0]!;

/** "Brute Force", "Brute Force: Password Guessing", or null for an id not in the catalog. */
export function techniqueName(id: string): string | null {
  const parent = NAMES.get(parentTechnique(id));
  if (!parent) return null;
  if (!id.includes('.')) return parent;
  const sub = SUB_TECHNIQUES[id];
  return sub ? `${parent}: ${sub}` : parent;
}

/** Tactic ids whose column lists the technique (by its parent); [] when not in the catalog. */
export const tacticsOf = (id: string): string[] => TACTICS_OF.get(parentTechnique(id)) ?? [];

export const tacticName = (id: string): string | null => ATTACK_TACTICS.find((t) => t.id === id)?.name ?? null;
