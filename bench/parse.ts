// Parse-stage figures: lines/s on one core per format family (syslog+sshd, sudo/PAM,
// netfilter, auditd, RFC 5424, unknown lines), with UTC and with an IANA zone. Prints
// numbers, asserts nothing.
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
