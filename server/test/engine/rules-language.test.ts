// The rule language beyond v1: condition trees, lists and several operators per field,
// case and list modifiers, wildcards, RE2 regular expressions, shared lists, negations,
// message / raw / dotted paths; and the rule types and keys built on them (single,
// unordered sequences, group_by lists, exceptions), through the real compile pipeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, pinnedValues } from '../../src/engine/rules/filter.ts';
import { listResolver, type SharedList } from '../../src/engine/rules/lists.ts';
import { wildcardShape } from '../../src/engine/rules/patterns.ts';
import { ev, makeRule, runEngine } from './correlation-fixtures.ts';

type Fields = Parameters<typeof ev>[1];
const E = (fields: Fields) => ev(0, fields);
const LISTS: SharedList[] = [
  { name: 'scanners', kind: 'ip', items: ['198.51.100.0/24', '203.0.113.9', '2001:db8::/48'] },
  { name: 'admins', kind: 'user', items: ['Alice', 'root'] },
];
const ctx = { lists: listResolver(LISTS) };
const cmd = (line: string): Fields => ({ fields: { 'process.command_line': line } });

const CASES: Array<[string, Record<string, unknown>, Fields, boolean]> = [
  // Trees
  ['any: one branch holds', { any: [{ username: 'root' }, { hostname: 'db' }] }, { username: 'x', hostname: 'db' }, true],
  ['any: no branch holds', { any: [{ username: 'root' }, { hostname: 'db' }] }, { username: 'x', hostname: 'web' }, false],
  ['all: every branch', { all: [{ username: 'root' }, { hostname: 'db' }] }, { username: 'root', hostname: 'db' }, true],
  ['all: one fails', { all: [{ username: 'root' }, { hostname: 'db' }] }, { username: 'root', hostname: 'web' }, false],
  ['not', { not: { username: 'root' } }, { username: 'alice' }, true],
  ['not: inner holds', { not: { username: 'root' } }, { username: 'root' }, false],
  ['selection and exclusion on one field', { username: { startswith: 'svc-', not_endswith: '-test' } }, { username: 'svc-backup' }, true],
  ['selection and exclusion on one field: excluded', { username: { startswith: 'svc-', not_endswith: '-test' } }, { username: 'svc-backup-test' }, false],
  ['nested: any inside not inside all', { all: [{ event_type: 'x' }, { not: { any: [{ username: 'a' }, { username: 'b' }] } }] }, { event_type: 'x', username: 'c' }, true],
  // Lists of values
  ['list: any item equals (exact)', { username: ['root', 'admin'] }, { username: 'admin' }, true],
  ['list: exact case', { username: ['root', 'admin'] }, { username: 'Admin' }, false],
  ['list: numbers by their text', { dest_port: [22, '3389'] }, { dest_port: 22 }, true],
  ['list of operator objects', { username: [{ startswith: 'adm' }, { endswith: '$' }] }, { username: 'HOST01$' }, true],
  ['contains any (default)', { 'process.command_line': { contains: ['-enc', 'bypass'] } }, cmd('powershell -ExecutionPolicy Bypass'), true],
  ['contains all', { 'process.command_line': { contains: ['-enc', 'bypass'], of: 'all' } }, cmd('powershell -ExecutionPolicy Bypass'), false],
  ['contains all: every one present', { 'process.command_line': { contains: ['-enc', 'bypass'], of: 'all' } }, cmd('powershell -ep bypass -enc AAA'), true],
  ['not_contains any: none present', { 'process.command_line': { not_contains: ['mimikatz', 'sekurlsa'] } }, cmd('whoami'), true],
  ['not_contains any: one present', { 'process.command_line': { not_contains: ['mimikatz', 'sekurlsa'] } }, cmd('x sekurlsa::logonpasswords'), false],
  ['negation holds on a missing field', { 'process.command_line': { not_contains: 'x' } }, {}, true],
  // Case
  ['string operators ignore case', { hostname: { equals: 'WEB-01' } }, { hostname: 'web-01' }, true],
  ['cased equals', { hostname: { equals: 'WEB-01', cased: true } }, { hostname: 'web-01' }, false],
  ['cased contains', { 'process.command_line': { contains: 'Invoke', cased: true } }, cmd('invoke-mimikatz'), false],
  ['cased contains: exact case', { 'process.command_line': { contains: 'Invoke', cased: true } }, cmd('Invoke-Mimikatz'), true],
  ['equals a number operand', { dest_port: { equals: 22 } }, { dest_port: 22 }, true],
  ['equals a boolean', { 'fields.tls.established': { equals: true } }, { fields: { 'tls.established': true } }, true],
  // Wildcards
  ['wildcard middle', { 'process.executable': { wildcard: 'C:\\Windows\\\\*\\cmd.exe' } }, { fields: { 'process.executable': 'c:\\windows\\system32\\CMD.exe' } }, true],
  ['wildcard ?', { hostname: { wildcard: 'web-0?' } }, { hostname: 'web-01' }, true],
  ['wildcard ? is exactly one', { hostname: { wildcard: 'web-0?' } }, { hostname: 'web-012' }, false],
  ['wildcard escaped star is literal', { hostname: { wildcard: 'a\\*b' } }, { hostname: 'axxb' }, false],
  ['wildcard escaped star matches a star', { hostname: { wildcard: 'a\\*b' } }, { hostname: 'a*b' }, true],
  ['wildcard * crosses lines', { message: { wildcard: 'begin*end' } }, { message: 'begin\nmiddle\nend' }, true],
  ['wildcard anchors the whole text', { hostname: { wildcard: 'web*' } }, { hostname: 'xweb1' }, false],
  // Regular expressions
  ['regex found anywhere', { 'process.command_line': { regex: '-e(nc|ncodedcommand)\\s' } }, cmd('powershell -EncodedCommand AAA'), true],
  ['regex anchored', { username: { regex: '^adm[0-9]+$' } }, { username: 'adm42x' }, false],
  ['regex cased', { username: { regex: '^Adm', cased: true } }, { username: 'adm1' }, false],
  ['not_regex', { username: { not_regex: '^svc' } }, { username: 'alice' }, true],
  // Networks and shared lists
  ['cidr list', { source_ip: { cidr: ['10.0.0.0/8', '192.168.0.0/16'] } }, { source_ip: '192.168.4.4' }, true],
  ['not_cidr', { source_ip: { not_cidr: ['10.0.0.0/8', '192.168.0.0/16'] } }, { source_ip: '8.8.8.8' }, true],
  ['in_list ip: network', { source_ip: { in_list: 'scanners' } }, { source_ip: '198.51.100.77' }, true],
  ['in_list ip: single address', { source_ip: { in_list: 'scanners' } }, { source_ip: '203.0.113.9' }, true],
  ['in_list ip: v6 network', { source_ip: { in_list: 'scanners' } }, { source_ip: '2001:db8:0:1::5' }, true],
  ['in_list ip: outside', { source_ip: { in_list: 'scanners' } }, { source_ip: '203.0.113.10' }, false],
  ['in_list user ignores case', { username: { in_list: 'admins' } }, { username: 'ALICE' }, true],
  ['not_in_list', { username: { not_in_list: 'admins' } }, { username: 'bob' }, true],
  // Numbers and existence together
  ['range on one field', { dest_port: { gte: 1024, lt: 2048 } }, { dest_port: 1500 }, true],
  ['range on one field: outside', { dest_port: { gte: 1024, lt: 2048 } }, { dest_port: 4000 }, false],
  // Paths
  ['message column', { message: { contains: 'failed password' } }, { message: 'Failed password for root' }, true],
  ['dotted field without prefix', { 'dns.question.name': { endswith: '.onion' } }, { fields: { 'dns.question.name': 'abc.onion' } }, true],
  ['raw nested path', { 'raw.winlog.event_data.LogonType': '10' }, { raw: { winlog: { event_data: { LogonType: '10' } } } }, true],
  ['raw dotted key', { 'raw.winlog.event_data.LogonType': '10' }, { raw: { 'winlog.event_data.LogonType': '10' } }, true],
  ['raw mixed nesting', { 'raw.winlog.event_data.LogonType': '10' }, { raw: { winlog: { 'event_data.LogonType': '10' } } }, true],
  ['raw missing', { 'raw.winlog.event_data.LogonType': '10' }, { raw: { winlog: {} } }, false],
  ['raw never reads prototypes', { 'raw.constructor': { exists: true } }, { raw: {} }, false],
];

for (const [name, filter, fields, expected] of CASES) {
  test(`language: ${name} -> ${expected ? 'match' : 'no match'}`, () => {
    assert.equal(compileFilter(filter, ['event_filter'], ctx)(E(fields)), expected);
  });
}

test('every negated operator is the exact complement of its positive form', () => {
  const samples: Fields[] = [{ username: 'admin' }, { username: 'ADMIN-2' }, { username: 'x' }, {}, { source_ip: '10.1.1.1', username: 'root' }];
  const operands: Record<string, unknown> = {
    equals: 'admin', contains: 'dmi', startswith: 'adm', endswith: '-2', wildcard: 'a*2', regex: '^a.m', cidr: '10.0.0.0/8', in_list: 'admins',
  };
  for (const [op, operand] of Object.entries(operands)) {
    const field = op === 'cidr' ? 'source_ip' : 'username';
    const positive = compileFilter({ [field]: { [op]: operand } }, [], ctx);
    const negative = compileFilter({ [field]: { [`not_${op}`]: operand } }, [], ctx);
    for (const sample of samples) assert.equal(negative(E(sample)), !positive(E(sample)), `${op} on ${JSON.stringify(sample)}`);
  }
});

test('wildcards that are literals with stars at their ends become plain string tests', () => {
  assert.deepEqual(wildcardShape('*\\cmd.exe'), { kind: 'endswith', literal: '\\cmd.exe' });
  assert.deepEqual(wildcardShape('powershell*'), { kind: 'startswith', literal: 'powershell' });
  assert.deepEqual(wildcardShape('**-enc*'), { kind: 'contains', literal: '-enc' });
  assert.deepEqual(wildcardShape('exact'), { kind: 'equals', literal: 'exact' });
  assert.deepEqual(wildcardShape('*'), { kind: 'any' });
  assert.equal(wildcardShape('a*b').kind, 'pattern');
});

test('a regular expression cannot backtrack: a classic catastrophic pattern stays linear', () => {
  const match = compileFilter({ message: { regex: '^(a+)+$' } }, [], ctx);
  const text = `${'a'.repeat(50_000)}!`;
  // A backtracking engine would not return within the lifetime of the test.
  assert.equal(match(E({ message: text })), false);
});

test('pins: equality, lists and every branch of an any pin a field; not and partial any do not', () => {
  assert.deepEqual(pinnedValues({ event_type: 'Login_Failure' }, 'event_type'), ['login_failure']);
  assert.deepEqual(pinnedValues({ event_type: ['a', 'B'] }, 'event_type'), ['a', 'b']);
  assert.deepEqual(pinnedValues({ event_type: { equals: ['x', 'y'], cased: true } }, 'event_type'), ['x', 'y']);
  assert.deepEqual(pinnedValues({ all: [{ username: 'u' }, { event_type: 'x' }] }, 'event_type'), ['x']);
  assert.deepEqual(pinnedValues({ any: [{ event_type: 'x' }, { event_type: { in: ['y'] } }] }, 'event_type'), ['x', 'y']);
  assert.equal(pinnedValues({ any: [{ event_type: 'x' }, { username: 'y' }] }, 'event_type'), null);
  assert.equal(pinnedValues({ not: { event_type: 'x' } }, 'event_type'), null);
  assert.equal(pinnedValues({ event_type: { contains: 'x' } }, 'event_type'), null);
});

test('single: fires on every matching event when there is no group_by', () => {
  const rule = makeRule('single', { event_filter: { 'process.name': { in: ['mimikatz.exe'] } } });
  const hit = () => ({ fields: { 'process.name': 'mimikatz.exe' }, hostname: 'h1' });
  const firings = runEngine([rule], [ev(0, hit()), ev(1, { fields: { 'process.name': 'cmd.exe' } }), ev(2, hit())]);
  assert.equal(firings.length, 2);
  assert.equal(firings[0]!.group_value, null);
  assert.equal(firings[0]!.title, 'single rule');
  assert.deepEqual(firings[0]!.matched_event_ids.length, 1);
  assert.equal(firings[0]!.matched_event_count, 1);
});

test('single with group_by: one alert per group until its cooldown ends', () => {
  const rule = makeRule('single', { event_filter: { event_type: 'x' }, group_by: 'hostname' }, { cooldown_seconds: 60 });
  const firings = runEngine([rule], [
    ev(0, { event_type: 'x', hostname: 'a' }),
    ev(10, { event_type: 'x', hostname: 'a' }),
    ev(11, { event_type: 'x', hostname: 'b' }),
    ev(61, { event_type: 'x', hostname: 'a' }),
    ev(62, { event_type: 'x' }), // no group value: skipped
  ]);
  assert.deepEqual(firings.map((f) => f.group_value), ['a', 'b', 'a']);
});

test('group_by several fields: groups are the combinations, shown joined by " / "', () => {
  const rule = makeRule('threshold', { event_filter: { event_type: 'f' }, threshold: 2, window_seconds: 60, group_by: ['source_ip', 'username'] });
  const f = (ip: string, user: string | null) => ({ event_type: 'f', source_ip: ip, username: user });
  const firings = runEngine([rule], [ev(0, f('10.0.0.1', 'a')), ev(1, f('10.0.0.1', 'b')), ev(2, f('10.0.0.1', null)), ev(3, f('10.0.0.1', 'a'))]);
  assert.equal(firings.length, 1);
  assert.equal(firings[0]!.group_value, '10.0.0.1 / a');
  assert.equal(firings[0]!.title, 'threshold rule [10.0.0.1 / a]');
});

test('group values that contain the display separator do not merge groups', () => {
  const rule = makeRule('threshold', { event_filter: {}, threshold: 2, window_seconds: 60, group_by: ['hostname', 'username'] });
  const firings = runEngine([rule], [ev(0, { hostname: 'a / b', username: 'c' }), ev(1, { hostname: 'a', username: 'b / c' })]);
  assert.equal(firings.length, 0);
});

test('exceptions: an event matching one is ignored by the rule (it does not count)', () => {
  const rule = makeRule('threshold', {
    event_filter: { event_type: 'f' },
    threshold: 3,
    window_seconds: 60,
    group_by: 'username',
    exceptions: [{ source_ip: { cidr: '10.0.0.0/8' } }, { hostname: 'jump-host' }],
  });
  const f = (ip: string, host = 'h') => ({ event_type: 'f', username: 'u', source_ip: ip, hostname: host });
  assert.equal(runEngine([rule], [ev(0, f('10.1.1.1')), ev(1, f('8.8.8.8')), ev(2, f('8.8.4.4', 'jump-host')), ev(3, f('1.1.1.1'))]).length, 0);
  assert.equal(runEngine([rule], [ev(0, f('9.9.9.9')), ev(1, f('8.8.8.8')), ev(3, f('1.1.1.1'))]).length, 1);
});

test('exceptions apply to every step of a sequence', () => {
  const rule = makeRule('sequence', {
    steps: [{ event_filter: { event_type: 'fail' } }, { event_filter: { event_type: 'ok' } }],
    window_seconds: 60,
    group_by: 'username',
    exceptions: [{ hostname: 'lab' }],
  });
  assert.equal(runEngine([rule], [ev(0, { event_type: 'fail', username: 'u' }), ev(1, { event_type: 'ok', username: 'u', hostname: 'lab' })]).length, 0);
  assert.equal(runEngine([rule], [ev(0, { event_type: 'fail', username: 'u' }), ev(1, { event_type: 'ok', username: 'u' })]).length, 1);
});

test('unordered sequence: every step within the window, in any order', () => {
  const conditions = {
    steps: [{ event_filter: { event_type: 'a' }, count: 2 }, { event_filter: { event_type: 'b' } }],
    window_seconds: 60,
    group_by: 'hostname',
    ordered: false,
  };
  const rule = makeRule('sequence', conditions);
  const at = (t: number, type: string, host = 'h') => ev(t, { event_type: type, hostname: host });
  // b before the a's fires (an ordered sequence would not).
  assert.equal(runEngine([rule], [at(0, 'b'), at(1, 'a'), at(2, 'a')]).length, 1);
  assert.equal(runEngine([makeRule('sequence', { ...conditions, ordered: true })], [at(0, 'b'), at(1, 'a'), at(2, 'a')]).length, 0);
  // Counts matter, and the window: the first a left it by the time b came.
  assert.equal(runEngine([rule], [at(0, 'a'), at(1, 'b')]).length, 0);
  assert.equal(runEngine([rule], [at(0, 'a'), at(30, 'a'), at(61, 'b')]).length, 0);
  assert.equal(runEngine([rule], [at(0, 'a'), at(30, 'a'), at(59, 'b')]).length, 1);
  // Groups stay apart.
  assert.equal(runEngine([rule], [at(0, 'a', 'x'), at(1, 'a', 'y'), at(2, 'b', 'x')]).length, 0);
});

test('unordered sequence: a late event inside the window completes the set', () => {
  const rule = makeRule('sequence', {
    steps: [{ event_filter: { event_type: 'a' } }, { event_filter: { event_type: 'b' } }, { event_filter: { event_type: 'c' } }],
    window_seconds: 60,
    group_by: 'hostname',
    ordered: false,
  });
  const at = (t: number, type: string) => ev(t, { event_type: type, hostname: 'h' });
  const firings = runEngine([rule], [at(30, 'c'), at(40, 'a'), at(10, 'b')]);
  assert.equal(firings.length, 1);
  assert.equal(firings[0]!.matched_event_count, 3);
});

test('a shared list change reaches a running rule without losing its windows', async () => {
  const { createCorrelationEngine } = await import('../../src/engine/correlation/index.ts');
  const conditions = { event_filter: { source_ip: { not_in_list: 'scanners' } }, threshold: 3, window_seconds: 60, group_by: 'username' };
  const before = makeRule('threshold', conditions, { id: 'r1', lists: [{ name: 'scanners', kind: 'ip', items: ['192.0.2.1'] }] });
  const after = makeRule('threshold', conditions, { id: 'r1', lists: [{ name: 'scanners', kind: 'ip', items: ['192.0.2.1', '192.0.2.2'] }] });
  const engine = createCorrelationEngine({ cooldownMs: 300_000 });
  engine.setRules([before]);
  assert.equal(engine.process(ev(0, { source_ip: '192.0.2.9', username: 'u' })).length, 0);
  assert.equal(engine.process(ev(1, { source_ip: '192.0.2.8', username: 'u' })).length, 0);
  engine.setRules([after]);
  assert.equal(engine.process(ev(2, { source_ip: '192.0.2.2', username: 'u' })).length, 0, 'now listed: ignored');
  assert.equal(engine.process(ev(3, { source_ip: '192.0.2.7', username: 'u' })).length, 1, 'the two earlier events are still in the window');
});

test('compiled rules say whether they read raw.* (readers load the record only then)', () => {
  assert.equal(makeRule('single', { event_filter: { 'raw.a.b': 'x' } }).usesRaw, true);
  assert.equal(makeRule('single', { event_filter: { any: [{ username: 'x' }, { not: { 'raw.c': 'y' } }] } }).usesRaw, true);
  assert.equal(makeRule('single', { event_filter: { 'process.name': 'x' } }).usesRaw, false);
  // A raw path named as a value, not a filter key, counts too.
  assert.equal(makeRule('threshold', { event_filter: {}, threshold: 2, window_seconds: 60, group_by: ['hostname', 'raw.a.b'] }).usesRaw, true);
  const distinctRaw = { event_filter: {}, aggregation: 'count_distinct', aggregation_field: 'raw.user', threshold: 2, window_seconds: 60, group_by: 'hostname' };
  assert.equal(makeRule('aggregation', distinctRaw).usesRaw, true);
});
