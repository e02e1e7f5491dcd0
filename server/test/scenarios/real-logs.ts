// Test fixtures: attacks and everyday activity as real hosts log them (OpenSSH, sudo,
// useradd/usermod, auditd lines; DNS records as the format parsers type them; IDS and EDR
// records in the JSON ingest dialect), turned into stored events the way intake and ingest
// do it: parsed and prepared (prepareParsed, every parsed field kept), or prepared by the
// JSON ingest path. The lines are written for these tests.
import type { LogEvent, SourceType } from '@siem/contracts';
import { prepareParsed } from '../../src/engine/normalize/from-parse.ts';
import { parseLine } from '../../src/engine/parse/index.ts';
import type { ParseResult } from '../../src/engine/parse/index.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { newEventToLogEvent } from '../../src/store/events-repo.ts';
import { ingestAt } from './replay.ts';

/** Receipt time of the fixtures: 2026-03-15 12:00:00 UTC; lines are dated before it. */
export const REF = Date.UTC(2026, 2, 15, 12, 0, 0);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RFC 3164 timestamp `secondsBefore` the receipt time ("Mar 15 11:58:01"). */
export function stamp(secondsBefore: number): string {
  const d = new Date(REF - secondsBefore * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** A parse result as the intake stores it: prepared, with an id and a receipt time. */
function stored(result: ParseResult, raw: Record<string, unknown>): LogEvent {
  const receivedMs = (result.timestampMs ?? REF) + 500;
  const prepared = prepareParsed({ result, raw, nowMs: receivedMs });
  return newEventToLogEvent({ ...prepared, metadata: { input: 'test', format: result.parser ?? 'unparsed' }, id: newObjectId(receivedMs), scenario_run_id: null, createdAtMs: receivedMs });
}

/** One syslog line as the intake stores it, received half a second after its time. */
export function fromLine(line: string): LogEvent {
  const r = parseLine(line, { referenceMs: REF });
  if (r.unparsed || r.parser === null) throw new Error(`fixture not recognized: ${line}`);
  return stored(r, { message: line });
}

/** A record a structured-format parser (EVE, Zeek, Sysmon) returned: its type and ECS fields. */
export function parsedRecord(p: { parser: string; source_type: SourceType; event_type: string; host: string; fields: Record<string, string | number> }, secondsBefore: number): LogEvent {
  const result: ParseResult = {
    format: 'none', parser: p.parser, unparsed: false, timestampMs: REF - secondsBefore * 1000, host: p.host, program: null, pid: null,
    facility: null, syslogSeverity: null, msgid: null, structuredData: null, message: '', source_type: p.source_type,
    event_type: p.event_type, count: 1, fields: p.fields, truncated: false, replacedCharacters: false,
  };
  return stored(result, { ...p.fields });
}

/** Shannon entropy in bits per character, 2 decimals (what the DNS parsers put in max_label_entropy). */
function entropy(label: string): number {
  const counts = new Map<string, number>();
  for (const c of label) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / label.length) * Math.log2(n / label.length);
  return Math.round(h * 100) / 100;
}

/** A DNS query as the EVE/Zeek/Sysmon parsers type it, with the computed label figures. */
export function dnsQuery(client: string, name: string, secondsBefore: number, type = 'A'): LogEvent {
  const labels = name.split('.');
  const longest = labels.reduce((a, b) => (b.length > a.length ? b : a), '');
  return parsedRecord({
    parser: 'suricata', source_type: 'dns', event_type: 'dns_query', host: 'ids-core',
    fields: {
      'source.ip': client, 'destination.ip': '10.0.0.53', 'destination.port': 53, 'dns.question.name': name, 'dns.question.type': type,
      'dns.question.label_count': labels.length, 'dns.question.longest_label_length': longest.length,
      'dns.question.max_label_entropy': Math.max(...labels.map(entropy)),
    },
  }, secondsBefore);
}

/** `[secondsBefore, line without its timestamp]` pairs -> stored events. */
export const lines = (rows: ReadonlyArray<readonly [number, string]>): LogEvent[] => rows.map(([s, rest]) => fromLine(`${stamp(s)} ${rest}`));

/** A record a format parser (EVE, Winlogbeat, EDR) projected to flat ingest fields. */
export function record(fields: Record<string, unknown>, secondsBefore: number): LogEvent {
  const t = REF - secondsBefore * 1000;
  return ingestAt({ ...fields, timestamp: new Date(t).toISOString() }, t + 500);
}

// --- attacks -------------------------------------------------------------------------------

/** A scanner tries a wordlist over 8 minutes: 2 invalid names (2 lines each), then root. */
export const sshBruteForce = () =>
  lines([
    [600, 'bastion sshd[4101]: Invalid user oracle from 203.0.113.45 port 40112'],
    [598, 'bastion sshd[4101]: Failed password for invalid user oracle from 203.0.113.45 port 40112 ssh2'],
    [420, 'bastion sshd[4120]: Invalid user test from 203.0.113.45 port 41870'],
    [419, 'bastion sshd[4120]: Failed password for invalid user test from 203.0.113.45 port 41870 ssh2'],
    [130, 'bastion sshd[4188]: Failed password for root from 203.0.113.45 port 52014 ssh2'],
  ]);

/** A low-privilege web account guessing root's password with sudo, three sessions in 4 minutes. */
export const sudoGuessing = () =>
  lines([
    [300, 'web1 sudo: pam_unix(sudo:auth): authentication failure; logname= uid=33 euid=0 tty=/dev/pts/3 ruser=www-data rhost=  user=www-data'],
    [290, 'web1 sudo: www-data : 1 incorrect password attempt ; TTY=pts/3 ; PWD=/var/www/html ; USER=root ; COMMAND=/bin/bash'],
    [200, 'web1 sudo: www-data : 1 incorrect password attempt ; TTY=pts/3 ; PWD=/var/www/html ; USER=root ; COMMAND=/bin/bash'],
    [120, 'web1 sudo: www-data : 1 incorrect password attempt ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/id'],
  ]);

export const sudoNotInSudoers = () =>
  lines([[60, 'web1 sudo:   intern : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/intern ; USER=root ; COMMAND=/bin/cat /etc/shadow']]);

/** A backdoor account: created, then given sudo and docker. */
export const backdoorAccount = () =>
  lines([
    [240, 'web1 useradd[5120]: new group: name=sysupdate, GID=1002'],
    [240, 'web1 useradd[5120]: new user: name=sysupdate, UID=1002, GID=1002, home=/home/sysupdate, shell=/bin/bash, from=/dev/pts/3'],
    [200, "web1 usermod[5133]: add 'sysupdate' to group 'sudo'"],
    [200, "web1 usermod[5133]: add 'sysupdate' to shadow group 'sudo'"],
    [150, 'web1 gpasswd[5140]: user sysupdate added by root to group docker'],
  ]);

/** Suricata EVE alerts as the EVE parser projects them: one severity 1, one severity 3. */
export const idsAlerts = () => [
  record({ source_type: 'ids', event_type: 'ids_alert', hostname: 'ids-edge', source_ip: '198.51.100.61', source_port: 44321, dest_ip: '10.20.0.15', dest_port: 443,
    signature_id: 2031502, signature_name: 'ET EXPLOIT Possible Fortinet FortiOS SSL VPN Path Traversal', classification: 'Attempted Administrator Privilege Gain', priority: 1 }, 90),
  record({ source_type: 'ids', event_type: 'ids_alert', hostname: 'ids-edge', source_ip: '10.20.4.9', source_port: 53122, dest_ip: '192.0.2.200', dest_port: 80,
    signature_id: 2013028, signature_name: 'ET POLICY curl User-Agent Outbound', classification: 'Attempted Information Leak', priority: 3 }, 80),
  record({ source_type: 'ids', event_type: 'ids_alert', hostname: 'ids-edge', source_ip: '10.20.7.31', source_port: 49800, dest_ip: '203.0.113.99', dest_port: 8080,
    signature_id: 2024897, signature_name: 'ET MALWARE Cobalt Strike Beacon Observed', classification: 'A Network Trojan was detected', priority: 1 }, 70),
];

/** Offensive tools: nmap through sudo and auditd, hydra, Mimikatz and ProcDump on LSASS (Sysmon 1), PsExec. */
export const offensiveTools = () => [
  ...lines([
    [400, 'web1 sudo: www-data : TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/nmap -sS -p- 10.20.0.0/24'],
    [300, 'jump1 audit: node=jump1 type=EXECVE msg=audit(1773575700.118:9921): argc=4 a0="hydra" a1="-L" a2="users.txt" a3="ssh://10.20.0.5"'],
  ]),
  record({ source_type: 'endpoint', event_type: 'process_start', hostname: 'WS-FIN-007', username: 'CORP\\j.doe', process_name: 'mimikatz.exe',
    parent_process: 'powershell.exe', command_line: 'C:\\Users\\Public\\mimikatz.exe "privilege::debug" "sekurlsa::logonpasswords" exit' }, 200),
  record({ source_type: 'endpoint', event_type: 'process_start', hostname: 'SRV-APP-02', username: 'CORP\\svc_backup', process_name: 'procdump64.exe',
    parent_process: 'cmd.exe', command_line: 'procdump64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\lsass.dmp' }, 100),
  record({ source_type: 'endpoint', event_type: 'process_start', hostname: 'SRV-FILE-01', username: 'NT AUTHORITY\\SYSTEM', process_name: 'PSEXESVC.exe',
    parent_process: 'services.exe', command_line: 'C:\\Windows\\PSEXESVC.exe' }, 50),
];

/** Deterministic pseudo-random text in an alphabet (a tunnel's encoded chunks). */
function chunk(seed: number, length: number, alphabet: string): string {
  let x = seed * 2654435761 >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x ^ (x >>> 13), 1274126177) + 0x9e3779b9) >>> 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}
const HEX = '0123456789abcdef';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** dnscat2-style hex chunks of 60 characters from one client, and base32 chunks of 40 from another. */
export const dnsTunnels = () => [
  ...Array.from({ length: 14 }, (_, i) => dnsQuery('10.20.5.17', `${chunk(i + 1, 60, HEX)}.${chunk(i + 101, 20, HEX)}.c2.tunnel-example.net`, 50 - i * 3, i % 3 === 0 ? 'TXT' : 'CNAME')),
  ...Array.from({ length: 12 }, (_, i) => dnsQuery('10.20.5.18', `${chunk(i + 300, 40, BASE32)}.t.exfil-example.org`, 40 - i * 2)),
];

/** Every attack above, for the check that each shipped rule fires somewhere. */
export const REAL_LOG_ATTACKS: ReadonlyArray<() => LogEvent[]> = [sshBruteForce, sudoGuessing, sudoNotInSudoers, backdoorAccount, idsAlerts, offensiveTools, dnsTunnels];

// --- everyday activity ---------------------------------------------------------------------

export const everyday = () => [
  // A user mistypes her password once, another twice, then both get in; pam lines included.
  ...lines([
    [500, 'bastion sshd[3001]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.10.3.57  user=alice'],
    [500, 'bastion sshd[3001]: Failed password for alice from 10.10.3.57 port 50122 ssh2'],
    [495, 'bastion sshd[3001]: Accepted password for alice from 10.10.3.57 port 50122 ssh2'],
    [400, 'bastion sshd[3050]: Invalid user bbo from 10.10.3.60 port 51000'],
    [398, 'bastion sshd[3050]: Failed password for invalid user bbo from 10.10.3.60 port 51000 ssh2'],
    [380, 'bastion sshd[3061]: Failed password for bob from 10.10.3.60 port 51020 ssh2'],
    [377, 'bastion sshd[3061]: Accepted password for bob from 10.10.3.60 port 51020 ssh2'],
    // An administrator's sudo with one typo, then the command.
    [300, 'web1 sudo: pam_unix(sudo:auth): authentication failure; logname=carol uid=1001 euid=0 tty=/dev/pts/0 ruser=carol rhost=  user=carol'],
    [295, 'web1 sudo:    carol : 1 incorrect password attempt ; TTY=pts/0 ; PWD=/home/carol ; USER=root ; COMMAND=/usr/bin/apt upgrade'],
    [290, 'web1 sudo:    carol : TTY=pts/0 ; PWD=/home/carol ; USER=root ; COMMAND=/usr/bin/apt upgrade'],
    // Routine group changes and tools.
    [250, "web1 usermod[6001]: add 'carol' to group 'audio'"],
    [240, 'web1 sudo:    carol : TTY=pts/0 ; PWD=/home/carol ; USER=root ; COMMAND=/usr/bin/ss -tlnp'],
    [230, 'web1 audit: node=web1 type=EXECVE msg=audit(1773575770.101:9999): argc=2 a0="git" a1="pull"'],
  ]),
  // DNS: a long but low-entropy CDN name asked again and again, a few random-looking CDN host
  // labels (too short to reach 4 bits), and a browser resolving many ordinary names.
  ...Array.from({ length: 25 }, (_, i) => dnsQuery('10.10.1.5', 'images-eu-west-static-content-delivery-network-edge-cache-01.cdn.example.com', 59 - i * 2)),
  ...['d3k9x2m7q1w8e5.cloudfront.example', 'r4---sn-4g5e6nzz.video.example', 'e7731.dscb.edge.example', 'a1b2c3d4e5f6a7b8.cdn.example'].map((n, i) => dnsQuery('10.10.1.5', n, 30 - i)),
  ...Array.from({ length: 30 }, (_, i) => dnsQuery('10.10.1.6', `www${i}.news-site.example`, 55 - i)),
  // Low-priority IDS noise; ProcDump on an application process; an ordinary process.
  record({ source_type: 'ids', event_type: 'ids_alert', hostname: 'ids-edge', source_ip: '10.20.4.10', dest_ip: '192.0.2.201', signature_id: 2013504,
    signature_name: 'ET POLICY GNU/Linux APT User-Agent Outbound', classification: 'Not Suspicious Traffic', priority: 3 }, 60),
  record({ source_type: 'endpoint', event_type: 'process_start', hostname: 'SRV-APP-03', username: 'CORP\\ops', process_name: 'procdump.exe',
    parent_process: 'cmd.exe', command_line: 'procdump.exe -ma w3wp.exe C:\\dumps\\w3wp.dmp' }, 40),
  record({ source_type: 'endpoint', event_type: 'process_start', hostname: 'WS-FIN-008', username: 'CORP\\a.lee', process_name: 'excel.exe',
    parent_process: 'explorer.exe', command_line: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE"' }, 30),
];
