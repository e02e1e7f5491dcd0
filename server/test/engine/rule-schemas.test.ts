import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AlertStatusUpdateSchema,
  RuleCreateSchema,
  RuleUpdateSchema,
  alertListQuery,
  isCidrText,
  ruleTestRequest,
  validateConditions,
  type RuleType,
} from '@siem/contracts';
import type { z } from 'zod';
import { zodDetails } from '../../src/lib/zod-details.ts';

type Detail = { field: string; type: string };

function conditionDetails(ruleType: RuleType, conditions: unknown): Detail[] {
  const result = validateConditions(ruleType, conditions);
  if (result.ok) return [];
  return zodDetails(result.error, conditions).map(({ field, type }) => ({ field, type }));
}

function bodyDetails(schema: z.ZodType, body: unknown): Detail[] {
  const result = schema.safeParse(body);
  if (result.success) return [];
  return zodDetails(result.error, body).map(({ field, type }) => ({ field, type }));
}

const threshold = (over: Record<string, unknown> = {}) => ({
  event_filter: { event_type: 'login_failure' },
  threshold: 5,
  window_seconds: 300,
  group_by: 'source_ip',
  ...over,
});
const filter = (f: unknown) => threshold({ event_filter: f });
const sequence = (over: Record<string, unknown> = {}) => ({
  steps: [{ event_filter: { event_type: 'login_failure' }, count: 3 }, { event_filter: { event_type: 'login_success' } }],
  window_seconds: 600,
  group_by: 'source_ip',
  ...over,
});
const aggregation = (over: Record<string, unknown> = {}) => ({
  event_filter: {},
  aggregation: 'count_distinct',
  aggregation_field: 'username',
  threshold: 10,
  window_seconds: 60,
  group_by: 'source_ip',
  ...over,
});

const CONDITION_CASES: Array<[string, RuleType, unknown, Detail[]]> = [
  ['valid threshold', 'threshold', threshold(), []],
  ['empty filter matches everything', 'threshold', filter({}), []],
  ['extra keys are allowed', 'threshold', threshold({ note: 'kept' }), []],
  ['numeric strings are integers', 'threshold', threshold({ threshold: '5', window_seconds: ' 60 ' }), []],
  ['missing threshold', 'threshold', { event_filter: {}, window_seconds: 1, group_by: 'username' }, [{ field: 'threshold', type: 'missing' }]],
  ['threshold 0', 'threshold', threshold({ threshold: 0 }), [{ field: 'threshold', type: 'greater_than_equal' }]],
  ['fractional window', 'threshold', threshold({ window_seconds: 1.5 }), [{ field: 'window_seconds', type: 'int_from_float' }]],
  ['text window', 'threshold', threshold({ window_seconds: 'five' }), [{ field: 'window_seconds', type: 'int_parsing' }]],
  ['filter not an object', 'threshold', filter('x'), [{ field: 'event_filter', type: 'dict_type' }]],
  ['missing filter', 'threshold', { threshold: 1, window_seconds: 1, group_by: 'username' }, [{ field: 'event_filter', type: 'missing' }]],
  ['unknown group_by', 'threshold', threshold({ group_by: 'src' }), [{ field: 'group_by', type: 'value_error' }]],
  ['group_by not a string', 'threshold', threshold({ group_by: 3 }), [{ field: 'group_by', type: 'string_type' }]],
  ['normalized group_by', 'threshold', threshold({ group_by: 'normalized.service' }), []],
  ['bare normalized. prefix', 'threshold', threshold({ group_by: 'normalized.' }), [{ field: 'group_by', type: 'value_error' }]],
  ['valid sequence', 'sequence', sequence(), []],
  ['one step', 'sequence', sequence({ steps: [{ event_filter: {} }] }), [{ field: 'steps', type: 'too_short' }]],
  ['steps not a list', 'sequence', sequence({ steps: {} }), [{ field: 'steps', type: 'list_type' }]],
  ['step count 0', 'sequence', sequence({ steps: [{ event_filter: {} }, { event_filter: {}, count: 0 }] }), [{ field: 'steps.1.count', type: 'greater_than_equal' }]],
  ['step without filter', 'sequence', sequence({ steps: [{ event_filter: {} }, { count: 2 }] }), [{ field: 'steps.1.event_filter', type: 'missing' }]],
  ['bad operator inside a step', 'sequence', sequence({ steps: [{ event_filter: {} }, { event_filter: { source_ip: { cidr: 'x' } } }] }), [{ field: 'steps.1.event_filter.source_ip.cidr', type: 'value_error' }]],
  ['valid aggregation', 'aggregation', aggregation(), []],
  ['aggregation other than count_distinct', 'aggregation', aggregation({ aggregation: 'sum' }), [{ field: 'aggregation', type: 'literal_error' }]],
  ['missing aggregation_field', 'aggregation', { ...aggregation(), aggregation_field: undefined }, [{ field: 'aggregation_field', type: 'missing' }]],
  ['unknown aggregation_field', 'aggregation', aggregation({ aggregation_field: 'user' }), [{ field: 'aggregation_field', type: 'value_error' }]],
  ['conditions not an object', 'threshold', 42, [{ field: '', type: 'model_type' }]],
  ['missing group_by', 'threshold', { event_filter: {}, threshold: 1, window_seconds: 1 }, [{ field: 'group_by', type: 'missing' }]],
  ['group_by list', 'threshold', threshold({ group_by: ['source_ip', 'username', 'process.name'] }), []],
  ['group_by empty list', 'threshold', threshold({ group_by: [] }), [{ field: 'group_by', type: 'too_short' }]],
  ['group_by too many', 'threshold', threshold({ group_by: ['a.a', 'a.b', 'a.c', 'a.d', 'a.e', 'a.f'] }), [{ field: 'group_by', type: 'too_long' }]],
  ['group_by list with a typo', 'threshold', threshold({ group_by: ['source_ip', 'usr'] }), [{ field: 'group_by.1', type: 'value_error' }]],
  ['exceptions', 'threshold', threshold({ exceptions: [{ source_ip: { cidr: '10.0.0.0/8' } }, { username: 'svc' }] }), []],
  ['exceptions not a list', 'threshold', threshold({ exceptions: { username: 'x' } }), [{ field: 'exceptions', type: 'list_type' }]],
  ['bad exception located', 'threshold', threshold({ exceptions: [{}, { username: { gt: 'x' } }] }), [{ field: 'exceptions.1.username.gt', type: 'float_type' }]],
  ['single without group_by or window', 'single', { event_filter: { event_type: 'process_start' } }, []],
  ['single with group_by', 'single', { event_filter: {}, group_by: ['hostname', 'username'] }, []],
  ['single without filter', 'single', {}, [{ field: 'event_filter', type: 'missing' }]],
  ['unordered sequence', 'sequence', sequence({ ordered: false }), []],
  ['ordered not a boolean', 'sequence', sequence({ ordered: 'no' }), [{ field: 'ordered', type: 'bool_type' }]],
];

for (const [name, ruleType, conditions, expected] of CONDITION_CASES) {
  test(`conditions (${ruleType}): ${name} -> ${expected.length === 0 ? 'valid' : expected.map((d) => `${d.field}:${d.type}`).join(', ')}`, () => {
    assert.deepEqual(conditionDetails(ruleType, conditions), expected);
  });
}

const FILTER_CASES: Array<[string, unknown, Detail[]]> = [
  ['equality string', { username: 'root' }, []],
  ['empty equality string', { username: '' }, []],
  ['number instead of string', { dest_port: 22 }, [{ field: 'event_filter.dest_port', type: 'string_type' }]],
  ['null value', { dest_port: null }, [{ field: 'event_filter.dest_port', type: 'string_type' }]],
  ['list value (any of)', { dest_port: ['22', 23] }, []],
  ['empty list value', { dest_port: [] }, [{ field: 'event_filter.dest_port', type: 'too_short' }]],
  ['list item null', { dest_port: ['22', null] }, [{ field: 'event_filter.dest_port.1', type: 'string_type' }]],
  ['unknown field', { usrname: 'root' }, [{ field: 'event_filter.usrname', type: 'value_error' }]],
  ['normalized field', { 'normalized.result': 'failure' }, []],
  ['in', { event_type: { in: ['a', 'b'] } }, []],
  ['in empty', { event_type: { in: [] } }, [{ field: 'event_filter.event_type.in', type: 'too_short' }]],
  ['in not a list', { event_type: { in: 'a' } }, [{ field: 'event_filter.event_type.in', type: 'list_type' }]],
  ['in with a number', { event_type: { in: ['a', 2] } }, [{ field: 'event_filter.event_type.in.1', type: 'string_type' }]],
  ['not', { username: { not: 'root' } }, []],
  ['not a number', { username: { not: 1 } }, [{ field: 'event_filter.username.not', type: 'string_type' }]],
  ['exists', { username: { exists: true } }, []],
  ['exists as text', { username: { exists: 'yes' } }, [{ field: 'event_filter.username.exists', type: 'bool_type' }]],
  ['contains', { 'normalized.command_line': { contains: '-enc' } }, []],
  ['contains empty', { hostname: { contains: '' } }, [{ field: 'event_filter.hostname.contains', type: 'string_too_short' }]],
  ['startswith', { hostname: { startswith: 'web-' } }, []],
  ['endswith a number', { hostname: { endswith: 1 } }, [{ field: 'event_filter.hostname.endswith', type: 'string_type' }]],
  ['gt', { dest_port: { gt: 1024 } }, []],
  ['gte fractional', { 'normalized.bytes_sent': { gte: 1.5 } }, []],
  ['lt as text', { dest_port: { lt: '1024' } }, [{ field: 'event_filter.dest_port.lt', type: 'float_type' }]],
  ['lte', { dest_port: { lte: 0 } }, []],
  ['cidr v4', { source_ip: { cidr: '10.0.0.0/8' } }, []],
  ['cidr v6', { source_ip: { cidr: '2001:db8::/32' } }, []],
  ['cidr bare host', { source_ip: { cidr: '192.0.2.7' } }, []],
  ['cidr prefix too long', { source_ip: { cidr: '10.0.0.0/33' } }, [{ field: 'event_filter.source_ip.cidr', type: 'value_error' }]],
  ['cidr v6 prefix too long', { source_ip: { cidr: '::/129' } }, [{ field: 'event_filter.source_ip.cidr', type: 'value_error' }]],
  ['cidr garbage', { source_ip: { cidr: 'ten.0.0.0/8' } }, [{ field: 'event_filter.source_ip.cidr', type: 'value_error' }]],
  ['cidr number', { source_ip: { cidr: 10 } }, [{ field: 'event_filter.source_ip.cidr', type: 'string_type' }]],
  ['unknown operator', { username: { matches: '.*' } }, [{ field: 'event_filter.username', type: 'value_error' }]],
  ['two operators (both hold)', { dest_port: { gt: 1, lt: 5 } }, []],
  ['regex', { username: { regex: '^adm(in)?$' } }, []],
  ['regex too long', { username: { regex: 'a'.repeat(1001) } }, [{ field: 'event_filter.username.regex', type: 'string_too_long' }]],
  ['negated operators', { username: { not_contains: ['x', 'y'], not_regex: 'z', not_cidr: '10.0.0.0/8', not_equals: 'root' } }, []],
  ['cased and of', { 'process.command_line': { contains: ['-enc', 'bypass'], of: 'all', cased: true } }, []],
  ['of with a bad value', { username: { contains: 'x', of: 'some' } }, [{ field: 'event_filter.username.of', type: 'literal_error' }]],
  ['cased not a boolean', { username: { contains: 'x', cased: 'yes' } }, [{ field: 'event_filter.username.cased', type: 'bool_type' }]],
  ['modifier without operator', { username: { cased: true } }, [{ field: 'event_filter.username', type: 'value_error' }]],
  ['wildcard list', { hostname: { wildcard: ['dc-*', 'web-??'] } }, []],
  ['equals number', { dest_port: { equals: [22, '2222', true] } }, []],
  ['equals object item', { dest_port: { equals: [{}] } }, [{ field: 'event_filter.dest_port.equals.0', type: 'string_type' }]],
  ['in_list', { source_ip: { in_list: 'scanners' } }, []],
  ['in_list bad name', { source_ip: { in_list: 'Bad Name' } }, [{ field: 'event_filter.source_ip.in_list', type: 'value_error' }]],
  ['cidr list', { source_ip: { cidr: ['10.0.0.0/8', 'x'] } }, [{ field: 'event_filter.source_ip.cidr.1', type: 'value_error' }]],
  ['any / all / not', { any: [{ username: 'root' }, { all: [{ hostname: 'a' }, { not: { dest_port: '22' } }] }] }, []],
  ['any empty', { any: [] }, [{ field: 'event_filter.any', type: 'too_short' }]],
  ['any not a list', { any: { username: 'x' } }, [{ field: 'event_filter.any', type: 'list_type' }]],
  ['not with a bad field', { not: { usrname: 'x' } }, [{ field: 'event_filter.not.usrname', type: 'value_error' }]],
  ['nested error located', { any: [{ username: 'a' }, { hostname: { gt: 'x' } }] }, [{ field: 'event_filter.any.1.hostname.gt', type: 'float_type' }]],
  ['dotted parsed field', { 'process.command_line': { contains: 'x' }, 'fields.dns.question.name': 'a' }, []],
  ['raw path', { 'raw.winlog.event_data.User': 'x', 'raw.message': { contains: 'y' } }, []],
  ['raw with an empty segment', { 'raw.a..b': 'x' }, [{ field: 'event_filter.raw.a..b', type: 'value_error' }]],
  ['message column', { message: { contains: 'Failed password' } }, []],
  ['no operator', { dest_port: {} }, [{ field: 'event_filter.dest_port', type: 'value_error' }]],
  [
    'every problem is reported',
    { usrname: 'x', dest_port: 22, source_ip: { cidr: 'nope' } },
    [
      { field: 'event_filter.usrname', type: 'value_error' },
      { field: 'event_filter.dest_port', type: 'string_type' },
      { field: 'event_filter.source_ip.cidr', type: 'value_error' },
    ],
  ],
];

for (const [name, f, expected] of FILTER_CASES) {
  test(`event_filter: ${name}`, () => {
    assert.deepEqual(conditionDetails('threshold', filter(f)), expected);
  });
}

test('an unknown field message lists the valid fields', () => {
  const result = validateConditions('threshold', filter({ usrname: 'x' }));
  assert.equal(result.ok, false);
  const [detail] = zodDetails((result as { error: z.ZodError }).error, {});
  assert.match(detail!.message, /username/);
  assert.match(detail!.message, /normalized\.<key>/);
});

test('an unknown operator message lists the valid operators', () => {
  const result = validateConditions('threshold', filter({ username: { matches: 'x' } }));
  const [detail] = zodDetails((result as { error: z.ZodError }).error, {});
  assert.match(detail!.message, /in, not, exists, gt, gte, lt, lte, equals, contains, startswith, endswith, wildcard, regex, cidr, in_list/);
});

test('a filter nested deeper than the limit is refused at the level that is too deep', () => {
  let deep: Record<string, unknown> = { username: 'x' };
  for (let i = 0; i < 20; i++) deep = { not: deep };
  const details = conditionDetails('threshold', filter(deep));
  assert.equal(details.length, 1);
  assert.equal(details[0]!.type, 'value_error');
  assert.equal(details[0]!.field, `event_filter.${Array(17).fill('not').join('.')}`);
});

test('a filter with more predicates than the limit is refused once', () => {
  const any = Array.from({ length: 40 }, () => ({ username: Array.from({ length: 60 }, (_, i) => ({ contains: `u${i}` })) }));
  const details = conditionDetails('threshold', filter({ any }));
  assert.equal(details.length, 1);
  assert.equal(details[0]!.type, 'too_long');
});

test('validated conditions keep extra keys and do not fill step defaults', () => {
  const result = validateConditions('sequence', sequence({ note: 'x' }));
  assert.ok(result.ok);
  assert.equal(result.value.note, 'x');
  assert.equal(result.value.steps[1]!.count, undefined);
});

const CIDRS: Array<[string, boolean]> = [
  ['0.0.0.0/0', true], ['10.0.0.0/8', true], ['10.1.2.3', true], ['::/0', true], ['fe80::/10', true],
  ['::ffff:10.0.0.0/104', true], ['2001:db8:0:0:0:0:0:1/128', true], ['10.0.0.0/', false], ['10.0.0/8', false],
  ['10.0.0.0/08', false], ['01.0.0.0/8', false], ['1::2::3/64', false], ['1:2:3:4:5:6:7:8:9/64', false], ['', false],
];
for (const [text, valid] of CIDRS) {
  test(`isCidrText(${JSON.stringify(text)}) is ${valid}`, () => assert.equal(isCidrText(text), valid));
}

const RULE_BODY = { name: 'SSH guessing', rule_type: 'threshold', conditions: threshold(), severity: 'high' };

test('rule create: defaults are filled', () => {
  const parsed = RuleCreateSchema.parse(RULE_BODY);
  assert.equal(parsed.description, '');
  assert.equal(parsed.enabled, true);
  assert.equal(parsed.mitre_tactic, null);
  assert.equal(parsed.mitre_technique, null);
  assert.equal(parsed.cooldown_seconds, null);
});

const CREATE_CASES: Array<[string, unknown, Detail[]]> = [
  ['valid with MITRE', { ...RULE_BODY, mitre_tactic: 'TA0006', mitre_technique: 'T1110.001' }, []],
  ['technique without sub-id', { ...RULE_BODY, mitre_technique: 'T1110' }, []],
  ['empty MITRE texts', { ...RULE_BODY, mitre_tactic: '', mitre_technique: '' }, []],
  ['bad tactic', { ...RULE_BODY, mitre_tactic: 'TA6' }, [{ field: 'mitre_tactic', type: 'string_pattern_mismatch' }]],
  ['bad technique', { ...RULE_BODY, mitre_technique: 'T1110.1' }, [{ field: 'mitre_technique', type: 'string_pattern_mismatch' }]],
  ['empty name', { ...RULE_BODY, name: '' }, [{ field: 'name', type: 'string_too_short' }]],
  ['long name', { ...RULE_BODY, name: 'x'.repeat(201) }, [{ field: 'name', type: 'string_too_long' }]],
  ['unknown rule_type', { ...RULE_BODY, rule_type: 'anomaly' }, [{ field: 'rule_type', type: 'enum' }]],
  ['conditions not an object', { ...RULE_BODY, conditions: [] }, [{ field: 'conditions', type: 'dict_type' }]],
  ['missing severity', { ...RULE_BODY, severity: undefined }, [{ field: 'severity', type: 'missing' }]],
  ['enabled as word', { ...RULE_BODY, enabled: 'off' }, []],
  ['enabled garbage', { ...RULE_BODY, enabled: 'maybe' }, [{ field: 'enabled', type: 'bool_parsing' }]],
  ['negative cooldown', { ...RULE_BODY, cooldown_seconds: -1 }, [{ field: 'cooldown_seconds', type: 'greater_than_equal' }]],
  ['zero cooldown', { ...RULE_BODY, cooldown_seconds: 0 }, []],
  ['empty body', {}, ['name', 'rule_type', 'conditions', 'severity'].map((field) => ({ field, type: 'missing' }))],
];
for (const [name, body, expected] of CREATE_CASES) {
  test(`rule create: ${name}`, () => assert.deepEqual(bodyDetails(RuleCreateSchema, body), expected));
}

test('rule update: absent and null both read as unchanged; rule_type is stripped', () => {
  const parsed = RuleUpdateSchema.parse({ name: null, enabled: 'no', rule_type: 'sequence', mitre_tactic: '' });
  assert.deepEqual({ ...parsed }, { name: undefined, enabled: false, mitre_tactic: '' });
  assert.equal('rule_type' in parsed, false);
  assert.deepEqual(bodyDetails(RuleUpdateSchema, { severity: 'urgent', name: '' }), [
    { field: 'name', type: 'string_too_short' },
    { field: 'severity', type: 'enum' },
  ]);
});

test('rule test request: default and configurable bounds', () => {
  assert.deepEqual(ruleTestRequest(72).parse({}), { hours: 24 });
  assert.deepEqual(ruleTestRequest(72, 12).parse({ hours: '6' }), { hours: 6 });
  assert.deepEqual(bodyDetails(ruleTestRequest(72), { hours: 73 }), [{ field: 'hours', type: 'less_than_equal' }]);
  assert.deepEqual(bodyDetails(ruleTestRequest(48), { hours: 0 }), [{ field: 'hours', type: 'greater_than_equal' }]);
});

test('alert status update: enum status, optional nullable notes', () => {
  assert.deepEqual(AlertStatusUpdateSchema.parse({ status: 'resolved' }), { status: 'resolved' });
  assert.deepEqual(bodyDetails(AlertStatusUpdateSchema, { status: 'closed', notes: 3 }), [
    { field: 'status', type: 'enum' },
    { field: 'notes', type: 'string_type' },
  ]);
});

test('alert list query: filters are optional, instants parse to ms', () => {
  const schema = alertListQuery({ perPage: 50, maxPerPage: 200 });
  const parsed = schema.parse({ status: 'new', since: '2026-03-01T00:00:00Z', severity: '' });
  assert.equal(parsed.page, 1);
  assert.equal(parsed.per_page, 50);
  assert.equal(parsed.status, 'new');
  assert.equal(parsed.severity, undefined);
  assert.equal(parsed.since, Date.UTC(2026, 2, 1));
  assert.deepEqual(bodyDetails(schema, { until: 'yesterday' }), [{ field: 'until', type: 'value_error' }]);
});
