import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../../src/engine/parse/index.ts';
import { LOGIN_FAILURE_TYPES, LOGIN_SUCCESS_TYPES } from '../../src/scenarios/default-rules/common.ts';
import { OPTS, runTable } from './parse-helpers.ts';

const H = 'Mar 15 11:00:00 bastion-2';

test('sshd: password and public key logins, invalid users, IPv6 and host names', () => {
  runTable([
    {
      name: 'failed password',
      line: `${H} sshd[2201]: Failed password for root from 198.51.100.23 port 40122 ssh2`,
      expect: {
        parser: 'sshd', source_type: 'auth', event_type: 'login_failure', count: 1, program: 'sshd', pid: 2201, host: 'bastion-2',
        fields: { 'user.name': 'root', 'source.ip': '198.51.100.23', 'source.port': 40122, 'event.outcome': 'failure', 'event.category': 'authentication', 'auth.method': 'password', 'service.name': 'sshd' },
        absent: ['event.reason'],
      },
    },
    {
      name: 'failed password, invalid user whose name has spaces and " from "',
      line: `${H} sshd[2201]: Failed password for invalid user ad min from home from 198.51.100.23 port 40122 ssh2`,
      expect: { event_type: 'login_failure', fields: { 'user.name': 'ad min from home', 'event.reason': 'invalid_user', 'source.ip': '198.51.100.23' } },
    },
    {
      name: 'failed publickey over IPv6',
      line: `${H} sshd[9]: Failed publickey for git from 2001:db8:40::17 port 50100 ssh2: RSA SHA256:k3yPr1nt`,
      expect: { event_type: 'login_failure', fields: { 'auth.method': 'publickey', 'source.ip': '2001:db8:40::17', 'source.port': 50100, 'sshd.key_type': 'RSA', 'sshd.key_fingerprint': 'SHA256:k3yPr1nt' } },
    },
    {
      name: 'failed keyboard-interactive',
      line: `${H} sshd[9]: Failed keyboard-interactive/pam for invalid user oracle from 192.0.2.8 port 1022 ssh2`,
      expect: { event_type: 'login_failure', fields: { 'auth.method': 'keyboard-interactive/pam', 'user.name': 'oracle' } },
    },
    {
      name: 'accepted password',
      line: `${H} sshd[31]: Accepted password for ops from 10.20.30.40 port 60001 ssh2`,
      expect: { event_type: 'login_success', fields: { 'event.outcome': 'success', 'user.name': 'ops', 'source.ip': '10.20.30.40' } },
    },
    {
      name: 'accepted publickey with reverse DNS on: the host name is kept as source.domain',
      line: `${H} sshd[31]: Accepted publickey for ops from admin-laptop.corp.example port 60001 ssh2: ECDSA SHA256:zz`,
      expect: { event_type: 'login_success', fields: { 'source.domain': 'admin-laptop.corp.example', 'source.port': 60001 }, absent: ['source.ip'] },
    },
    {
      name: 'invalid user probe',
      line: `${H} sshd[77]: Invalid user test from 203.0.113.50 port 33333`,
      expect: { event_type: 'invalid_user', fields: { 'user.name': 'test', 'source.ip': '203.0.113.50', 'source.port': 33333, 'event.reason': 'invalid_user' } },
    },
    {
      name: 'invalid user probe, old format without port',
      line: `${H} sshd[77]: Invalid user guest from 203.0.113.50`,
      expect: { event_type: 'invalid_user', fields: { 'user.name': 'guest', 'source.ip': '203.0.113.50' }, absent: ['source.port'] },
    },
    {
      name: 'message repeated N times counts N attempts',
      line: `${H} sshd[2201]: message repeated 5 times: [ Failed password for root from 198.51.100.23 port 40122 ssh2]`,
      expect: { event_type: 'login_failure', count: 5, fields: { 'user.name': 'root', 'source.ip': '198.51.100.23' } },
    },
    {
      name: 'connection closed by authenticating user, preauth',
      line: `${H} sshd[5]: Connection closed by authenticating user root 198.51.100.23 port 40122 [preauth]`,
      expect: { event_type: 'ssh_preauth_disconnect', fields: { 'user.name': 'root', 'source.ip': '198.51.100.23', 'source.port': 40122, 'sshd.preauth': 'true' } },
    },
    {
      name: 'connection closed by invalid user, preauth',
      line: `${H} sshd[5]: Connection closed by invalid user pi 2001:db8::99 port 41000 [preauth]`,
      expect: { event_type: 'ssh_preauth_disconnect', fields: { 'user.name': 'pi', 'source.ip': '2001:db8::99', 'event.reason': 'invalid_user' } },
    },
    {
      name: 'connection closed by address only',
      line: `${H} sshd[5]: Connection closed by 192.0.2.200 port 58000 [preauth]`,
      expect: { event_type: 'ssh_preauth_disconnect', fields: { 'source.ip': '192.0.2.200', 'source.port': 58000 }, absent: ['user.name'] },
    },
    {
      name: 'disconnected from invalid user, preauth',
      line: `${H} sshd[5]: Disconnected from invalid user admin 192.0.2.200 port 58000 [preauth]`,
      expect: { event_type: 'ssh_preauth_disconnect', fields: { 'user.name': 'admin' } },
    },
    {
      name: 'disconnecting after too many failures',
      line: `${H} sshd[5]: Disconnecting authenticating user root 192.0.2.200 port 58000: Too many authentication failures [preauth]`,
      expect: { event_type: 'ssh_preauth_disconnect', fields: { 'user.name': 'root', 'source.ip': '192.0.2.200', 'source.port': 58000, 'event.reason': 'Too many authentication failures', 'event.action': 'ssh_disconnecting' } },
    },
    {
      name: 'disconnected from a logged-in user is a logout',
      line: `${H} sshd[5]: Disconnected from user ops 10.20.30.40 port 60001`,
      expect: { event_type: 'logout', fields: { 'user.name': 'ops', 'source.ip': '10.20.30.40' }, absent: ['sshd.preauth'] },
    },
    {
      name: 'received disconnect',
      line: `${H} sshd[5]: Received disconnect from 192.0.2.200 port 58000:11: Bye Bye [preauth]`,
      expect: { event_type: 'ssh_preauth_disconnect', fields: { 'source.ip': '192.0.2.200', 'source.port': 58000, 'event.reason': 'Bye Bye' } },
    },
    {
      name: 'maximum attempts exceeded',
      line: `${H} sshd[5]: error: maximum authentication attempts exceeded for invalid user sa from 192.0.2.9 port 4000 ssh2 [preauth]`,
      expect: { event_type: 'ssh_max_auth_attempts', fields: { 'user.name': 'sa', 'source.ip': '192.0.2.9', 'event.reason': 'invalid_user' } },
    },
    {
      name: 'no identification string (a scanner)',
      line: `${H} sshd[5]: Did not receive identification string from 192.0.2.9 port 4001`,
      expect: { event_type: 'ssh_scan', fields: { 'source.ip': '192.0.2.9', 'source.port': 4001 } },
    },
    {
      name: 'OpenSSH 9.8 sshd-session',
      line: `${H} sshd-session[6001]: Failed password for alice from 198.51.100.1 port 2222 ssh2`,
      expect: { parser: 'sshd', event_type: 'login_failure', program: 'sshd-session' },
    },
    {
      name: 'an sshd message nobody parses keeps the header, no parser',
      line: `${H} sshd[5]: Server listening on 0.0.0.0 port 22.`,
      expect: { parser: null, source_type: 'generic', event_type: null, program: 'sshd' },
    },
    {
      name: 'Failed line without " from " is not guessed at',
      line: `${H} sshd[5]: Failed password for root`,
      expect: { parser: null },
    },
  ]);
});

test('the event types sshd success and failure produce are the ones the shipped rules match', () => {
  const fail = parseLine(`${H} sshd[1]: Failed password for a from 192.0.2.1 port 1 ssh2`, OPTS);
  const ok = parseLine(`${H} sshd[1]: Accepted password for a from 192.0.2.1 port 1 ssh2`, OPTS);
  assert.ok(LOGIN_FAILURE_TYPES.includes(fail.event_type!));
  assert.ok(LOGIN_SUCCESS_TYPES.includes(ok.event_type!));
  // Probes and PAM duplicates must not be counted as attempts a second time.
  for (const line of [
    `${H} sshd[1]: Invalid user a from 192.0.2.1 port 1`,
    `${H} sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1  user=a`,
    `${H} sshd[1]: Connection closed by invalid user a 192.0.2.1 port 1 [preauth]`,
  ]) {
    assert.ok(!LOGIN_FAILURE_TYPES.includes(parseLine(line, OPTS).event_type!), line);
  }
});

test('PAM: failures with rhost as address or host name, sessions, password changes', () => {
  runTable([
    {
      name: 'pam_unix failure under sshd (sshd reports the attempt itself)',
      line: `${H} sshd[4]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root`,
      expect: {
        parser: 'pam', source_type: 'auth', event_type: 'pam_authentication_failure',
        fields: { 'user.name': 'root', 'source.ip': '198.51.100.7', 'process.tty.name': 'ssh', 'process.user.id': '0', 'pam.module': 'pam_unix', 'service.name': 'sshd', 'pam.type': 'auth', 'event.outcome': 'failure' },
        absent: ['source.user.name', 'pam.logname'],
      },
    },
    {
      name: 'failure from a service that logs nothing else counts as a login failure; rhost host name kept',
      line: `${H} vsftpd[88]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=anon rhost=ftp-client.example.net  user=carol`,
      expect: { event_type: 'authentication_failure', fields: { 'source.domain': 'ftp-client.example.net', 'user.name': 'carol', 'source.user.name': 'anon', 'service.name': 'vsftpd' }, absent: ['source.ip'] },
    },
    {
      name: 'rhost IPv6, user with a space at the end of the line',
      line: `${H} login[88]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=2001:db8::5  user=Jane Doe`,
      expect: { event_type: 'authentication_failure', fields: { 'source.ip': '2001:db8::5', 'user.name': 'Jane Doe', 'pam.logname': 'LOGIN' } },
    },
    {
      name: 'pam_sss failure with no user',
      line: `${H} sshd[4]: pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7`,
      expect: { parser: 'pam', fields: { 'pam.module': 'pam_sss', 'source.ip': '198.51.100.7' }, absent: ['user.name'] },
    },
    {
      name: 'PAM N more authentication failures',
      line: `${H} sshd[4]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root`,
      expect: { parser: 'pam', event_type: 'pam_authentication_failure', count: 2, fields: { 'user.name': 'root', 'source.ip': '198.51.100.7' } },
    },
    {
      name: 'session opened with uids',
      line: `${H} sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)`,
      expect: { parser: 'pam', event_type: 'session_opened', program: 'sudo', pid: null, fields: { 'user.name': 'root', 'user.id': '0', 'process.user.name': 'alice', 'process.user.id': '1000', 'event.category': 'session' } },
    },
    {
      name: 'session opened, older form',
      line: `${H} sshd[4]: pam_unix(sshd:session): session opened for user ops by (uid=0)`,
      expect: { event_type: 'session_opened', fields: { 'user.name': 'ops', 'process.user.id': '0' }, absent: ['process.user.name'] },
    },
    {
      name: 'session closed',
      line: `${H} sshd[4]: pam_unix(sshd:session): session closed for user ops`,
      expect: { event_type: 'session_closed', fields: { 'user.name': 'ops' } },
    },
    {
      name: 'password changed through passwd',
      line: `${H} passwd[600]: pam_unix(passwd:chauthtok): password changed for dave`,
      expect: { parser: 'pam', event_type: 'password_changed', fields: { 'user.name': 'dave', 'event.category': 'iam' } },
    },
    {
      name: 'check pass; user unknown',
      line: `${H} sshd[4]: pam_unix(sshd:auth): check pass; user unknown`,
      expect: { event_type: 'pam_user_unknown', fields: { 'event.reason': 'user_unknown' } },
    },
    {
      name: 'an unknown pam_ text is left unparsed by PAM',
      line: `${H} cron[4]: pam_env(cron:session): Unable to open env file: /etc/default/locale: No such file or directory`,
      expect: { parser: null },
    },
  ]);
});

test('sudo: commands, password failures, users not in sudoers', () => {
  runTable([
    {
      name: 'command',
      line: `${H} sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
      expect: {
        parser: 'sudo', source_type: 'endpoint', event_type: 'sudo',
        fields: { 'user.name': 'alice', 'user.effective.name': 'root', 'process.tty.name': 'pts/0', 'process.working_directory': '/home/alice', 'process.command_line': '/usr/bin/systemctl restart nginx', 'process.executable': '/usr/bin/systemctl', 'process.name': 'systemctl', 'event.action': 'sudo_command' },
      },
    },
    {
      name: 'command containing " ; " and quotes',
      line: `${H} sudo: bob : TTY=pts/3 ; PWD=/srv ; USER=postgres ; ENV=PGDATA=/x ; COMMAND=/bin/sh -c "echo a ; id"`,
      expect: { event_type: 'sudo', fields: { 'process.command_line': '/bin/sh -c "echo a ; id"', 'user.effective.name': 'postgres', 'sudo.env': 'PGDATA=/x', 'process.name': 'sh' } },
    },
    {
      name: 'working directory with a space',
      line: `${H} sudo: carol : TTY=pts/0 ; PWD=/home/carol/my docs ; USER=root ; COMMAND=/bin/ls`,
      expect: { event_type: 'sudo', fields: { 'process.working_directory': '/home/carol/my docs', 'user.effective.name': 'root' }, absent: ['event.reason'] },
    },
    {
      name: 'incorrect password attempts carry the count',
      line: `${H} sudo: mallory : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash`,
      expect: { source_type: 'auth', event_type: 'authentication_failure', count: 3, fields: { 'user.name': 'mallory', 'event.outcome': 'failure', 'event.action': 'sudo_password_failure', 'process.name': 'bash', 'service.name': 'sudo' } },
    },
    {
      name: 'one incorrect password attempt',
      line: `${H} sudo: mallory : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/id`,
      expect: { event_type: 'authentication_failure', count: 1 },
    },
    {
      name: 'user NOT in sudoers',
      line: `${H} sudo: intern : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/intern ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow`,
      expect: { event_type: 'sudo_not_in_sudoers', fields: { 'event.reason': 'user NOT in sudoers', 'event.outcome': 'failure', 'process.command_line': '/usr/bin/cat /etc/shadow', 'user.name': 'intern' } },
    },
    {
      name: 'command not allowed',
      line: `${H} sudo: bob : command not allowed ; TTY=pts/2 ; PWD=/ ; USER=root ; COMMAND=/sbin/reboot`,
      expect: { event_type: 'sudo_command_denied' },
    },
    {
      name: 'sudo line without a user separator is not guessed at',
      line: `${H} sudo: unable to resolve host bastion-2`,
      expect: { parser: null },
    },
  ]);
});

test('su: util-linux and shadow forms, success and failure', () => {
  runTable([
    { name: 'util-linux success', line: `${H} su[900]: (to root) alice on pts/4`, expect: { parser: 'su', event_type: 'su_success', fields: { 'user.name': 'alice', 'user.effective.name': 'root', 'process.tty.name': 'pts/4', 'event.outcome': 'success' } } },
    { name: 'util-linux failure', line: `${H} su[900]: FAILED SU (to root) eve on pts/5`, expect: { event_type: 'authentication_failure', fields: { 'user.name': 'eve', 'event.outcome': 'failure' } } },
    { name: 'shadow success', line: `${H} su[900]: Successful su for postgres by root`, expect: { event_type: 'su_success', fields: { 'user.name': 'root', 'user.effective.name': 'postgres' } } },
    { name: 'shadow failure', line: `${H} su[900]: FAILED su for root by eve`, expect: { event_type: 'authentication_failure', fields: { 'user.name': 'eve' } } },
    { name: 'other su text', line: `${H} su[900]: + /dev/pts/4 alice:root`, expect: { parser: null } },
  ]);
});

test('Postfix SASL and Dovecot login failures', () => {
  runTable([
    {
      name: 'postfix SASL LOGIN failure from an unnamed client',
      line: `${H} postfix/smtpd[1200]: warning: unknown[203.0.113.61]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`,
      expect: { parser: 'postfix', source_type: 'auth', event_type: 'login_failure', program: 'postfix/smtpd', fields: { 'source.ip': '203.0.113.61', 'auth.method': 'LOGIN', 'event.reason': 'UGFzc3dvcmQ6', 'service.name': 'postfix/smtpd' }, absent: ['source.domain'] },
    },
    {
      name: 'postfix SASL PLAIN failure from a named IPv6 client with a user',
      line: `${H} postfix/submission/smtpd[1200]: warning: relay.example.org[2001:db8::25]: SASL PLAIN authentication failed: authentication failure, sasl_username=bob@example.org`,
      expect: { event_type: 'login_failure', fields: { 'source.ip': '2001:db8::25', 'source.domain': 'relay.example.org', 'user.name': 'bob@example.org', 'auth.method': 'PLAIN' } },
    },
    { name: 'other postfix warnings', line: `${H} postfix/smtpd[1200]: warning: hostname x does not resolve`, expect: { parser: null } },
    {
      name: 'dovecot imap-login failure with attempts',
      line: `${H} dovecot[700]: imap-login: Disconnected (auth failed, 3 attempts in 14 secs): user=<carol>, method=PLAIN, rip=198.51.100.80, lip=10.1.1.1, TLS, session=<Ab12Cd>`,
      expect: { parser: 'dovecot', event_type: 'login_failure', count: 3, fields: { 'user.name': 'carol', 'source.ip': '198.51.100.80', 'destination.ip': '10.1.1.1', 'auth.method': 'PLAIN', 'session.id': 'Ab12Cd', 'service.name': 'imap-login' } },
    },
    {
      name: 'dovecot aborted login, user name with ", " inside the brackets',
      line: `${H} dovecot[700]: pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<smith, j>, method=LOGIN, rip=2001:db8::80, lip=2001:db8::1, session=<x>`,
      expect: { event_type: 'login_failure', count: 1, fields: { 'user.name': 'smith, j', 'source.ip': '2001:db8::80' } },
    },
    {
      name: 'dovecot login success',
      line: `${H} dovecot[700]: imap-login: Login: user=<carol>, method=PLAIN, rip=198.51.100.80, lip=10.1.1.1, mpid=3000, TLS, session=<Zz>`,
      expect: { event_type: 'login_success', fields: { 'user.name': 'carol', 'event.outcome': 'success' } },
    },
    {
      name: 'dovecot PAM through its auth process',
      line: `${H} dovecot[700]: auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=carol rhost=198.51.100.80  user=carol`,
      expect: { parser: 'pam', event_type: 'pam_authentication_failure', fields: { 'service.name': 'dovecot', 'source.ip': '198.51.100.80' } },
    },
  ]);
});

test('a brute force from nine addresses in an auth.log counts each guess exactly once', () => {
  const attackers = Array.from({ length: 9 }, (_, i) => `198.51.100.${10 + i}`);
  const lines: string[] = [];
  let second = 0;
  const at = () => {
    const s = second++;
    return `Mar 15 10:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} bastion-2`;
  };
  attackers.forEach((ip, i) => {
    const pid = 3000 + i;
    lines.push(`${at()} sshd[${pid}]: Invalid user admin from ${ip} port ${40000 + i}`);
    lines.push(`${at()} sshd[${pid}]: pam_unix(sshd:auth): check pass; user unknown`);
    lines.push(`${at()} sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`);
    lines.push(`${at()} sshd[${pid}]: Failed password for invalid user admin from ${ip} port ${40000 + i} ssh2`);
    lines.push(`${at()} sshd[${pid}]: message repeated 2 times: [ Failed password for invalid user admin from ${ip} port ${40000 + i} ssh2]`);
    lines.push(`${at()} sshd[${pid}]: Failed password for root from ${ip} port ${41000 + i} ssh2`);
    lines.push(`${at()} sshd[${pid}]: message repeated 2 times: [ Failed password for root from ${ip} port ${41000 + i} ssh2]`);
    lines.push(`${at()} sshd[${pid}]: PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`);
    lines.push(`${at()} sshd[${pid}]: Disconnecting authenticating user root ${ip} port ${41000 + i}: Too many authentication failures [preauth]`);
    lines.push(`${at()} sshd[${pid}]: Connection closed by authenticating user root ${ip} port ${41000 + i} [preauth]`);
  });
  lines.push(`${at()} sshd[4000]: Accepted publickey for ops from 10.0.0.8 port 50000 ssh2: ED25519 SHA256:opskey`);

  const failures = new Map<string, number>();
  let successes = 0;
  let unparsed = 0;
  for (const line of lines) {
    const r = parseLine(line, OPTS);
    if (r.unparsed) unparsed++;
    if (LOGIN_FAILURE_TYPES.includes(r.event_type ?? '')) {
      const ip = String(r.fields['source.ip']);
      failures.set(ip, (failures.get(ip) ?? 0) + r.count);
    }
    if (LOGIN_SUCCESS_TYPES.includes(r.event_type ?? '')) successes++;
  }
  assert.equal(unparsed, 0);
  assert.deepEqual([...failures.keys()].sort(), [...attackers].sort());
  for (const ip of attackers) assert.equal(failures.get(ip), 6, ip);
  assert.equal(successes, 1);
});
