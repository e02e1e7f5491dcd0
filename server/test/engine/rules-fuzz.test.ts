// Random rule conditions, well-formed and not: the check a rule save runs must answer
// "valid" or a located problem, never throw, and what it accepts must compile and run on
// events without throwing. Seeded, so a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_TYPES, type RuleType } from '@siem/contracts';
import { checkConditions, prepareRule } from '../../src/engine/rules/load.ts';
import { listResolver } from '../../src/engine/rules/lists.ts';
import { ev } from './correlation-fixtures.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FIELDS = ['username', 'source_ip', 'dest_port', 'message', 'process.name', 'fields.a.b', 'raw.x.y', 'normalized.k', 'usrname', '', 'a..b', 'event_type'];
const OPS = ['in', 'not', 'exists', 'gt', 'lte', 'equals', 'contains', 'startswith', 'endswith', 'wildcard', 'regex', 'cidr', 'in_list', 'not_contains', 'not_regex', 'not_in_list', 'bogus', 'cased', 'of'];
const SCALARS: unknown[] = ['x', '', 'root', '10.0.0.0/8', '(?=a)', '(a+)+$', '*\\\\x*', 'a'.repeat(5000), 3, -1.5, Number.MAX_VALUE, true, null, 'scanners', 'no-list', 'all', 'any'];

// Half the rules are drawn from valid parts only, so the accepted side is exercised too.
let sane = false;
const SANE_FIELDS = ['username', 'source_ip', 'message', 'process.name', 'raw.x.y', 'normalized.k'];
const SANE_OPS = ['equals', 'contains', 'startswith', 'endswith', 'wildcard', 'not_contains', 'not_equals'];
const SANE_SCALARS = ['x', 'root', 'ro*t', 'a?'];

function value(rand: () => number, depth: number): unknown {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  if (sane) {
    const r = rand();
    if (r < 0.3) return pick(SANE_SCALARS);
    if (r < 0.5) return [pick(SANE_SCALARS), pick(SANE_SCALARS)];
    return { [pick(SANE_OPS)]: rand() < 0.5 ? pick(SANE_SCALARS) : [pick(SANE_SCALARS), pick(SANE_SCALARS)], ...(rand() < 0.3 ? { cased: true } : {}) };
  }
  const r = rand();
  if (r < 0.3) return pick(SCALARS);
  if (r < 0.45) return Array.from({ length: Math.floor(rand() * 4) }, () => (rand() < 0.7 ? pick(SCALARS) : value(rand, depth + 1)));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 3); i >= 0; i--) obj[pick(OPS)] = rand() < 0.6 ? pick(SCALARS) : value(rand, depth + 1);
  return obj;
}

function filter(rand: () => number, depth: number): unknown {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  if (!sane && (depth > 5 || rand() < 0.05)) return pick(SCALARS);
  if (sane && depth > 4) return {};
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 4); i >= 0; i--) {
    const r = rand();
    const n = Math.floor(rand() * 3) + (sane ? 1 : 0);
    if (r < 0.15) out.any = Array.from({ length: n }, () => filter(rand, depth + 1));
    else if (r < 0.25) out.all = Array.from({ length: n }, () => filter(rand, depth + 1));
    else if (r < 0.35) out.not = filter(rand, depth + 1);
    else out[pick(sane ? SANE_FIELDS : FIELDS)] = value(rand, depth);
  }
  return out;
}

function conditions(rand: () => number): unknown {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const c: Record<string, unknown> = {
    event_filter: filter(rand, 0),
    threshold: sane ? 1 : pick([1, 2, 0, 'x']),
    window_seconds: sane ? 60 : pick([60, 0, 1e9]),
    group_by: sane ? pick<unknown>(['username', ['source_ip', 'process.name']]) : pick<unknown>(['username', ['source_ip', 'process.name'], [], 'usrname', 3]),
  };
  if (rand() < 0.3) c.exceptions = Array.from({ length: Math.floor(rand() * 3) }, () => filter(rand, 1));
  if (rand() < 0.3 || sane) c.steps = Array.from({ length: (sane ? 2 : 1) + Math.floor(rand() * 3) }, () => ({ event_filter: filter(rand, 1), count: sane ? 1 : pick([1, 2, 0]) }));
  if (rand() < 0.2) c.ordered = sane ? rand() < 0.5 : pick([true, false, 'no']);
  if (rand() < 0.2 || sane) c.aggregation = 'count_distinct';
  if (rand() < 0.2 || sane) c.aggregation_field = pick(sane ? SANE_FIELDS : FIELDS);
  return c;
}

const ctx = { lists: listResolver([{ name: 'scanners', kind: 'ip', items: ['10.0.0.0/8'] }]) };
const events = [
  ev(0, { username: 'root', source_ip: '10.1.1.1', dest_port: 22, message: 'x root', fields: { 'process.name': 'a', 'a.b': 3 }, raw: { x: { y: 'root' } } }),
  ev(1, {}),
];

test('random conditions: checked without throwing; what is accepted compiles and runs', () => {
  const rand = rng(20261130);
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    sane = i % 2 === 0;
    const ruleType: RuleType = RULE_TYPES[Math.floor(rand() * RULE_TYPES.length)]!;
    const c = conditions(rand);
    const checked = checkConditions(ruleType, c, ctx);
    if (!checked.ok) continue;
    accepted++;
    const prepared = prepareRule({ id: 'r', name: 'r', rule_type: ruleType, conditions: c, severity: 'low', mitre_tactic: null, mitre_technique: null }, ctx);
    assert.ok(prepared.ok, `accepted conditions compile: ${JSON.stringify(c).slice(0, 300)}`);
    const spec = prepared.rule.spec;
    const matchers = spec.type === 'sequence' ? spec.steps.map((s) => s.match) : [spec.match];
    for (const e of events) for (const m of matchers) assert.equal(typeof m(e), 'boolean');
  }
  assert.ok(accepted > 500, `the generator reaches valid rules (${accepted})`);
  console.log(`accepted ${accepted} of 3000`);
});
