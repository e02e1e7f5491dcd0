import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '@siem/contracts';
import { classifySeverity, SEVERITY_TIERS } from '../../src/engine/severity.ts';

const byType = (event_type: string | null) => classifySeverity({ event_type, normalized: {} });
const byText = (text: string, key = 'message') => classifySeverity({ event_type: null, normalized: { [key]: text } });

test('event types in the first table are high, even when their text reads critical', () => {
  for (const t of ['privilege_escalation', 'data_exfiltration', 'c2_communication', 'reverse_shell']) {
    assert.equal(byType(t), 'high', t);
  }
});

test('event types in the second table are medium, whatever the text says', () => {
  for (const t of ['login_failure', 'port_scan', 'firewall_deny', 'ids_alert']) {
    assert.equal(byType(t), 'medium', t);
    assert.equal(classifySeverity({ event_type: t, normalized: { message: 'ransomware' } }), 'medium', t);
  }
});

test('the event type tables are exact and case-sensitive; other spellings fall to the tiers', () => {
  assert.equal(byType('Privilege_Escalation'), 'critical'); // tier text, not table 1
  assert.equal(byType('privilege-escalation'), 'critical');
  assert.equal(byType('LOGIN_FAILURE'), 'medium'); // tier stem login~fail
  assert.equal(byType('reverse_shell_attempt'), 'high'); // tier stem reverse~shell
});

test('every stem of every tier classifies to its tier', () => {
  const expected: Record<string, Severity> = {
    'privilege escalation': 'critical',
    'root compromise': 'critical',
    'data exfiltration': 'critical',
    ransomware: 'critical',
    'command and control': 'critical',
    'c2 beacon': 'critical',
    'brute force': 'high',
    'lateral movement': 'high',
    'reverse shell': 'high',
    malware: 'high',
    exploit: 'high',
    'unauthorized access': 'high',
    'login failed': 'medium',
    'authentication failure': 'medium',
    suspicious: 'medium',
    'port scan': 'medium',
    denied: 'medium',
    blocked: 'medium',
    warning: 'low',
    'policy violation': 'low',
    anomaly: 'low',
  };
  for (const { severity, stems } of SEVERITY_TIERS) {
    for (const stem of stems) {
      const text = stem.replaceAll('~', ' ');
      assert.equal(byText(`xx ${text} yy`), severity, stem);
    }
  }
  for (const [text, severity] of Object.entries(expected)) assert.equal(byText(text), severity, text);
});

test('`~` matches zero or one arbitrary character, never two', () => {
  const cases: Array<[string, Severity]> = [
    ['privilegeescalation', 'critical'],
    ['privilege escalation', 'critical'],
    ['privilege_escalation detected', 'critical'],
    ['privilege-escalation', 'critical'],
    ['privilege.escalation', 'critical'],
    ['privilege  escalation', 'info'], // two spaces: not a match
    ['privilege__escalation', 'info'],
    ['command-and-control', 'critical'],
    ['commandandcontrol', 'critical'],
    ['command  and control', 'info'],
    ['c2beacon', 'critical'],
    ['c2 - beacon', 'info'],
    ['brute-force', 'high'],
    ['bruteforce', 'high'],
    ['brute  force', 'info'],
    ['loginfail', 'medium'],
    ['login: fail', 'info'],
    ['policy_violation', 'low'],
  ];
  for (const [text, severity] of cases) assert.equal(byText(text), severity, JSON.stringify(text));
});

test('matching is case-insensitive and by substring', () => {
  assert.equal(byText('RANSOMWARE note found'), 'critical');
  assert.equal(byText('Possible Lateral_Movement via SMB'), 'high');
  assert.equal(byText('Access DENIED'), 'medium');
  assert.equal(byText('Anomalous volume'), 'low');
  assert.equal(byText('exploitation'), 'high');
});

test('tiers are tested in order: the highest matching tier wins', () => {
  assert.equal(byText('warning: malware blocked'), 'high');
  assert.equal(byText('blocked ransomware'), 'critical');
  assert.equal(byText('suspicious warning'), 'medium');
});

test('the text is built from event_type and four normalized keys only', () => {
  const cases: Array<[string | null, Record<string, unknown>, Severity]> = [
    ['malware_detected', {}, 'high'],
    [null, { signature_name: 'ET EXPLOIT attempt' }, 'high'],
    [null, { classification: 'Attempted Privilege Escalation' }, 'critical'],
    [null, { command_line: 'vssadmin delete shadows # ransomware' }, 'critical'],
    [null, { message: 'config warning' }, 'low'],
    [null, { failure_reason: 'malware' }, 'info'], // not one of the text keys
    [null, { url: 'http://x/exploit' }, 'info'],
    [null, { message: 42, signature_name: ['malware'], classification: { v: 'exploit' } }, 'info'], // only strings count
    [null, {}, 'info'],
    ['user_login', { message: 'ok' }, 'info'],
  ];
  for (const [event_type, normalized, severity] of cases) {
    assert.equal(classifySeverity({ event_type, normalized }), severity, JSON.stringify({ event_type, normalized }));
  }
});

test('`~` never bridges two fields', () => {
  assert.equal(classifySeverity({ event_type: 'privilege', normalized: { message: 'escalation' } }), 'info');
  assert.equal(classifySeverity({ event_type: 'brute', normalized: { command_line: 'force' } }), 'info');
});
