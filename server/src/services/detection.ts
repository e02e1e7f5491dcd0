// The live correlation loop. One process at a time runs it (a store session lock elects
// the leader; a standby takes over when the leader's session dies). The store is the
// source of truth: the leader walks stored events in log order from its checkpoint, feeds
// the engine, and stores the alerts together with the new checkpoint in one transaction,
// so each event is correlated exactly once whatever dies when. A new leader first replays
// the recent history up to the checkpoint to rebuild the open windows and cooldowns. The
// bus only wakes the loop up (new events; rule and list changes through the control
// channel); when it is down the loop polls and reloads the rules every few seconds.
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import { createCorrelationEngine } from '../engine/correlation/index.ts';
import type { CorrelationEngine, Firing } from '../engine/correlation/index.ts';
import { toEngineEvent } from '../engine/correlation/event.ts';
import type { CompiledRule } from '../engine/rules/compile.ts';
import { listResolver, NO_LISTS, type SharedList } from '../engine/rules/lists.ts';
import { loadRules } from '../engine/rules/load.ts';
import { newObjectId } from '../lib/object-id.ts';
import type { Metrics } from '../metrics.ts';
import type { AlertRecord, AlertsRepo } from '../store/alerts-repo.ts';
import type { Checkpoint, CorrelationRepo, Cursor, CursorEvent } from '../store/correlation-repo.ts';
import type { Db, SessionLock } from '../store/db.ts';
import type { OutboxRepo } from '../store/outbox-repo.ts';
import type { RulesRepo } from '../store/rules-repo.ts';
import { toAlertFeedItem } from './alert-feed.ts';
import { publishOrPark } from './bus-outbox.ts';
import type { ControlChannel } from './control.ts';
import { createCorrelationRuleStats } from './correlation-rules.ts';
import type { CorrelationRuleStatsTracker } from './correlation-rules.ts';
import { createNewsWait } from './news-wait.ts';

/** Name of the checkpoint row and of the leader lock. */
export const CORRELATION = 'correlation';

export interface DetectionDeps {
  db: Db;
  bus: Bus;
  rules: RulesRepo;
  /** The shared lists rules may reference (in_list); none when absent. */
  lists?: () => Promise<SharedList[]>;
  alerts: AlertsRepo;
  correlation: CorrelationRepo;
  outbox?: OutboxRepo;
  metrics: Metrics;
  log: Logger;
  cooldownMs: number;
  maxMatchedIds: number;
  /** Safety net: rules are also reloaded this often even without a change notice. */
  reloadMs: number;
  /** Rule and list changes announced by any process (none: only rulesChanged() and the reloads). */
  control?: ControlChannel;
  /** Per-rule figures (metrics, error log, the rules view); one of its own when absent. */
  ruleStats?: CorrelationRuleStatsTracker;
  consumer: string;
  /** Events read and checkpointed at once (default 1000). */
  batchSize?: number;
  /** Most events replayed on takeover (default 500,000; the newest are kept). */
  replayMax?: number;
  /** How far behind the newest event time an event still correlates (default 24 h). */
  maxLatenessMs?: number;
  /** Longest wait for news before looking at the store again (default 500 ms). */
  idleMs?: number;
  /** How often the leader proves it is alive while idle (default 2 s). */
  heartbeatMs?: number;
  clock?: () => number;
}

const STATES = ['stopped', 'electing', 'standby', 'replaying', 'running'] as const;
export type DetectionState = (typeof STATES)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The newest event time seen decides which events are late, so one event stamped far in
 * the future would make every current event late. Events beyond this skew are stored but
 * not correlated.
 */
const MAX_FUTURE_SKEW_MS = 10 * 60_000;
/** Attempts to store one batch's alerts before this process gives correlation up and re-elects. */
const PERSIST_ATTEMPTS = 6;
/** Longest time correlated progress that raised nothing goes without a checkpoint. */
const CHECKPOINT_EVERY_MS = 250;
/**
 * Rule reload interval while no control message can arrive (bus down, or no channel):
 * changes made in another process then still apply within a few seconds. A reload costs
 * one query and a compile of the enabled rules; the state of unchanged rules is kept.
 */
export const FALLBACK_RELOAD_MS = 2000;
/** Per-rule counters and lag are folded into the metrics this often while busy. */
const OBSERVE_EVERY_MS = 1000;

class LeadershipLost extends Error {}

export function createDetectionService(deps: DetectionDeps) {
  const { db, bus, log, metrics, correlation } = deps;
  const clock = deps.clock ?? Date.now;
  const batchSize = deps.batchSize ?? 1000;
  const replayMax = deps.replayMax ?? 500_000;
  const maxLatenessMs = deps.maxLatenessMs ?? 86_400_000;
  const idleMs = deps.idleMs ?? 500;
  const heartbeatMs = deps.heartbeatMs ?? 2000;
  const ruleStats = deps.ruleStats ?? createCorrelationRuleStats({ metrics, log, clock });
  let running = false;
  let state: DetectionState = 'stopped';
  const setState = (next: DetectionState): void => {
    state = next;
    for (const s of STATES) metrics.correlationState.set({ state: s }, s === next ? 1 : 0);
  };
  let rulesDirty = true;
  // Whether a running rule reads raw.* paths: only then do reads load the record as it arrived.
  let readRaw = false;
  let lastReload = 0;
  const news = createNewsWait(bus, idleMs);
  const markDirty = () => {
    rulesDirty = true;
    news.wake();
  };
  // Rules that use shared lists are compiled against their content; after a gap in the
  // control stream a change may have been missed.
  for (const type of ['rules_changed', 'lists_changed'] as const) deps.control?.on(type, markDirty);
  deps.control?.onGap(markDirty);
  const reloadEvery = () => (deps.control?.isLive() ? deps.reloadMs : Math.min(deps.reloadMs, FALLBACK_RELOAD_MS));
  const loops: Promise<void>[] = [];
  const counters = { processed: 0, alerts: 0, duplicates: 0, errors: 0, future: 0, late: 0, replayed: 0, takeovers: 0 };

  async function reloadRules(engine: CorrelationEngine): Promise<CompiledRule[]> {
    rulesDirty = false;
    lastReload = clock();
    const stored = await deps.rules.list({ enabledOnly: true }).catch((err: unknown) => {
      rulesDirty = true; // a change noticed meanwhile must not be forgotten
      throw err;
    });
    const { rules, failures } = loadRules(stored, { lists: deps.lists ? listResolver(await deps.lists()) : NO_LISTS });
    readRaw = rules.some((r) => r.usesRaw);
    engine.setRules(rules);
    ruleStats.setRules(rules, failures); // logs a rule that cannot run (once per problem)
    return rules;
  }

  /** Feeds one event; the firings it caused (none for an unreadable or far-future event). */
  function feed(engine: CorrelationEngine, input: CursorEvent): readonly Firing[] {
    try {
      const event = toEngineEvent(input);
      if (event.timeMs > clock() + MAX_FUTURE_SKEW_MS) {
        counters.future++;
        return [];
      }
      return engine.process(event);
    } catch (err) {
      counters.errors++;
      log.warn({ err, id: input.id }, 'skipping an event the engine could not read');
      return [];
    }
  }

  async function persist(firings: Firing[], epoch: number, last: CursorEvent, engine: CorrelationEngine): Promise<AlertRecord[]> {
    const highWater = engine.stats().highWaterMs;
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
      const lastMs = last.timeMs;
      const moved = await correlation.advance(tx, CORRELATION, epoch, {
        cursor: last.cursor,
        highWaterMs: Number.isFinite(highWater) ? highWater : null,
        lastEventId: last.id,
        lastEventMs: Number.isFinite(lastMs) ? lastMs : null,
      });
      // Another process took correlation over: nothing of this batch may be kept.
      if (!moved) throw new LeadershipLost('the checkpoint was taken over by another process');
      return created;
    });
  }

  /** Stores a batch's outcome, retrying transient store failures while the lock holds. */
  async function persistBatch(firings: Firing[], epoch: number, last: CursorEvent, engine: CorrelationEngine, lock: SessionLock): Promise<AlertRecord[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await persist(firings, epoch, last, engine);
      } catch (err) {
        if (err instanceof LeadershipLost || !running || lock.lost || attempt >= PERSIST_ATTEMPTS) throw err;
        counters.errors++;
        log.error({ err, attempt }, 'storing a correlation batch failed; retrying');
        await sleep(Math.min(5000, 250 * 2 ** attempt));
      }
    }
  }

  /**
   * Rebuilds the windows and cooldowns open at the checkpoint: the events up to it whose
   * time is within the lateness plus the longest window plus cooldown of its high-water
   * mark H, in log order. Every event still to come that is not late is at or after
   * H - lateness, so only entries from H - lateness - window on can share its window, and
   * only firings from H - lateness - cooldown on can hold it back (those firings need their
   * own window before them). Late events are decided alike: the replayed events include
   * every earlier one that could have raised the high-water mark above the horizon.
   * Their firings were stored with the checkpoint that passed them, so they are dropped;
   * so is their late count (the previous owner counted them).
   */
  async function replay(engine: CorrelationEngine, rules: CompiledRule[], cp: Checkpoint, lock: SessionLock): Promise<void> {
    if (cp.highWaterMs === null || rules.length === 0 || replayMax === 0) return;
    const horizonMs = maxLatenessMs + Math.max(...rules.map((r) => r.windowMs + (r.cooldownMs ?? deps.cooldownMs)));
    const sinceMs = cp.highWaterMs - horizonMs;
    const start = await correlation.historyStart(cp.cursor, sinceMs, replayMax);
    if (!start) return;
    if (start.total > replayMax) {
      log.warn({ kept: replayMax }, 'correlation history too long to replay whole (more than CORRELATION_REPLAY_MAX_EVENTS); the oldest part is skipped');
    }
    let after: Cursor = start.after;
    let replayed = 0;
    for (;;) {
      if (!running || lock.lost) throw new LeadershipLost('stopped while replaying');
      const batch = await correlation.readHistory(after, cp.cursor, sinceMs, batchSize, { raw: readRaw });
      for (const e of batch) feed(engine, e);
      replayed += batch.length;
      if (batch.length < batchSize) break;
      after = batch[batch.length - 1]!.cursor;
    }
    counters.replayed += replayed;
    metrics.correlationReplayed.inc(replayed);
    log.info({ replayed, since: new Date(sinceMs).toISOString() }, 'correlation windows rebuilt from the store');
  }

  /** Runs correlation while this process holds the lock; returns or throws when it must stop. */
  async function lead(lock: SessionLock): Promise<void> {
    const engine = createCorrelationEngine({ cooldownMs: deps.cooldownMs, maxMatchedIds: deps.maxMatchedIds, maxLatenessMs, onRuleError: ruleStats.ruleError });
    const cp = await correlation.claim(CORRELATION, deps.consumer);
    counters.takeovers++;
    setState('replaying');
    ruleStats.leaderStarted();
    const rules = await reloadRules(engine);
    await replay(engine, rules, cp, lock);
    ruleStats.baseline(engine.ruleStats());
    let lastObserved = 0;
    /** Per-rule counters and lags into the metrics, at most once a second. */
    const observe = async (last: CursorEvent | null): Promise<void> => {
      if (clock() - lastObserved < OBSERVE_EVERY_MS) return;
      lastObserved = clock();
      ruleStats.sync(engine.ruleStats());
      if (last) ruleStats.lag(last.timeMs, await correlation.receivedAt(last.cursor).catch(() => null));
    };
    let lateSeen = engine.stats().lateEvents;
    setState('running');
    metrics.correlationLeader.set(1);
    log.info({ consumer: deps.consumer, epoch: cp.epoch }, 'correlation engine running in this process');
    let cursor = cp.cursor;
    let lastBeat = clock();
    let full = true;
    let failures = 0;
    let unsaved: CursorEvent | null = null;
    let lastSave = clock();
    while (running && !lock.lost) {
      let batch: CursorEvent[];
      let position: string | null = null;
      try {
        if (rulesDirty || clock() - lastReload >= reloadEvery()) await reloadRules(engine);
        // Taken before reading the store, so an event published after the read still wakes us.
        position = full ? null : await news.position();
        batch = await correlation.readAfter(cursor, batchSize, { raw: readRaw });
        if (batch.length === 0 && clock() - lastBeat >= heartbeatMs) {
          lastBeat = clock();
          if (!(await correlation.heartbeat(CORRELATION, cp.epoch))) throw new LeadershipLost('the checkpoint was taken over by another process');
        }
        failures = 0;
      } catch (err) {
        if (err instanceof LeadershipLost) throw err;
        // Reading changes nothing: a busy or briefly unreachable store is waited out by
        // the owner, which keeps its lock and its windows.
        failures++;
        counters.errors++;
        log.warn({ err, failures }, 'reading events for correlation failed; retrying');
        await sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
        continue;
      }
      full = batch.length === batchSize;
      if (batch.length === 0) {
        // Caught up: progress not yet checkpointed is stored before waiting.
        if (unsaved) {
          await persistBatch([], cp.epoch, unsaved, engine, lock);
          unsaved = null;
          lastSave = clock();
        }
        await observe(null);
        await news.wait(position);
        continue;
      }
      const firings: Firing[] = [];
      for (const e of batch) for (const f of feed(engine, e)) firings.push(f);
      const last = batch[batch.length - 1]!;
      cursor = last.cursor;
      counters.processed += batch.length;
      metrics.correlationProcessed.inc(batch.length);
      const late = engine.stats().lateEvents;
      if (late > lateSeen) {
        counters.late += late - lateSeen;
        metrics.correlationLate.inc(late - lateSeen);
        lateSeen = late;
      }
      await observe(last);
      // Alerts are stored with the checkpoint at once. A batch that raised nothing may wait
      // (a commit per small batch is what an embedded store pays most for): a new owner
      // would correlate it again from the older checkpoint, with the same outcome.
      if (firings.length === 0 && clock() - lastSave < CHECKPOINT_EVERY_MS) {
        unsaved = last;
        continue;
      }
      const created = await persistBatch(firings, cp.epoch, last, engine, lock);
      unsaved = null;
      lastSave = clock();
      lastBeat = clock();
      counters.alerts += created.length;
      ruleStats.alertsRaised(created);
      if (created.length > 0) {
        metrics.correlationAlerts.inc(created.length);
        await publishOrPark({ bus, outbox: deps.outbox, metrics, log }, STREAMS.alerts, created.map((a) => a.id), () =>
          created.map((a) => JSON.stringify(toAlertFeedItem(a))),
        );
      }
    }
  }

  async function elect(): Promise<SessionLock | null> {
    setState('electing');
    while (running) {
      const lock = await db.tryLock(CORRELATION).catch((err: unknown) => {
        log.warn({ err }, 'leader election failed; retrying');
        return null;
      });
      if (lock) return lock;
      setState('standby');
      await sleep(1000);
    }
    return null;
  }

  async function run(): Promise<void> {
    while (running) {
      const lock = await elect();
      if (!lock) break;
      lock.onLost((err) => log.error({ err }, 'correlation leadership lost (store session ended); re-electing'));
      try {
        await lead(lock);
      } catch (err) {
        if (running) {
          counters.errors++;
          metrics.correlationErrors.inc();
          log.error({ err }, 'correlation stopped in this process; re-electing');
        }
      } finally {
        metrics.correlationLeader.set(0);
        ruleStats.leaderStopped();
        await lock.release().catch(() => {});
      }
      if (running) await sleep(1000);
    }
    setState('stopped');
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      loops.push(run());
    },

    /** Marks rules for reload before the next batch (this process changed one). */
    rulesChanged: markDirty,

    isLeader: () => state === 'running' || state === 'replaying',

    state: () => state,

    stats: () => ({ ...counters, leader: state === 'running' }),

    /** Per-rule figures: live while leading, else the leader's last published view. */
    rulesView: () => ruleStats.current(),

    async stop(): Promise<void> {
      running = false;
      await Promise.allSettled(loops);
      loops.length = 0;
      setState('stopped');
    },
  };
}
export type DetectionService = ReturnType<typeof createDetectionService>;
