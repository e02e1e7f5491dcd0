// The shipped detections on real logs: lines from OpenSSH, sudo, the account tools and
// auditd, parsed and stored the way intake does it, and IDS and EDR records as their parsers
// project them, run through the real correlation engine with every shipped rule. Each
// attack raises what an analyst expects and nothing else; everyday activity raises nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEvent } from '@siem/contracts';
import { DEFAULT_RULES } from '../../src/scenarios/default-rules.ts';
import { alertsOf } from './replay.ts';
import * as real from './real-logs.ts';

const keyOfRule = new Map(DEFAULT_RULES.map((d) => [d.rule.name, d.key]));
const fired = (events: LogEvent[]) => alertsOf(events).map((f) => `${keyOfRule.get(f.rule_name)} [${f.group_value}]`).sort();

test('an SSH wordlist attack (5 sshd failures in 8 minutes, invalid users counted per line) is caught at fail2ban sensitivity', () => {
  assert.deepEqual(fired(real.sshBruteForce()), ['builtin.auth.ssh-brute-force [203.0.113.45]']);
});

test('four SSH failures in 10 minutes, or five spread over 12 minutes, stay below the threshold', () => {
  const attack = real.sshBruteForce();
  assert.deepEqual(fired(attack.slice(1)), []);
  const slow = real.lines([0, 1, 2, 3, 4].map((i) => [i * 180, `bastion sshd[${7000 + i}]: Failed password for root from 198.51.100.3 port ${50000 + i} ssh2`] as const));
  assert.deepEqual(fired(slow), []);
  // The same five within 9 minutes fire.
  const faster = real.lines([0, 1, 2, 3, 4].map((i) => [i * 135, `bastion sshd[${7000 + i}]: Failed password for root from 198.51.100.3 port ${50000 + i} ssh2`] as const));
  assert.deepEqual(fired(faster), ['builtin.auth.ssh-brute-force [198.51.100.3]']);
});

test('"maximum authentication attempts exceeded" and failed public keys count as SSH failures', () => {
  const events = real.lines([
    [300, 'bastion sshd[8001]: Failed publickey for git from 203.0.113.80 port 33010 ssh2: RSA SHA256:Zm9vYmFyYmF6'],
    [290, 'bastion sshd[8002]: Failed password for root from 203.0.113.80 port 33012 ssh2'],
    [280, 'bastion sshd[8002]: Failed password for root from 203.0.113.80 port 33012 ssh2'],
    [270, 'bastion sshd[8002]: Failed password for root from 203.0.113.80 port 33012 ssh2'],
    [260, 'bastion sshd[8002]: error: maximum authentication attempts exceeded for root from 203.0.113.80 port 33012 ssh2 [preauth]'],
  ]);
  assert.deepEqual(events.map((e) => e.event_type), ['login_failure', 'login_failure', 'login_failure', 'login_failure', 'ssh_max_auth_attempts']);
  assert.deepEqual(fired(events), ['builtin.auth.ssh-brute-force [203.0.113.80]']);
});

test('sudo: three wrong passwords for one account in 5 minutes are caught; PAM\'s own lines are not counted twice', () => {
  assert.deepEqual(fired(real.sudoGuessing()), ['builtin.auth.sudo-password-failures [www-data]']);
  // Without the third attempt, nothing (the pam_unix line does not count).
  assert.deepEqual(fired(real.sudoGuessing().slice(0, 3)), []);
});

test('sudo by a user not in sudoers alerts on the first attempt', () => {
  assert.deepEqual(fired(real.sudoNotInSudoers()), ['builtin.auth.sudo-not-in-sudoers [intern]']);
});

test('a new account raises one alert per host', () => {
  const events = real.backdoorAccount().filter((e) => e.event_type === 'user_created' || e.event_type === 'group_created');
  assert.deepEqual(fired(events), ['builtin.auth.account-created [web1]']);
});

test('an account added to sudo or docker (usermod, gpasswd) is caught by its group name; other groups are not', () => {
  assert.deepEqual(fired(real.backdoorAccount()), ['builtin.auth.account-created [web1]', 'builtin.auth.privileged-group-change [web1]']);
  const windows = real.parsedRecord({
    parser: 'winlog', source_type: 'auth', event_type: 'user_added_to_group', host: 'DC01',
    fields: { 'winlog.event_id': 4728, 'user.name': 'helpdesk02', 'user.target.name': 'CN=svc-sql,OU=Service,DC=corp,DC=example', 'group.name': 'Domain Admins' },
  }, 30);
  assert.deepEqual(fired([windows]), ['builtin.auth.privileged-group-change [DC01]']);
  const benign = real.lines([[100, "web1 usermod[6001]: add 'carol' to group 'audio'"], [90, 'web1 gpasswd[6002]: user carol added by root to group plugdev']]);
  assert.deepEqual(fired(benign), []);
});

test('"message repeated 3 times" counts 3 failures: with 2 more it reaches the SSH threshold', () => {
  const events = real.lines([
    [300, 'bastion sshd[9001]: Failed password for root from 203.0.113.7 port 40022 ssh2'],
    [280, 'bastion sshd[9001]: message repeated 3 times: [ Failed password for root from 203.0.113.7 port 40022 ssh2]'],
    [200, 'bastion sshd[9002]: Failed password for admin from 203.0.113.7 port 40100 ssh2'],
  ]);
  assert.equal(events[1]!.fields['event.count'], 3);
  assert.deepEqual(fired(events), ['builtin.auth.ssh-brute-force [203.0.113.7]']);
  assert.deepEqual(fired([events[0]!, events[2]!]), []);
});

test('one "3 incorrect password attempts" line from sudo is three failures', () => {
  const events = real.lines([[60, 'web1 sudo: www-data : 3 incorrect password attempts ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/bin/su -']]);
  assert.deepEqual(fired(events), ['builtin.auth.sudo-password-failures [www-data]']);
});

test('DNS tunnels are caught by long labels (hex chunks) and by random labels (base32 chunks), one alert each', () => {
  assert.deepEqual(fired(real.dnsTunnels()), ['builtin.network.dns-long-labels [10.20.5.17]', 'builtin.network.dns-random-labels [10.20.5.18]']);
  // Nine distinct tunnel names are not enough.
  assert.deepEqual(fired(real.dnsTunnels().slice(0, 9)), []);
});

test('high-priority IDS alerts pass through, one per source address; low-priority ones do not', () => {
  assert.deepEqual(fired(real.idsAlerts()), [
    'builtin.network.ids-exploit [198.51.100.61]',
    'builtin.network.ids-high-priority [10.20.7.31]',
    'builtin.network.ids-high-priority [198.51.100.61]',
  ]);
});

// The IDS rules read normalized.priority / normalized.classification, which a parsed EVE or
// Zeek record fills only once engine/parse/columns.ts projects the ids fields (priority <-
// ids.priority, classification <- rule.category, signature_* <- rule.id / rule.name).
test('a parsed Suricata EVE alert of severity 1 passes through', () => {
  const eve = real.parsedRecord({
    parser: 'suricata', source_type: 'ids', event_type: 'ids_alert', host: 'ids-edge',
    fields: { 'source.ip': '198.51.100.62', 'destination.ip': '10.20.0.15', 'rule.id': 2024897, 'rule.name': 'ET MALWARE Cobalt Strike Beacon Observed', 'rule.category': 'A Network Trojan was detected', 'ids.priority': 1 },
  }, 20);
  assert.deepEqual(fired([eve]), ['builtin.network.ids-high-priority [198.51.100.62]']);
});

test('offensive tools are caught by name whatever the source: sudo, auditd, Sysmon; ProcDump only on LSASS', () => {
  assert.deepEqual(fired(real.offensiveTools()), [
    'builtin.endpoint.attack-tool [jump1]',
    'builtin.endpoint.attack-tool [web1]',
    'builtin.endpoint.credential-tool [WS-FIN-007]',
    'builtin.endpoint.lsass-dump [SRV-APP-02]',
    'builtin.endpoint.psexec [SRV-FILE-01]',
  ]);
});

test('everyday activity on the same hosts raises nothing: typos, an admin\'s sudo, routine groups and tools, low IDS noise', () => {
  assert.deepEqual(fired(real.everyday()), []);
});
