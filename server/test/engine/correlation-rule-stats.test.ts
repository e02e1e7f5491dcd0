// engine.ruleStats(): per rule, the events that matched its filter (or a step), whether or
// not they had a group value, the firings, the groups and recorded events it holds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCorrelationEngine } from '../../src/engine/correlation/index.ts';
import { ev, makeRule } from './correlation-fixtures.ts';

const fail = (s: number, ip: string | null) => ev(s, { event_type: 'login_failure', source_ip: ip });
const ok = (s: number, ip: string) => ev(s, { event_type: 'login_success', source_ip: ip });
const EVENTS = [fail(0, '192.0.2.1'), fail(1, '192.0.2.1'), fail(2, null), ok(3, '192.0.2.1'), ev(4, { event_type: 'other', source_ip: '192.0.2.1' })];

const CASES = [
  { type: 'single', conditions: { event_filter: { event_type: 'login_failure' } }, matched: 3, fired: 3, groups: 0 },
  { type: 'threshold', conditions: { event_filter: { event_type: 'login_failure' }, threshold: 2, window_seconds: 60, group_by: 'source_ip' }, matched: 3, fired: 1, groups: 1 },
  { type: 'aggregation', conditions: { event_filter: {}, aggregation: 'count_distinct', aggregation_field: 'event_type', threshold: 2, window_seconds: 60, group_by: 'source_ip' }, matched: 5, fired: 1, groups: 1 },
  { type: 'sequence', conditions: { steps: [{ event_filter: { event_type: 'login_failure' }, count: 2 }, { event_filter: { event_type: 'login_success' } }], window_seconds: 60, group_by: 'source_ip' }, matched: 4, fired: 1, groups: 1 },
  { type: 'sequence', conditions: { ordered: false, steps: [{ event_filter: { event_type: 'login_success' } }, { event_filter: { event_type: 'login_failure' } }], window_seconds: 60, group_by: 'source_ip' }, matched: 4, fired: 1, groups: 1 },
] as const;

describe('engine.ruleStats', () => {
  for (const c of CASES) {
    it(`counts matches, firings and groups of a ${'ordered' in c.conditions ? 'unordered ' : ''}${c.type} rule`, () => {
      const rule = makeRule(c.type, c.conditions);
      const engine = createCorrelationEngine({ cooldownMs: 300_000 });
      engine.setRules([rule]);
      let fired = 0;
      for (const e of EVENTS) fired += engine.process(e).length;
      const [stats] = engine.ruleStats();
      assert.equal(fired, c.fired);
      assert.deepEqual({ ...stats, trackedEvents: undefined }, { ruleId: rule.id, matched: c.matched, fired: c.fired, groups: c.groups, errors: 0, trackedEvents: undefined });
    });
  }
});
