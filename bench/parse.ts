// Parse-stage figures: lines/s on one core per format family (syslog+sshd, sudo/PAM,
// netfilter, auditd, RFC 5424, Suricata EVE, Zeek, Winlogbeat, NXLog, ECS/Filebeat, CEF,
// LEEF, nginx access/error, unknown lines), with UTC and with an IANA zone. JSON families
// are timed as lines (JSON.parse included), as they arrive over syslog or raw HTTP.
// Prints numbers, asserts nothing.
//   node --import tsx bench/parse.ts [--quick]
import os from 'node:os';
import { parseLine, type ParseOptions } from '../server/src/engine/parse/index.ts';
import { rng } from './lib.ts';

const quick = process.argv.includes('--quick');
const REF = Date.UTC(2026, 2, 15, 12, 0, 0);
const USERS = ['root', 'admin', 'alice', 'bob', 'oracle', 'test', 'ubuntu', 'deploy'];
const HOSTS = ['web-01', 'web-02', 'bastion', 'db-01', 'mail-01'];

type Gen = (rand: () => number, i: number) => string;
const pick = <T>(rand: () => number, list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
const ip = (rand: () => number) => `203.0.${Math.floor(rand() * 255)}.${Math.floor(rand() * 254) + 1}`;
const port = (rand: () => number) => 1024 + Math.floor(rand() * 64000);
const stamp = (i: number) => `Mar ${String(1 + (i % 28)).padStart(2, ' ')} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`;
const head = (rand: () => number, i: number, prog: string) => `${stamp(i)} ${pick(rand, HOSTS)} ${prog}[${1000 + (i % 5000)}]:`;

const FAMILIES: Record<string, Gen> = {
  'syslog+sshd (RFC 3164)': (rand, i) => {
    const h = head(rand, i, 'sshd');
    const r = rand();
    if (r < 0.45) return `${h} Failed password for ${rand() < 0.5 ? 'invalid user ' : ''}${pick(rand, USERS)} from ${ip(rand)} port ${port(rand)} ssh2`;
    if (r < 0.6) return `${h} Invalid user ${pick(rand, USERS)} from ${ip(rand)} port ${port(rand)}`;
    if (r < 0.72) return `${h} Connection closed by authenticating user ${pick(rand, USERS)} ${ip(rand)} port ${port(rand)} [preauth]`;
    if (r < 0.8) return `${h} Accepted publickey for ${pick(rand, USERS)} from ${ip(rand)} port ${port(rand)} ssh2: ED25519 SHA256:Qx1bench0000key`;
    if (r < 0.88) return `${h} message repeated 3 times: [ Failed password for root from ${ip(rand)} port ${port(rand)} ssh2]`;
    if (r < 0.95) return `${h} pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip(rand)}  user=${pick(rand, USERS)}`;
    return `${h} Received disconnect from ${ip(rand)} port ${port(rand)}:11: Bye Bye [preauth]`;
  },
  'sudo/PAM': (rand, i) => {
    const r = rand();
    const u = pick(rand, USERS);
    if (r < 0.4) return `${stamp(i)} ${pick(rand, HOSTS)} sudo:    ${u} : TTY=pts/${i % 9} ; PWD=/home/${u} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`;
    if (r < 0.55) return `${stamp(i)} ${pick(rand, HOSTS)} sudo:    ${u} : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash`;
    if (r < 0.75) return `${stamp(i)} ${pick(rand, HOSTS)} sudo: pam_unix(sudo:session): session opened for user root(uid=0) by ${u}(uid=1000)`;
    if (r < 0.9) return `${head(rand, i, 'login')} pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=client-${i % 50}.example  user=${u}`;
    return `${head(rand, i, 'su')} FAILED SU (to root) ${u} on pts/${i % 9}`;
  },
  netfilter: (rand, i) =>
    `${stamp(i)} fw-01 kernel: [${i}.${i % 1000}] [UFW ${rand() < 0.8 ? 'BLOCK' : 'ALLOW'}] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=${ip(rand)} DST=10.0.0.${i % 200} LEN=60 TOS=0x00 PREC=0x00 TTL=${40 + (i % 20)} ID=${i % 65535} DF PROTO=TCP SPT=${port(rand)} DPT=${pick(rand, [22, 80, 443, 3389, 445])} WINDOW=64240 RES=0x00 SYN URGP=0`,
  auditd: (rand, i) => {
    const r = rand();
    const t = `msg=audit(${1773572400 + i}.${String(i % 1000).padStart(3, '0')}:${i})`;
    if (r < 0.35) return `type=SYSCALL ${t}: arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=${i % 4000} pid=${i % 30000} auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="curl" exe="/usr/bin/curl" key="net_tools"`;
    if (r < 0.7) return `type=EXECVE ${t}: argc=4 a0="curl" a1="-s" a2="-o" a3=2F746D702F612062`;
    return `type=USER_AUTH ${t}: pid=${i % 30000} uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct="${pick(rand, USERS)}" exe="/usr/sbin/sshd" hostname=${ip(rand)} addr=${ip(rand)} terminal=ssh res=failed'`;
  },
  'RFC 5424 + sshd': (rand, i) =>
    `<38>1 2026-03-15T11:${String(i % 60).padStart(2, '0')}:00.123Z ${pick(rand, HOSTS)} sshd ${1000 + (i % 5000)} - [meta sequenceId="${i}"] Failed password for ${pick(rand, USERS)} from ${ip(rand)} port ${port(rand)} ssh2`,
  'Suricata EVE (JSON line)': (rand, i) => {
    const r = rand();
    const base = `"timestamp":"2026-03-15T10:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000000).padStart(6, '0')}+0000","flow_id":${1000000 + i},"in_iface":"eth0","src_ip":"${ip(rand)}","src_port":${port(rand)},"dest_ip":"10.0.0.${i % 200}","dest_port":${pick(rand, [53, 80, 443])},"proto":"${r < 0.4 ? 'UDP' : 'TCP'}"`;
    if (r < 0.2) return `{${base},"event_type":"alert","tx_id":0,"alert":{"action":"allowed","gid":1,"signature_id":${2000000 + (i % 500)},"rev":3,"signature":"ET SCAN Suspicious inbound to port ${i % 100}","category":"Attempted Information Leak","severity":${1 + (i % 3)}},"app_proto":"http"}`;
    if (r < 0.5) return `{${base},"event_type":"dns","dns":{"version":2,"type":"answer","id":${i % 65535},"rrname":"host${i % 900}.example.com","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"host${i % 900}.example.com","rrtype":"A","ttl":300,"rdata":"${ip(rand)}"}]}}`;
    if (r < 0.7) return `{${base},"event_type":"http","tx_id":0,"http":{"hostname":"site${i % 50}.example.org","url":"/path/${i % 1000}?q=${i}","http_user_agent":"Mozilla/5.0","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":${i % 50000}}}`;
    if (r < 0.8) return `{${base},"event_type":"tls","tls":{"subject":"CN=site${i % 50}.example.org","issuerdn":"CN=Example CA","sni":"site${i % 50}.example.org","version":"TLS 1.3","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865"}}}`;
    return `{${base},"event_type":"flow","app_proto":"dns","flow":{"pkts_toserver":${i % 30},"pkts_toclient":${i % 20},"bytes_toserver":${i % 5000},"bytes_toclient":${i % 90000},"start":"2026-03-15T10:00:00.000000+0000","end":"2026-03-15T10:00:05.000000+0000","age":5,"state":"closed","reason":"timeout","alerted":false}}`;
  },
  'Zeek JSON': (rand, i) => {
    const r = rand();
    const base = `"ts":${1773569112 + i}.${i % 1000000},"uid":"C${(i * 7919).toString(36)}","id.orig_h":"10.0.${i % 4}.${i % 250}","id.orig_p":${port(rand)},"id.resp_h":"${ip(rand)}","id.resp_p":${pick(rand, [53, 80, 443])}`;
    if (r < 0.4) return `{"_path":"conn",${base},"proto":"tcp","service":"ssl","duration":${(i % 100) / 7},"orig_bytes":${i % 4000},"resp_bytes":${i % 90000},"conn_state":"SF","missed_bytes":0,"history":"ShADadFf","orig_pkts":${i % 40},"resp_pkts":${i % 60}}`;
    if (r < 0.7) return `{"_path":"dns",${base},"proto":"udp","trans_id":${i % 65535},"query":"q${(i * 31).toString(36)}.cdn.example.net","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"RD":true,"RA":true,"answers":["${ip(rand)}"],"TTLs":[60.0],"rejected":false}`;
    if (r < 0.85) return `{"_path":"http",${base},"trans_depth":1,"method":"GET","host":"site${i % 50}.example.org","uri":"/p/${i % 1000}","version":"1.1","user_agent":"curl/8.5.0","request_body_len":0,"response_body_len":${i % 10000},"status_code":200,"status_msg":"OK"}`;
    if (r < 0.97) return `{"_path":"ssl",${base},"version":"TLSv13","cipher":"TLS_AES_128_GCM_SHA256","server_name":"site${i % 50}.example.org","resumed":false,"established":true}`;
    return `{"_path":"notice","ts":${1773569112 + i},"note":"Scan::Port_Scan","msg":"${ip(rand)} scanned at least 15 unique ports","src":"${ip(rand)}","dst":"10.0.0.5","p":22,"actions":["Notice::ACTION_LOG"]}`;
  },
  'Winlogbeat (JSON line)': (rand, i) => {
    const r = rand();
    const id = r < 0.4 ? 4625 : r < 0.6 ? 4624 : r < 0.85 ? 4688 : 1;
    const channel = id === 1 ? 'Microsoft-Windows-Sysmon/Operational' : 'Security';
    const data = id === 4688 || id === 1
      ? `"NewProcessName":"C:\\\\Windows\\\\System32\\\\cmd.exe","Image":"C:\\\\Windows\\\\System32\\\\cmd.exe","CommandLine":"cmd.exe /c whoami","NewProcessId":"0x${(i % 65535).toString(16)}","ProcessId":"${i % 9000}","ParentProcessName":"C:\\\\Windows\\\\explorer.exe","ParentImage":"C:\\\\Windows\\\\explorer.exe","SubjectUserName":"${pick(rand, USERS)}","User":"CORP\\\\${pick(rand, USERS)}"`
      : `"TargetUserName":"${pick(rand, USERS)}","TargetDomainName":"CORP","LogonType":"3","IpAddress":"${ip(rand)}","IpPort":"${port(rand)}","WorkstationName":"WKS-${i % 100}","AuthenticationPackageName":"NTLM","Status":"0xc000006d","SubStatus":"0xc000006a"`;
    return `{"@timestamp":"2026-03-15T10:00:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z","agent":{"type":"winlogbeat","version":"8.15.0"},"ecs":{"version":"8.0.0"},"host":{"name":"wks-${i % 100}"},"event":{"code":"${id}","kind":"event"},"message":"An event ${id}.","winlog":{"channel":"${channel}","provider_name":"${id === 1 ? 'Microsoft-Windows-Sysmon' : 'Microsoft-Windows-Security-Auditing'}","computer_name":"WKS-${i % 100}","record_id":${i},"event_id":"${id}","event_data":{${data}}}}`;
  },
  'NXLog (JSON line)': (rand, i) =>
    `{"EventTime":"2026-03-15 10:00:${String(i % 60).padStart(2, '0')}","Hostname":"WKS-${i % 100}","Keywords":"9232379236109516800","EventType":"AUDIT_FAILURE","SeverityValue":4,"Severity":"ERROR","EventID":4625,"SourceName":"Microsoft-Windows-Security-Auditing","Task":12544,"RecordNumber":${i},"ProcessID":712,"ThreadID":3000,"Channel":"Security","Message":"An account failed to log on.","TargetUserName":"${pick(rand, USERS)}","TargetDomainName":"CORP","LogonType":"3","IpAddress":"${ip(rand)}","IpPort":"${port(rand)}","WorkstationName":"-","EventReceivedTime":"2026-03-15 10:00:01","SourceModuleName":"eventlog","SourceModuleType":"im_msvistalog"}`,
  'Filebeat ECS + sshd (JSON line)': (rand, i) =>
    `{"@timestamp":"2026-03-15T10:00:00.000Z","agent":{"type":"filebeat","version":"8.15.0"},"ecs":{"version":"8.0.0"},"host":{"name":"${pick(rand, HOSTS)}"},"log":{"file":{"path":"/var/log/auth.log"},"offset":${i * 120}},"input":{"type":"filestream"},"message":"${head(rand, i, 'sshd')} Failed password for ${pick(rand, USERS)} from ${ip(rand)} port ${port(rand)} ssh2"}`,
  CEF: (rand, i) =>
    `<134>${stamp(i)} ips-01 CEF:0|Example Networks|Sentinel IPS|4.2.1|${31000 + (i % 300)}|Suspicious traffic pattern ${i % 40}|${i % 11}|src=${ip(rand)} spt=${port(rand)} dst=10.1.1.${i % 200} dpt=${pick(rand, [22, 80, 443])} proto=TCP act=${rand() < 0.5 ? 'blocked' : 'alerted'} request=https://shop.example.org/item?id\\=${i} cs1Label=Policy cs1=DMZ Inbound cat=attack rt=${1773569700000 + i}`,
  LEEF: (rand, i) =>
    `LEEF:1.0|Example|Mail Gateway|3.1|SPAM_BLOCK|src=${ip(rand)}\tdst=10.0.0.25\tsrcPort=${port(rand)}\tdstPort=25\tusrName=${pick(rand, USERS)}@example.org\tsev=${i % 10}\tcat=Spam\tproto=TCP`,
  'nginx access (combined)': (rand, i) =>
    `${ip(rand)} - ${rand() < 0.1 ? pick(rand, USERS) : '-'} [15/Mar/2026:10:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')} +0000] "${pick(rand, ['GET', 'GET', 'POST', 'HEAD'])} /path/${i % 1000}?q=${i} HTTP/1.1" ${pick(rand, [200, 200, 301, 404, 500])} ${i % 60000} "https://www.example.org/" "Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0"`,
  'nginx error': (rand, i) =>
    `2026/03/15 10:${String(i % 60).padStart(2, '0')}:00 [error] ${i % 9000}#${i % 9000}: *${i} open() "/var/www/html/x${i % 100}" failed (2: No such file or directory), client: ${ip(rand)}, server: www.example.org, request: "GET /x${i % 100} HTTP/1.1", host: "www.example.org"`,
  'unknown lines': (rand, i) => `${i} some application wrote ${Math.floor(rand() * 1e6).toString(36)} without any header at all`,
};

function bench(name: string, gen: Gen, opts: ParseOptions) {
  const rand = rng(7);
  const lines = Array.from({ length: 20_000 }, (_, i) => gen(rand, i));
  const bytes = lines.reduce((n, l) => n + l.length, 0) / lines.length;
  for (let i = 0; i < 100_000; i++) parseLine(lines[i % lines.length]!, opts);
  const n = quick ? 200_000 : 1_000_000;
  let parsed = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) if (parseLine(lines[i % lines.length]!, opts).parser !== null) parsed++;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const rate = n / seconds;
  // On a shared machine wall time counts the time other processes held the core; the CPU
  // time this process used (GC threads included) is the fairer per-core figure.
  console.log(
    `${name.padEnd(32)} ${Math.round(rate).toLocaleString().padStart(10)} lines/s wall  ${Math.round(n / cpuSeconds).toLocaleString().padStart(10)} lines/s CPU  ` +
      `${((rate * bytes) / 1e6).toFixed(0).padStart(3)} MB/s wall  (avg ${bytes.toFixed(0)} chars, ${((parsed / n) * 100).toFixed(0)}% recognized, ${n.toLocaleString()} lines)`,
  );
}

console.log(`parse, one core, node ${process.version}${quick ? ' (quick)' : ''}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
for (const [name, gen] of Object.entries(FAMILIES)) bench(name, gen, { referenceMs: REF });
bench('syslog+sshd, zone Europe/Paris', FAMILIES['syslog+sshd (RFC 3164)']!, { referenceMs: REF, timeZone: 'Europe/Paris' });
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (includes the server modules bench/lib.ts loads)`);
