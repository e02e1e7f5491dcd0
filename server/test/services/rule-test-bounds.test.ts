// Rule tests are bounded: history is read in pages of the fields correlation needs (on
// PGlite and the PostgreSQL server), never more than RULE_TEST_MAX_EVENTS rows, and only a
// few tests replay at once; more answer 429 with Retry-After.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import type { EngineEventInput } from '../../src/engine/correlation/event.ts';
import { isAppError } from '../../src/errors.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createRuleService } from '../../src/services/rules.ts';
import type { Db } from '../../src/store/db.ts';
import { createEventsRepo } from '../../src/store/events-repo.ts';
import type { EventsRepo, NewEvent, ReplayCursor } from '../../src/store/events-repo.ts';
import { createRollupsRepo } from '../../src/store/rollups-repo.ts';
import type { RuleAuditRepo } from '../../src/store/rule-audit-repo.ts';
import type { RuleRecord, RulesRepo } from '../../src/store/rules-repo.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

const rule: RuleRecord = {
  id: 'a'.repeat(24),
  name: 'Brute force',
  description: '',
  rule_type: 'threshold',
  conditions: { event_filter: { event_type: 'login_failure' }, threshold: 3, window_seconds: 60, group_by: 'source_ip' },
  severity: 'high',
  enabled: true,
  mitre_tactic: null,
  mitre_technique: null,
  cooldown_seconds: null,
  suppression: null,
  tags: [],
  builtin_key: null,
  origin: null,
  mitre_techniques: [],
  created_at: new Date(NOW).toISOString(),
  updated_at: new Date(NOW).toISOString(),
};

const rulesRepo = { findById: async (id: string) => (id === rule.id ? rule : null) } as unknown as RulesRepo;

function engineEvent(i: number): EngineEventInput {
  return {
    id: newObjectId(NOW), timestamp: new Date(NOW - 3_600_000 + i * 1000).toISOString(), source_type: 'auth', severity: 'medium',
    event_type: 'login_failure', source_ip: `198.51.100.${i % 7}`, dest_ip: null, source_port: null, dest_port: null, hostname: null,
    username: null, mitre_tactic: null, mitre_technique: null, scenario_run_id: null, normalized: {},
  };
}

/** An events repo whose history has `total` rows; records each page asked for, and can hold pages back. */
function pagedHistory(total: number) {
  const asked: number[] = [];
  let gate: Promise<void> = Promise.resolve();
  const repo = {
    async replayPage(_since: number, cursor: ReplayCursor | null, limit: number) {
      asked.push(limit);
      await gate;
      const from = cursor ? cursor.seq : 0;
      const n = Math.max(0, Math.min(limit, total - from));
      const events = Array.from({ length: n }, (_, i) => engineEvent(from + i));
      return { events, next: n === limit && from + n < total ? { ts: '', seq: from + n } : null };
    },
  } as unknown as EventsRepo;
  return {
    repo,
    asked,
    hold(): () => void {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    },
  };
}

function service(events: EventsRepo, opts: { testMaxEvents?: number; testMaxConcurrent?: number } = {}) {
  // Rule tests touch neither the audit trail nor transactions: those stay unused here.
  return createRuleService({
    db: {} as Db, audit: {} as RuleAuditRepo, rules: rulesRepo, events, bus: createMemoryBus({ maxLen: 100 }), log: pino({ level: 'silent' }),
    cooldownMs: 300_000, testMaxEvents: opts.testMaxEvents ?? 200_000, testMaxConcurrent: opts.testMaxConcurrent ?? 2,
    testPageSize: 1000, clock: () => NOW,
  });
}

describe('rule test bounds', () => {
  it('reads history in pages and never asks for more rows than RULE_TEST_MAX_EVENTS', async () => {
    const history = pagedHistory(10_000);
    const result = await service(history.repo, { testMaxEvents: 2500 }).test(rule.id, 72);
    assert.deepEqual(history.asked, [1000, 1000, 500]);
    assert.equal(result.events_evaluated, 2500);
    assert.ok(result.alerts_would_fire > 0);
  });

  it('stops at the end of history', async () => {
    const history = pagedHistory(1500);
    const result = await service(history.repo).test(rule.id, 72);
    assert.deepEqual(history.asked, [1000, 1000]);
    assert.equal(result.events_evaluated, 1500);
  });

  it('answers 429 with Retry-After when the concurrent rule tests are all taken, and takes new ones once they end', async () => {
    const history = pagedHistory(100);
    const svc = service(history.repo, { testMaxConcurrent: 2 });
    const open = history.hold();
    const running = [svc.test(rule.id, 72), svc.test(rule.id, 72)];
    await assert.rejects(svc.test(rule.id, 72), (err) => isAppError(err) && err.code === 'RULE_TEST_BUSY' && err.status === 429 && (err.retryAfter ?? 0) > 0);
    open();
    await Promise.all(running);
    assert.equal((await svc.test(rule.id, 72)).events_evaluated, 100);
  });

  it('a failing replay gives its slot back', async () => {
    const failing = { replayPage: async () => Promise.reject(new Error('store down')) } as unknown as EventsRepo;
    const svc = service(failing, { testMaxConcurrent: 1 });
    await assert.rejects(svc.test(rule.id, 72), /store down/);
    await assert.rejects(svc.test(rule.id, 72), /store down/, 'not RULE_TEST_BUSY: the slot was released');
  });
});

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`replay pages on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => ({ db, drop } = await openTestDb(kind)));
    after(async () => drop());

    it('walks history in event-time order, each event once, ties and microseconds included, with only the fields rules read', async () => {
      const events = createEventsRepo(db);
      const base = Date.parse('2026-02-01T10:00:00Z');
      const stored: NewEvent[] = Array.from({ length: 25 }, (_, i) => ({
        id: newObjectId(base), fields: null, timeMs: base + Math.floor(i / 4) * 1000, source_type: 'auth', severity: 'medium', event_type: 'login_failure',
        source_ip: '192.0.2.1', dest_ip: null, source_port: null, dest_port: null, hostname: null, username: `u${i}`, mitre_tactic: null,
        mitre_technique: null, message: 'big text', raw: { blob: 'x'.repeat(100) }, normalized: { n: i }, metadata: { m: 1 }, scenario_run_id: null,
        createdAtMs: base,
      }));
      await db.transaction(async (tx) => {
        await events.insertMany(tx, stored);
        await createRollupsRepo(db).applyBatch(tx, stored);
      });
      // A microsecond part the JavaScript clock cannot hold must not repeat or skip rows.
      await db.query(`UPDATE log_events SET ts = ts + interval '0.000123 seconds' WHERE username IN ('u4', 'u5')`);

      const seen: EngineEventInput[] = [];
      let cursor: ReplayCursor | null = null;
      let pages = 0;
      do {
        const page = await events.replayPage(base - 1000, cursor, 3);
        seen.push(...page.events);
        cursor = page.next;
        pages++;
      } while (cursor && pages < 100);
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen.map((e) => e.id)).size, 25);
      const times = seen.map((e) => e.timeMs);
      assert.deepEqual(times, [...times].sort((a, b) => a! - b!));
      const keys = Object.keys(seen[0]!).sort();
      assert.deepEqual(keys, ['dest_ip', 'dest_port', 'event_type', 'fields', 'hostname', 'id', 'message', 'mitre_tactic', 'mitre_technique', 'normalized', 'scenario_run_id', 'severity', 'source_ip', 'source_port', 'source_type', 'timeMs', 'username']);
      assert.deepEqual(seen[0]!.normalized, { n: 0 });
      // The record as it arrived only when a rule reads raw.* paths.
      const withRaw = await events.replayPage(base - 1000, null, 1, { raw: true });
      assert.deepEqual(withRaw.events[0]!.raw, { blob: 'x'.repeat(100) });
    });
  });
}
