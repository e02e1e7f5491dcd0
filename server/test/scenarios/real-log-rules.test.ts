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

test('high-priority IDS alerts pass through, one per source address; low-priority ones do not', () => {
  assert.deepEqual(fired(real.idsAlerts()), [
    'builtin.network.ids-exploit [198.51.100.61]',
    'builtin.network.ids-high-priority [10.20.7.31]',
    'builtin.network.ids-high-priority [198.51.100.61]',
  ]);
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
