import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, type RuleDefinition } from '../../src/engine/rules/compile.ts';
import { RuleCompileError } from '../../src/engine/rules/errors.ts';
import { checkConditions, loadRules } from '../../src/engine/rules/load.ts';
import { compileFilter } from '../../src/engine/rules/filter.ts';
import { ev, makeRule } from './correlation-fixtures.ts';

type Fields = Parameters<typeof ev>[1];
const E = (fields: Fields) => ev(0, fields);

// [filter, event fields, matches?]
const MATCH_CASES: Array<[string, Record<string, unknown>, Fields, boolean]> = [
  ['empty filter', {}, {}, true],
  ['equality', { username: 'root' }, { username: 'root' }, true],
  ['equality is case-sensitive', { username: 'root' }, { username: 'Root' }, false],
  ['equality on absent field', { username: 'root' }, {}, false],
  ['"22" equals port 22', { dest_port: '22' }, { dest_port: 22 }, true],
  ['"22" does not equal port 220', { dest_port: '22' }, { dest_port: 220 }, false],
  ['"22.0" is not the decimal form of 22', { dest_port: '22.0' }, { dest_port: 22 }, false],
  ['"" equals only an empty string', { hostname: '' }, { hostname: null }, false],
  ['all entries must match', { username: 'root', hostname: 'web-01' }, { username: 'root', hostname: 'db-01' }, false],
  ['normalized equality', { 'normalized.result': 'failure' }, { normalized: { result: 'failure' } }, true],
  ['normalized numeric equality', { 'normalized.status_code': '404' }, { normalized: { status_code: 404 } }, true],
  ['normalized boolean equality', { 'normalized.blocked': 'true' }, { normalized: { blocked: true } }, true],
  ['normalized key absent', { 'normalized.result': 'failure' }, { normalized: {} }, false],
  ['normalized prototype keys are not fields', { 'normalized.constructor': { exists: true } }, { normalized: {} }, false],
  ['in', { event_type: { in: ['login_failure', 'login_success'] } }, { event_type: 'login_success' }, true],
  ['in is case-insensitive', { event_type: { in: ['LOGIN_FAILURE'] } }, { event_type: 'Login_Failure' }, true],
  ['in misses', { event_type: { in: ['a', 'b'] } }, { event_type: 'c' }, false],
  ['in on a port', { dest_port: { in: ['22', '3389'] } }, { dest_port: 3389 }, true],
  ['not: differs', { username: { not: 'root' } }, { username: 'alice' }, true],
  ['not: equal ignoring case', { username: { not: 'root' } }, { username: 'ROOT' }, false],
  ['not: absent', { username: { not: 'root' } }, {}, true],
  ['exists true: present', { username: { exists: true } }, { username: 'a' }, true],
  ['exists true: empty string', { username: { exists: true } }, { username: '' }, false],
  ['exists true: absent', { username: { exists: true } }, {}, false],
  ['exists false: absent', { username: { exists: false } }, {}, true],
  ['exists false: present', { username: { exists: false } }, { username: 'a' }, false],
  ['exists on a zero port', { dest_port: { exists: true } }, { dest_port: 0 }, true],
  ['contains', { 'normalized.command_line': { contains: '-ENC' } }, { normalized: { command_line: 'powershell -enc SQBFAFgA' } }, true],
  ['contains misses', { 'normalized.command_line': { contains: 'mimikatz' } }, { normalized: { command_line: 'powershell' } }, false],
  ['contains on absent', { hostname: { contains: 'web' } }, {}, false],
  ['contains is literal, not a pattern', { hostname: { contains: '.*' } }, { hostname: 'web-01' }, false],
  ['startswith', { hostname: { startswith: 'WEB-' } }, { hostname: 'web-01' }, true],
  ['startswith misses', { hostname: { startswith: 'db-' } }, { hostname: 'web-01' }, false],
  ['endswith', { 'normalized.query': { endswith: '.example.com' } }, { normalized: { query: 'x.EXAMPLE.com' } }, true],
  ['endswith misses', { 'normalized.query': { endswith: '.org' } }, { normalized: { query: 'x.example.com' } }, false],
  ['gt above', { dest_port: { gt: 1024 } }, { dest_port: 1025 }, true],
  ['gt at the bound', { dest_port: { gt: 1024 } }, { dest_port: 1024 }, false],
  ['gte at the bound', { dest_port: { gte: 1024 } }, { dest_port: 1024 }, true],
  ['lt below', { dest_port: { lt: 1024 } }, { dest_port: 22 }, true],
  ['lt at the bound', { dest_port: { lt: 1024 } }, { dest_port: 1024 }, false],
  ['lte at the bound', { dest_port: { lte: 1024 } }, { dest_port: 1024 }, true],
  ['gt on numeric text', { 'normalized.bytes_sent': { gt: 1000 } }, { normalized: { bytes_sent: '1500' } }, true],
  ['gt on non-numeric text', { 'normalized.bytes_sent': { gt: 1000 } }, { normalized: { bytes_sent: 'lots' } }, false],
  ['lt on absent', { dest_port: { lt: 1024 } }, {}, false],
  ['lt on empty text', { 'normalized.priority': { lt: 3 } }, { normalized: { priority: '' } }, false],
  ['cidr v4 inside', { source_ip: { cidr: '10.0.0.0/8' } }, { source_ip: '10.200.3.4' }, true],
  ['cidr v4 outside', { source_ip: { cidr: '10.0.0.0/8' } }, { source_ip: '11.0.0.1' }, false],
  ['cidr v4 /32 host', { source_ip: { cidr: '192.0.2.7' } }, { source_ip: '192.0.2.7' }, true],
  ['cidr v4 odd prefix', { source_ip: { cidr: '172.16.0.0/12' } }, { source_ip: '172.31.255.255' }, true],
  ['cidr v4 odd prefix outside', { source_ip: { cidr: '172.16.0.0/12' } }, { source_ip: '172.32.0.0' }, false],
  ['cidr v6 inside', { source_ip: { cidr: '2001:db8::/32' } }, { source_ip: '2001:db8:1::7' }, true],
  ['cidr v6 outside', { source_ip: { cidr: '2001:db8::/32' } }, { source_ip: '2001:db9::1' }, false],
  ['cidr v4-mapped v6 address in a v4 block', { source_ip: { cidr: '10.0.0.0/8' } }, { source_ip: '::ffff:10.1.2.3' }, true],
  ['cidr v4 address never in a v6 block', { source_ip: { cidr: '::/0' } }, { source_ip: '10.1.2.3' }, false],
  ['cidr on a non-address', { source_ip: { cidr: '10.0.0.0/8' } }, { source_ip: 'gateway' }, false],
  ['cidr on absent', { dest_ip: { cidr: '10.0.0.0/8' } }, {}, false],
];

for (const [name, filter, fields, expected] of MATCH_CASES) {
  test(`filter ${JSON.stringify(filter)}: ${name} -> ${expected ? 'match' : 'no match'}`, () => {
    assert.equal(compileFilter(filter, ['event_filter'])(E(fields)), expected);
  });
}

const threshold = (eventFilter: unknown) => ({ event_filter: eventFilter, threshold: 1, window_seconds: 60, group_by: 'source_ip' });
const def = (conditions: unknown, ruleType: RuleDefinition['rule_type'] = 'threshold') =>
  ({ id: 'r', name: 'r', rule_type: ruleType, conditions, severity: 'high', mitre_tactic: null, mitre_technique: null, cooldown_seconds: null }) as RuleDefinition;

// Conditions that skipped validation still fail at compile time, located like zod details.
const COMPILE_ERRORS: Array<[string, unknown, string, string]> = [
  ['unknown operator', threshold({ username: { matches: 'x' } }), 'event_filter.username', 'value_error'],
  ['look-around regex', threshold({ username: { regex: '(?=a)' } }), 'event_filter.username.regex', 'value_error'],
  ['unknown list', threshold({ username: { in_list: 'admins' } }), 'event_filter.username.in_list', 'value_error'],
  ['number as equality', threshold({ dest_port: 22 }), 'event_filter.dest_port', 'string_type'],
  ['gt with text', threshold({ dest_port: { gt: '1' } }), 'event_filter.dest_port.gt', 'float_type'],
  ['in with a number', threshold({ dest_port: { in: ['1', 2] } }), 'event_filter.dest_port.in.1', 'string_type'],
  ['exists with text', threshold({ dest_port: { exists: 'yes' } }), 'event_filter.dest_port.exists', 'bool_type'],
  ['unparseable network', threshold({ source_ip: { cidr: '300.0.0.0/8' } }), 'event_filter.source_ip.cidr', 'value_error'],
  ['unknown field', threshold({ usrname: 'x' }), 'event_filter.usrname', 'value_error'],
  ['unknown group_by', { ...threshold({}), group_by: 'src' }, 'group_by', 'value_error'],
  ['zero threshold', { ...threshold({}), threshold: 0 }, 'threshold', 'greater_than_equal'],
];
for (const [name, conditions, field, type] of COMPILE_ERRORS) {
  test(`compile error: ${name} -> ${field} (${type})`, () => {
    assert.throws(
      () => compileRule(def(conditions)),
      (err: unknown) => err instanceof RuleCompileError && err.detail.field === field && err.detail.type === type,
    );
  });
}

test('a sequence step error is located under steps.<i>', () => {
  const conditions = { steps: [{ event_filter: {} }, { event_filter: { hostname: { startswith: '' } } }], window_seconds: 60, group_by: 'hostname' };
  assert.throws(() => compileRule(def(conditions, 'sequence')), (err: unknown) => {
    const detail = (err as RuleCompileError).detail;
    return detail.field === 'steps.1.event_filter.hostname.startswith' && detail.type === 'string_too_short';
  });
});

test('windows and cooldowns become milliseconds at compile time', () => {
  const rule = makeRule('threshold', threshold({}), { cooldown_seconds: 30 });
  assert.equal(rule.windowMs, 60_000);
  assert.equal(rule.cooldownMs, 30_000);
  assert.equal(makeRule('threshold', { ...threshold({}), window_seconds: '90' }).windowMs, 90_000);
  assert.equal(makeRule('threshold', threshold({})).cooldownMs, null);
});

const PINS: Array<[string, string, unknown, string[] | null]> = [
  ['equality pins', 'threshold', threshold({ event_type: 'login_failure' }), ['login_failure']],
  ['pins are lower-cased', 'threshold', threshold({ event_type: 'Login_Failure' }), ['login_failure']],
  ['in pins every value', 'threshold', threshold({ event_type: { in: ['a', 'B'] } }), ['a', 'b']],
  ['other operators do not pin', 'threshold', threshold({ event_type: { startswith: 'login' } }), null],
  ['no event_type: catch-all', 'threshold', threshold({ username: 'root' }), null],
  [
    'sequence pinned by every step',
    'sequence',
    { steps: [{ event_filter: { event_type: 'login_failure' } }, { event_filter: { event_type: { in: ['login_success', 'login_failure'] } } }], window_seconds: 60, group_by: 'source_ip' },
    ['login_failure', 'login_success'],
  ],
  [
    'sequence with one unpinned step is catch-all',
    'sequence',
    { steps: [{ event_filter: { event_type: 'login_failure' } }, { event_filter: { username: 'root' } }], window_seconds: 60, group_by: 'source_ip' },
    null,
  ],
];
for (const [name, ruleType, conditions, expected] of PINS) {
  test(`index pins: ${name}`, () => {
    const types = makeRule(ruleType as 'threshold', conditions).eventTypes;
    assert.deepEqual(types === null ? null : [...types].sort(), expected);
  });
}

test('the fingerprint ignores key order, name, severity and cooldown, but not conditions', () => {
  const a = makeRule('threshold', { threshold: 3, event_filter: { event_type: 'x', username: 'root' }, window_seconds: 60, group_by: 'source_ip' });
  const b = makeRule('threshold', { group_by: 'source_ip', window_seconds: 60, event_filter: { username: 'root', event_type: 'x' }, threshold: 3 }, { name: 'other', severity: 'low', cooldown_seconds: 5 });
  const c = makeRule('threshold', { group_by: 'source_ip', window_seconds: 61, event_filter: { event_type: 'x', username: 'root' }, threshold: 3 });
  assert.equal(a.fingerprint, b.fingerprint);
  assert.notEqual(a.fingerprint, c.fingerprint);
});

test('checkConditions: schema problems as a ZodError, the result typed on success', () => {
  const bad = checkConditions('threshold', { event_filter: {}, threshold: 'x', window_seconds: 1, group_by: 'username' });
  assert.equal(bad.ok, false);
  assert.equal((bad as { error: { issues: unknown[] } }).error.issues.length, 1);
  const good = checkConditions('aggregation', { event_filter: {}, aggregation: 'count_distinct', aggregation_field: 'username', threshold: '3', window_seconds: 60, group_by: 'source_ip' });
  assert.ok(good.ok);
  assert.equal(good.conditions.threshold, 3);
});

test('loadRules compiles the good rules and reports each bad one with its id', () => {
  const base = { severity: 'high' as const, mitre_tactic: null, mitre_technique: null, cooldown_seconds: null };
  const { rules, failures } = loadRules([
    { ...base, id: 'good', name: 'good', rule_type: 'threshold', conditions: threshold({}) },
    { ...base, id: 'legacy', name: 'legacy', rule_type: 'threshold', conditions: { ...threshold({}), threshold: 'many' } },
    { ...base, id: 'kind', name: 'kind', rule_type: 'anomaly', conditions: {} },
    { ...base, id: 'seq', name: 'seq', rule_type: 'sequence', conditions: { steps: [{ event_filter: {} }], window_seconds: 1, group_by: 'username' } },
  ]);
  assert.deepEqual(rules.map((r) => r.id), ['good']);
  assert.deepEqual(failures.map((f) => f.ruleId), ['legacy', 'kind', 'seq']);
  assert.match(failures[0]!.message, /^threshold: /);
  assert.match(failures[1]!.message, /Unknown rule_type 'anomaly'/);
  assert.match(failures[2]!.message, /^steps: /);
});
