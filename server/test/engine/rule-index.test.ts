// The second-level rule index: rules filed under an anchor (a field's keys) meet only the
// events carrying those keys, and the result is exactly what offering every event to every
// rule gives. Checked on random rule sets and events against a brute-force evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCorrelationEngine } from '../../src/engine/correlation/index.ts';
import { anchorsOf, basenameOf } from '../../src/engine/rules/anchors.ts';
import { SubstringSet } from '../../src/engine/correlation/substrings.ts';
import { requiredLiteral } from '../../src/engine/rules/regex-literal.ts';
import { ev, makeRule } from './correlation-fixtures.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const IMAGES = ['cmd.exe', 'powershell.exe', 'rundll32.exe', 'regsvr32.exe', 'mshta.exe', 'certutil.exe', 'wmic.exe', 'bitsadmin.exe', 'net.exe', 'schtasks.exe'];
const DIRS = ['C:\\Windows\\System32\\', 'C:\\Windows\\SysWOW64\\', 'c:\\users\\public\\', '/usr/bin/'];

test('anchors: equality, lists, endswith a path and wildcards with a fixed last segment', () => {
  assert.deepEqual(anchorsOf({ 'process.executable': { endswith: '\\CMD.exe' } }), [[{ field: 'process.executable', derive: 'basename', keys: ['cmd.exe'] }]]);
  assert.deepEqual(anchorsOf({ 'process.executable': { wildcard: 'C:\\\\Windows\\\\*\\\\cmd.exe' } }), [[{ field: 'process.executable', derive: 'basename', keys: ['cmd.exe'] }]]);
  assert.deepEqual(anchorsOf({ 'process.name': ['A.exe', 'b.exe'] }), [[{ field: 'process.name', derive: 'lower', keys: ['a.exe', 'b.exe'] }]]);
  assert.deepEqual(anchorsOf({ any: [{ 'process.name': 'a.exe' }, { 'process.executable': { endswith: '/b' } }] }), [[
    { field: 'process.name', derive: 'lower', keys: ['a.exe'] },
    { field: 'process.executable', derive: 'basename', keys: ['b'] },
  ]]);
  assert.deepEqual(anchorsOf({ any: [{ 'process.name': 'a.exe' }, { 'process.command_line': { contains: 'X' } }] }), [[
    { field: 'process.name', derive: 'lower', keys: ['a.exe'] },
    { field: 'process.command_line', derive: 'contains', keys: ['x'] },
  ]]);
  assert.deepEqual(anchorsOf({ any: [{ 'process.name': 'a.exe' }, { 'process.command_line': { regex: 'x' } }] }), []);
  assert.deepEqual(anchorsOf({ not: { 'process.name': 'a.exe' } }), []);
  assert.deepEqual(anchorsOf({ 'process.executable': { endswith: 'cmd.exe' } }), [[{ field: 'process.executable', derive: 'contains', keys: ['cmd.exe'] }]], 'no separator: only a substring');
  assert.deepEqual(anchorsOf({ 'a.b': { contains: ['ab', 'abcd'], of: 'all' } }), [[{ field: 'a.b', derive: 'contains', keys: ['abcd'] }]], 'all of: the longest is necessary');
  assert.deepEqual(anchorsOf({ 'a.b': { startswith: 'Pre', equals: 'PreFix' } }), [[{ field: 'a.b', derive: 'lower', keys: ['prefix'] }]], 'an exact operator wins');
  assert.equal(basenameOf('C:\\Windows\\System32\\CMD.EXE'), 'cmd.exe');
});

test('regex literals: only what every match must contain', () => {
  const cases: Array<[string, string | null]> = [
    ['powershell.*-enc', 'powershell'],
    ['^Invoke-Mimikatz$', 'invoke-mimikatz'],
    ['\\$PSHome\\[\\s*\\d{1,3}\\s*\\]', '$pshome['],
    ['abc|defgh', null],
    ['(?i)echo.*clip', 'echo'],
    ['colou?r', 'colo'],
    ['ab*cdef', 'cdef'],
    ['xy+zzz', 'zzz'],
    ['(abc)?defg', 'defg'],
    ['[abc]def', 'def'],
    ['a\\x41bcd', 'bcd'],
    ['\\Qa.b*c\\E', 'a.b*c'],
    ['\\d+\\s\\w', null],
    ['cmd.{0,5}(?:/c|/r).+powershell', 'powershell'],
  ];
  for (const [pattern, literal] of cases) assert.equal(requiredLiteral(pattern), literal, pattern);
});

test('substring set: every occurrence of every needle, overlapping ones included', () => {
  const set = new SubstringSet();
  ['he', 'she', 'his', 'hers', 'ushers', 'x'].forEach((n, i) => set.add(n, i));
  set.build();
  const hits: number[] = [];
  const found = set.scan('ushers and his sheep', hits);
  const names = hits.slice(0, found).map((i) => ['he', 'she', 'his', 'hers', 'ushers', 'x'][i]).sort();
  assert.deepEqual(names, ['he', 'he', 'hers', 'his', 'she', 'she', 'ushers']);
  assert.equal(set.scan('nothing here', hits), 1); // "he" in "here"
});

test('the indexed engine raises exactly what offering every event to every rule raises', () => {
  const rand = rng(7);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const filters: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 120; i++) {
    const image = pick(IMAGES);
    const shapes: Array<Record<string, unknown>> = [
      { event_type: 'process_start', 'process.executable': { endswith: `\\${image}` } },
      { event_type: 'process_start', 'process.executable': { endswith: `\\${image}` }, 'process.command_line': { contains: pick(['-enc', '/c', 'http', 'x']) } },
      { event_type: 'process_start', any: [{ 'process.executable': { endswith: `\\${image}` } }, { 'process.pe.original_file_name': image.toUpperCase() }] },
      { event_type: 'process_start', 'process.name': [image, pick(IMAGES)] },
      { event_type: 'process_start', 'process.command_line': { contains: pick(['-enc', 'http', 'whoami']) } },
      { event_type: 'process_start', 'process.executable': { wildcard: `*\\\\${image}` }, not: { 'user.name': 'svc' } },
      { 'process.name': image },
      { event_type: 'process_start', 'process.command_line': { regex: `${image.replace('.', '\\.')}\\s+(-enc|/c)` } },
      { event_type: 'process_start', 'process.command_line': { regex: ['wh(o)?ami', 'http://\\w+'] } },
      { event_type: 'process_start', 'process.executable': { endswith: `\\${image}` }, 'process.command_line': { contains: ['-enc', 'http'], of: 'all' } },
      { event_type: 'process_start', 'process.command_line': { wildcard: `*${image}*-enc*` } },
    ];
    filters.push(pick(shapes));
  }
  const rules = filters.map((event_filter, i) => makeRule('single', { event_filter }, { id: `r${i}` }));
  const events = Array.from({ length: 3000 }, (_, i) => {
    const image = pick(IMAGES);
    const upper = rand() < 0.2;
    return ev(i, {
      event_type: rand() < 0.9 ? 'process_start' : 'other',
      fields: {
        'process.executable': `${pick(DIRS)}${upper ? image.toUpperCase() : image}`,
        'process.name': image,
        'process.pe.original_file_name': rand() < 0.5 ? image.toUpperCase() : 'OTHER.EXE',
        'process.command_line': `${image} ${pick(['-enc AAA', '/c whoami', 'http://x', ''])}`,
        'user.name': pick(['svc', 'bob']),
      },
    });
  });
  const engine = createCorrelationEngine({ cooldownMs: 0 });
  engine.setRules(rules);
  let compared = 0;
  for (const e of events) {
    const fired = new Set(engine.process(e).map((f) => f.rule_id));
    const expected = new Set(rules.filter((r) => r.spec.type === 'single' && r.spec.match(e)).map((r) => r.id));
    assert.deepEqual(fired, expected, `event ${e.id}`);
    compared += expected.size;
  }
  assert.ok(compared > 1000, `the workload exercises the rules (${compared} firings)`);
});
