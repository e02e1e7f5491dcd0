// Per-rule figures: the engine counts matches, errors, groups and firings per rule; a rule
// that throws is logged with its id, name and error (the first time, then at most once a
// minute with the count in between) and stops nothing; the correlating process publishes
// the view, and a process that does not correlate serves what was published.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createCorrelationEngine } from '../../src/engine/correlation/index.ts';
import type { CompiledRule } from '../../src/engine/rules/compile.ts';
import { createMetrics } from '../../src/metrics.ts';
import { ERROR_LOG_EVERY_MS, createCorrelationRuleStats, mergeRuleViews } from '../../src/services/correlation-rules.ts';
import { createAppStateRepo } from '../../src/store/app-state-repo.ts';
import { openTestDb } from '../helpers/store.ts';
import { ev, failures } from '../engine/correlation-fixtures.ts';

/** A logger whose lines the test reads. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

/**
 * A compiled rule whose filter throws on every event. No stored rule can do that (the
 * compiler refuses what cannot run), so this fault is injected.
 */
function throwing(base: CompiledRule): CompiledRule {
  const spec = { ...base.spec, match: () => { throw new TypeError('field getter broke'); } } as CompiledRule['spec'];
  return { ...base, spec };
}

describe('per-rule correlation figures', () => {
  it('a throwing rule is logged with id and name, rate-limited, and the other rules still fire', () => {
    const { log, lines } = capture();
    const metrics = createMetrics();
    let now = Date.UTC(2026, 2, 1);
    const stats = createCorrelationRuleStats({ metrics, log, clock: () => now });
    const good = failures(3, 60, { id: 'a'.repeat(24), name: 'good' });
    const bad = throwing(failures(3, 60, { id: 'b'.repeat(24), name: 'bad one' }));
    const engine = createCorrelationEngine({ cooldownMs: 300_000, onRuleError: stats.ruleError });
    engine.setRules([good, bad]);
    stats.leaderStarted();
    stats.setRules([good, bad], []);
    let fired = 0;
    for (let i = 0; i < 5; i++) fired += engine.process(ev(i, { event_type: 'login_failure', source_ip: '192.0.2.1' })).length;
    assert.equal(fired, 1, 'the good rule fired once (cooldown after)');

    const errorsLogged = () => lines.filter((l) => l.rule_id === bad.id);
    assert.equal(errorsLogged().length, 1, 'first error logged at once, the next four held back');
    const first = errorsLogged()[0]!;
    assert.equal(first.rule_name, 'bad one');
    assert.match(String(first.error), /TypeError: field getter broke/);
    assert.equal(first.level, 50);

    const byRule = new Map(engine.ruleStats().map((s) => [s.ruleId, s]));
    assert.deepEqual({ ...byRule.get(good.id) }, { ruleId: good.id, matched: 5, groups: 1, trackedEvents: 5, errors: 0, fired: 1 });
    assert.equal(byRule.get(bad.id)!.errors, 5);

    // A minute later the held-back errors are reported in one line with their count.
    now += ERROR_LOG_EVERY_MS;
    stats.sync(engine.ruleStats());
    assert.equal(errorsLogged().length, 2);
    assert.equal(errorsLogged()[1]!.errors, 4);
    stats.sync(engine.ruleStats());
    assert.equal(errorsLogged().length, 2, 'nothing new to report');
  });

  it('folds the engine counters into metrics once, and counts from 0 again after a takeover replay', async () => {
    const { log } = capture();
    const metrics = createMetrics();
    const stats = createCorrelationRuleStats({ metrics, log });
    const rule = failures(2, 60, { id: 'c'.repeat(24), name: 'two' });
    const engine = createCorrelationEngine({ cooldownMs: 300_000 });
    engine.setRules([rule]);
    stats.leaderStarted();
    stats.setRules([rule], []);
    // Replayed history: counted by the previous owner.
    engine.process(ev(0, { event_type: 'login_failure', source_ip: '192.0.2.2' }));
    stats.baseline(engine.ruleStats());
    engine.process(ev(1, { event_type: 'login_failure', source_ip: '192.0.2.3' }));
    engine.process(ev(2, { event_type: 'other', source_ip: '192.0.2.3' }));
    stats.sync(engine.ruleStats());
    stats.sync(engine.ruleStats());
    const text = await metrics.registry.metrics();
    assert.ok(text.includes(`siem_correlation_rule_events_total{rule_id="${rule.id}"} 1`), text);
    assert.ok(text.includes(`siem_correlation_rule_groups{rule_id="${rule.id}"} 2`));
    // The rule stops running: its series go.
    stats.setRules([], []);
    assert.ok(!(await metrics.registry.metrics()).includes(rule.id));
  });

  it('a process that does not correlate serves the view the correlating one published', async () => {
    const { db, drop } = await openTestDb('pglite');
    try {
      const appState = createAppStateRepo(db);
      const { log } = capture();
      const leader = createCorrelationRuleStats({ metrics: createMetrics(), log, appState });
      const standby = createCorrelationRuleStats({ metrics: createMetrics(), log, appState });
      assert.deepEqual(await standby.current(), { updated_at: null, since: null, rules: [] });
      const rule = failures(2, 60, { id: 'd'.repeat(24), name: 'published' });
      leader.leaderStarted();
      leader.setRules([rule], [{ ruleId: 'e'.repeat(24), ruleName: 'cannot', message: 'threshold: Input should be a valid integer', error: new Error('x') as never }]);
      leader.alertsRaised([{ rule_id: rule.id }]);
      await leader.publish();
      const seen = await standby.current();
      assert.deepEqual(seen, await leader.current().then((v) => ({ ...v, updated_at: seen.updated_at })));
      assert.deepEqual(seen.rules.map((r) => [r.rule_name, r.alerts, r.last_error]), [
        ['cannot', 0, 'cannot run: threshold: Input should be a valid integer'],
        ['published', 1, null],
      ]);
    } finally {
      await drop();
    }
  });
});

describe('the view of several processes', () => {
  it('adds up alerts, errors and groups, takes the largest match count and the newest error', () => {
    const rule = (over: Record<string, unknown>) => ({ rule_id: 'r1', rule_name: 'brute', events_matched: 0, alerts: 0, errors: 0, groups: 0, last_error: null, last_error_at: null, ...over });
    const merged = mergeRuleViews([
      { updated_at: '2026-11-30T10:00:05.000Z', since: '2026-11-30T09:00:00.000Z', rules: [rule({ events_matched: 100, alerts: 2, groups: 5, errors: 1, last_error: 'old', last_error_at: '2026-11-30T09:30:00.000Z' })] },
      { updated_at: '2026-11-30T10:00:01.000Z', since: '2026-11-30T09:10:00.000Z', rules: [rule({ events_matched: 98, alerts: 3, groups: 4, errors: 2, last_error: 'new', last_error_at: '2026-11-30T09:40:00.000Z' }), { ...rule({ rule_id: 'r2', rule_name: 'another' }), groups: 1 }] },
    ]);
    assert.equal(merged.updated_at, '2026-11-30T10:00:05.000Z');
    assert.equal(merged.since, '2026-11-30T09:00:00.000Z');
    assert.deepEqual(merged.rules.map((r) => r.rule_id), ['r2', 'r1'], 'sorted by name');
    assert.deepEqual(merged.rules[1], rule({ events_matched: 100, alerts: 5, groups: 9, errors: 3, last_error: 'new', last_error_at: '2026-11-30T09:40:00.000Z' }));
    assert.deepEqual(mergeRuleViews([]), { updated_at: null, since: null, rules: [] });
  });
});
