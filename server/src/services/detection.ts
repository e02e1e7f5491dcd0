// The live correlation loop. One process at a time runs it (a store lock elects the
// leader; a standby takes over when the leader dies): it reads the "logs" stream through a
// consumer group, feeds the engine, persists the alerts idempotently (firing key), then
// publishes them and acknowledges the events. Pending entries of a dead consumer are
// claimed and replayed; a replayed firing finds its key taken and raises nothing new.
import type { AlertFeedItem } from '@siem/contracts';
import type { Logger } from 'pino';
import type { Bus, BusMessage } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import { createCorrelationEngine } from '../engine/correlation/index.ts';
import type { Firing } from '../engine/correlation/index.ts';
import { toEngineEvent } from '../engine/correlation/event.ts';
import { loadRules } from '../engine/rules/load.ts';
import { newObjectId } from '../lib/object-id.ts';
import type { Metrics } from '../metrics.ts';
import type { AlertRecord, AlertsRepo } from '../store/alerts-repo.ts';
import type { Db } from '../store/db.ts';
import type { RulesRepo } from '../store/rules-repo.ts';
import type { BusEvent } from './event-messages.ts';
import { RULES_CHANGED } from './rules.ts';

export const CORRELATION_GROUP = 'correlation';

export interface DetectionDeps {
  db: Db;
  bus: Bus;
  rules: RulesRepo;
  alerts: AlertsRepo;
  metrics: Metrics;
  log: Logger;
  cooldownMs: number;
  maxMatchedIds: number;
  /** Safety net: rules are also reloaded this often even without a change notice. */
  reloadMs: number;
  consumer: string;
  /** Pending entries idle this long are taken over (their consumer is presumed dead). */
  claimIdleMs?: number;
  blockMs?: number;
  clock?: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Windows advance with the newest event time seen, so one event stamped far in the future
 * would age out every window at once. Events beyond this skew are stored but not correlated.
 */
const MAX_FUTURE_SKEW_MS = 10 * 60_000;

/** Remembers recently processed event ids so a redelivery is acked, not counted twice. */
function recentIds(capacity: number) {
  const set = new Set<string>();
  return {
    has: (id: string) => set.has(id),
    add(id: string) {
      set.add(id);
      if (set.size > capacity) set.delete(set.values().next().value as string);
    },
  };
}

export function toAlertFeedItem(a: AlertRecord): AlertFeedItem {
  return { id: a.id, rule_name: a.rule_name, severity: a.severity, title: a.title, group_value: a.group_value, matched_event_count: a.matched_event_count, status: a.status };
}

export function createDetectionService(deps: DetectionDeps) {
  const { db, bus, log, metrics } = deps;
  const clock = deps.clock ?? Date.now;
  const claimIdleMs = deps.claimIdleMs ?? 30_000;
  const blockMs = deps.blockMs ?? 500;
  const engine = createCorrelationEngine({ cooldownMs: deps.cooldownMs, maxMatchedIds: deps.maxMatchedIds });
  const seen = recentIds(100_000);
  let running = false;
  let leader = false;
  let releaseLock: (() => Promise<void>) | null = null;
  let rulesDirty = true;
  let lastReload = 0;
  const loops: Promise<void>[] = [];
  const counters = { processed: 0, alerts: 0, duplicates: 0, errors: 0, future: 0 };

  async function reloadRules(): Promise<void> {
    rulesDirty = false;
    lastReload = clock();
    const stored = await deps.rules.list({ enabledOnly: true });
    const { rules, failures } = loadRules(stored);
    for (const f of failures) log.error({ rule_id: f.ruleId, rule: f.ruleName, problem: f.message }, 'rule cannot run; skipped');
    engine.setRules(rules);
  }

  async function persist(firings: Firing[]): Promise<AlertRecord[]> {
    return db.transaction(async (tx) => {
      const created: AlertRecord[] = [];
      for (const f of firings) {
        const alert = await deps.alerts.insertFiring(tx, {
          id: newObjectId(clock()),
          firing_key: f.key,
          rule_id: f.rule_id,
          rule_name: f.rule_name,
          severity: f.severity,
          title: f.title,
          matched_event_ids: f.matched_event_ids,
          matched_event_count: f.matched_event_count,
          group_value: f.group_value,
          mitre_tactic: f.mitre_tactic,
          mitre_technique: f.mitre_technique,
          firedAtMs: f.fired_at_ms,
        });
        if (alert) {
          created.push(alert);
          await deps.alerts.linkEvents(tx, alert.id, f.matched_event_ids);
        } else counters.duplicates++;
      }
      return created;
    });
  }

  /** Persists with retries: the events stay unacknowledged until their alerts are stored. */
  async function persistUntilStored(firings: Firing[]): Promise<AlertRecord[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await persist(firings);
      } catch (err) {
        if (!running) throw err;
        log.error({ err, attempt }, 'storing alerts failed; retrying');
        await sleep(Math.min(5000, 250 * 2 ** attempt));
      }
    }
  }

  async function handle(messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (rulesDirty || clock() - lastReload >= deps.reloadMs) await reloadRules();
    const firings: Firing[] = [];
    for (const msg of messages) {
      if (seen.has(msg.id)) continue;
      seen.add(msg.id);
      try {
        const event = toEngineEvent(JSON.parse(msg.payload) as BusEvent);
        if (event.timeMs > clock() + MAX_FUTURE_SKEW_MS) {
          counters.future++;
          continue;
        }
        for (const f of engine.process(event)) firings.push(f);
        counters.processed++;
      } catch (err) {
        counters.errors++;
        log.warn({ err, id: msg.id }, 'skipping an event the engine could not read');
      }
    }
    const created = firings.length > 0 ? await persistUntilStored(firings) : [];
    counters.alerts += created.length;
    if (created.length > 0) {
      try {
        await bus.publish(STREAMS.alerts, created.map((a) => JSON.stringify(toAlertFeedItem(a))));
      } catch (err) {
        metrics.publishFailures.inc({ stream: STREAMS.alerts });
        log.error({ err, count: created.length }, 'publishing alerts failed (they are stored)');
      }
    }
    await bus.ack(STREAMS.logs, CORRELATION_GROUP, messages.map((m) => m.id));
  }

  async function consumeLoop(): Promise<void> {
    let lastClaim = 0;
    while (running) {
      try {
        if (clock() - lastClaim >= Math.min(claimIdleMs, 5000)) {
          lastClaim = clock();
          await handle(await bus.claimStale(STREAMS.logs, CORRELATION_GROUP, deps.consumer, claimIdleMs, 500));
        }
        await handle(await bus.readGroup(STREAMS.logs, CORRELATION_GROUP, deps.consumer, { count: 500, blockMs }));
      } catch (err) {
        if (!running) break;
        counters.errors++;
        log.error({ err }, 'correlation loop failed; retrying in 1 s');
        await sleep(1000);
      }
    }
  }

  async function controlLoop(): Promise<void> {
    let position = await bus.lastId(STREAMS.control).catch(() => '0-0');
    while (running) {
      try {
        const messages = await bus.read(STREAMS.control, position, { count: 100, blockMs });
        for (const msg of messages) {
          position = msg.id;
          if (msg.payload.includes(RULES_CHANGED)) rulesDirty = true;
        }
        if (rulesDirty) await reloadRules();
      } catch (err) {
        if (!running) break;
        log.warn({ err }, 'control feed read failed; retrying');
        await sleep(1000);
      }
    }
  }

  async function becomeLeader(): Promise<void> {
    while (running && !leader) {
      const release = await db.tryLock('correlation').catch((err: unknown) => {
        log.warn({ err }, 'leader election failed; retrying');
        return null;
      });
      if (release) {
        releaseLock = release;
        leader = true;
        break;
      }
      await sleep(2000);
    }
    if (!running) return;
    log.info({ consumer: deps.consumer }, 'correlation engine running in this process');
    await bus.ensureGroup(STREAMS.logs, CORRELATION_GROUP, '$');
    await reloadRules();
    loops.push(controlLoop(), consumeLoop());
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      loops.push(
        becomeLeader().catch((err) => {
          log.error({ err }, 'correlation engine failed to start');
        }),
      );
    },

    /** Marks rules for reload before the next batch (this process changed one). */
    rulesChanged(): void {
      rulesDirty = true;
    },

    isLeader: () => leader,

    stats: () => ({ ...counters, leader, engine: engine.stats() }),

    async stop(): Promise<void> {
      running = false;
      await Promise.allSettled(loops);
      if (releaseLock) await releaseLock().catch(() => {});
      releaseLock = null;
      leader = false;
    },
  };
}
export type DetectionService = ReturnType<typeof createDetectionService>;
