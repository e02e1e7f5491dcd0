import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { normalizeEvent } from '../../src/engine/normalize/index.ts';
import { classifySeverity } from '../../src/engine/severity.ts';
import { isIp } from '../../src/engine/normalize/ip.ts';
import { parseLine, toIngestFields, type ParseResult } from '../../src/engine/parse/index.ts';
import { OPTS } from './parse-helpers.ts';

const H = 'Mar 15 11:00:00 host-z';
const SEEDS = [
  `${H} sshd[1]: Failed password for invalid user a b from 2001:db8::1 port 22 ssh2`,
  `${H} sshd[1]: Accepted publickey for ops from 192.0.2.1 port 22 ssh2: RSA SHA256:x`,
  `${H} sshd[1]: message repeated 2 times: [ Failed password for root from 192.0.2.1 port 22 ssh2]`,
  `${H} sshd[1]: Connection closed by authenticating user root 192.0.2.1 port 22 [preauth]`,
  `${H} sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=h.example  user=root`,
  `${H} sudo: a : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/sh -c "x ; y"`,
  `${H} su[2]: FAILED SU (to root) a on pts/1`,
  `${H} useradd[3]: new user: name=x, UID=1, GID=1, home=/h, shell=/bin/sh, from=/dev/pts/0`,
  `${H} usermod[3]: add 'x' to shadow group 'wheel'`,
  `${H} CRON[4]: (root) CMD (a (b) c)`,
  `${H} kernel: [1.0] [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 PROTO=TCP SPT=1 DPT=2 SYN`,
  `${H} postfix/smtpd[5]: warning: unknown[192.0.2.1]: SASL LOGIN authentication failed: x, sasl_username=u`,
  `${H} dovecot[6]: imap-login: Disconnected (auth failed, 2 attempts in 3 secs): user=<u>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2`,
  `type=EXECVE msg=audit(1773572400.1:2): argc=2 a0="ls" a1=2D6C61`,
  `type=USER_LOGIN msg=audit(1773572400.1:3): pid=1 uid=0 msg='op=login acct="a" addr=192.0.2.1 res=failed'`,
  '<14>1 2026-03-15T11:00:00Z h app 1 ID [a b="c\\"d"] \ufeffmsg',
  '2026-03-15T11:00:00+01:00 h sshd[1]: Invalid user q from 192.0.2.1 port 1',
];
const NOISE = ['', ' ', '[', ']', '"', "'", '=', ':', ' ; ', ' port ', ' from ', '\u0000', '\ud800', '\ufffd', 'é', '<', '>', '\\', '\n', 'x'.repeat(300)];

/** A deterministic generator so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function invariants(r: ParseResult, line: string): void {
  assert.ok(r.count >= 1 && Number.isInteger(r.count), `count ${r.count}: ${line}`);
  assert.ok(r.message.length <= 65_536);
  assert.ok(Object.keys(r.fields).length <= 128);
  assert.ok(r.timestampMs === null || Number.isFinite(r.timestampMs), `time: ${line}`);
  for (const [name, value] of Object.entries(r.fields)) {
    assert.ok(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)), `${name}: ${line}`);
    if (name.endsWith('.port')) assert.ok(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535, `${name}=${value}: ${line}`);
    if (name.endsWith('.ip')) assert.ok(isIp(String(value)), `${name}=${value}: ${line}`);
    if (typeof value === 'string') assert.ok(!value.includes('\u0000'), `${name} holds NUL: ${line}`);
  }
  if (r.unparsed) assert.deepEqual([r.source_type, r.event_type, r.parser], ['generic', null, null]);
}

test('mutated lines never throw and every result keeps the invariants', () => {
  const rand = rng(1234);
  for (let i = 0; i < 5000; i++) {
    let line = SEEDS[i % SEEDS.length]!;
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (line.length + 1));
      const op = rand();
      if (op < 0.35) line = line.slice(0, at) + NOISE[Math.floor(rand() * NOISE.length)]! + line.slice(at);
      else if (op < 0.6) line = line.slice(0, at) + line.slice(at + 1 + Math.floor(rand() * 8));
      else if (op < 0.8) line = line.slice(0, at);
      else line = line.slice(at) + line.slice(0, at);
    }
    invariants(parseLine(line, OPTS), JSON.stringify(line));
  }
});

test('parsed authentication and firewall events classify as the shipped severity tables expect', () => {
  const rows: Array<[string, string]> = [
    [`${H} sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2`, 'medium'],
    [`${H} kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 PROTO=TCP SPT=1 DPT=2`, 'medium'],
    [`${H} sudo: a : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/id`, 'medium'],
    [`${H} sshd[1]: Accepted password for ops from 192.0.2.1 port 22 ssh2`, 'info'],
  ];
  for (const [line, severity] of rows) {
    const r = parseLine(line, OPTS);
    assert.equal(classifySeverity({ event_type: r.event_type, normalized: {} }), severity, line);
  }
});

test('toIngestFields projects parsed fields onto the columns and normalizer keys ingest reads today', () => {
  const ssh = toIngestFields(parseLine(`${H} sshd[1]: Failed password for root from 192.0.2.1 port 2222 ssh2`, OPTS));
  assert.deepEqual(ssh, {
    source_type: 'auth', event_type: 'login_failure', hostname: 'host-z', message: 'Failed password for root from 192.0.2.1 port 2222 ssh2',
    username: 'root', source_ip: '192.0.2.1', source_port: 2222, auth_method: 'password', result: 'failure', service: 'sshd',
  });
  const fw = toIngestFields(parseLine(`${H} kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 PROTO=TCP SPT=1 DPT=22`, OPTS));
  assert.deepEqual([fw.action, fw.protocol, fw.rule_name, fw.dest_ip, fw.dest_port], ['block', 'tcp', 'UFW BLOCK', '192.0.2.2', 22]);
  const sudo = toIngestFields(parseLine(`${H} sudo: a : TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/id -u`, OPTS));
  assert.deepEqual([sudo.source_type, sudo.process_name, sudo.command_line, sudo.username], ['endpoint', 'id', '/usr/bin/id -u', 'a']);
  const pam = toIngestFields(parseLine(`${H} login[1]: pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty=tty1 ruser= rhost=h.example  user=x`, OPTS));
  assert.equal(pam.source_ip, undefined, 'a host name never lands in an address column');
  const unknown = toIngestFields(parseLine('what is this', OPTS));
  assert.deepEqual(unknown, { source_type: 'generic', message: 'what is this' });
});

test('toIngestFields output passes the ingest schema and normalizes, for every family', () => {
  for (const line of SEEDS) {
    const flat = toIngestFields(parseLine(line, OPTS));
    const fields = IngestEventSchema.parse(flat);
    const result = normalizeEvent({ raw: flat, fields }, 0);
    assert.ok(result.ok, `${line}: ${JSON.stringify(result)}`);
  }
});
