// The live correlation loop (a batch is stored by correlation-batches.ts). The work is split into partitions by (rule, group)
// (engine/correlation/partition.ts); each partition belongs to one process at a time, as
// the membership assigns them, and every process correlates the partitions it owns. The
// store is the source of truth: a process walks stored events in log order from its
// partitions' checkpoints, feeds an engine that keeps state only for the groups of those
// partitions, and stores the alerts together with the new checkpoints in one transaction,
// so each (rule, group) sees every event exactly once whatever dies when. A process taking
// partitions over first replays the recent history up to their checkpoints to rebuild the
// open windows and cooldowns. The bus only wakes the loop up (new events; rule and list
// changes through the control channel); when it is down the loop polls and reloads the
// rules every few seconds.
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import { createCorrelationEngine } from '../engine/correlation/index.ts';
import type { CorrelationEngine, Firing } from '../engine/correlation/index.ts';
import { toEngineEvent } from '../engine/correlation/event.ts';
import type { CompiledRule } from '../engine/rules/compile.ts';
import { listResolver, NO_LISTS, type SharedList } from '../engine/rules/lists.ts';
import { loadRules } from '../engine/rules/load.ts';
import type { Metrics } from '../metrics.ts';
import type { AlertsRepo } from '../store/alerts-repo.ts';
import { compareCursors, type Claim, type CorrelationRepo, type Cursor, type CursorEvent } from '../store/correlation-repo.ts';
import { CORRELATION_PARTITIONS } from '../engine/correlation/partition.ts';
import type { Membership } from './correlation-membership.ts';
import type { Db } from '../store/db.ts';
import type { OutboxRepo } from '../store/outbox-repo.ts';
import type { RulesRepo } from '../store/rules-repo.ts';
import { toAlertFeedItem } from './alert-feed.ts';
import { publishOrPark } from './bus-outbox.ts';
import type { ControlChannel } from './control.ts';
import { createCorrelationRuleStats } from './correlation-rules.ts';
import type { CorrelationRuleStatsTracker } from './correlation-rules.ts';
import { createNewsWait } from './news-wait.ts';
import { createCorrelationBatches, LeadershipLost } from './correlation-batches.ts';

const ALL_PARTITIONS: ReadonlySet<number> = new Set(Array.from({ length: CORRELATION_PARTITIONS }, (_, p) => p));

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
  /** Assigns the partitions among the processes (none: this process correlates them all). */
  membership?: Membership;
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


export function createDetectionService(deps: DetectionDeps) {
  const { db, bus, log, metrics, correlation, membership } = deps;
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
  // The partitions the running lead() holds.
  let owning: ReadonlySet<number> = new Set();
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

  const batches = createCorrelationBatches({
    db, alerts: deps.alerts, correlation, log, clock,
    isRunning: () => running,
    onDuplicate: () => void counters.duplicates++,
    onRetry: () => void counters.errors++,
    maxMatchedIds: deps.maxMatchedIds,
    onCounted: (counted) => metrics.correlationSuppressed.inc(counted.length),
  });
  const persistBatch = (firings: Firing[], claims: readonly Claim[], last: CursorEvent, engine: CorrelationEngine) =>
    batches.store(firings, claims, last, engine.stats().highWaterMs);

  /**
   * Rebuilds the windows and cooldowns open at the claimed checkpoints: the events up to
   * the lowest of them whose time is within the lateness plus the longest window plus
   * cooldown of the lowest high-water mark H, in log order (the events between the lowest
   * checkpoint and a higher one are fed by the live loop, their firings dropped for the
   * partitions already past them). Every event still to come that is not late is at or
   * after H - lateness, so only entries from H - lateness - window on can share its window,
   * and only firings from H - lateness - cooldown on can hold it back (those firings need
   * their own window before them). Late events are decided alike: the replayed events
   * include every earlier one that could have raised the high-water mark above the
   * horizon. Their firings were stored with the checkpoint that passed them, so they are
   * dropped; so is their late count (the previous owner counted them).
   */
  async function replay(engine: CorrelationEngine, rules: CompiledRule[], upTo: Cursor, highWaterMs: number | null, fence: () => boolean): Promise<void> {
    if (highWaterMs === null || rules.length === 0 || replayMax === 0) return;
    const horizonMs = maxLatenessMs + Math.max(...rules.map((r) => r.windowMs + (r.cooldownMs ?? deps.cooldownMs)));
    const sinceMs = highWaterMs - horizonMs;
    const start = await correlation.historyStart(upTo, sinceMs, replayMax);
    if (!start) return;
    if (start.total > replayMax) {
      log.warn({ kept: replayMax }, 'correlation history too long to replay whole (more than CORRELATION_REPLAY_MAX_EVENTS); the oldest part is skipped');
    }
    let after: Cursor = start.after;
    let replayed = 0;
    for (;;) {
      if (!fence()) throw new LeadershipLost('stopped while replaying');
      const batch = await correlation.readHistory(after, upTo, sinceMs, batchSize, { raw: readRaw });
      for (const e of batch) feed(engine, e);
      replayed += batch.length;
      if (batch.length < batchSize) break;
      after = batch[batch.length - 1]!.cursor;
    }
    counters.replayed += replayed;
    metrics.correlationReplayed.inc(replayed);
    log.info({ replayed, since: new Date(sinceMs).toISOString() }, 'correlation windows rebuilt from the store');
  }

  /**
   * Correlates the partitions `owned` (claimed now, fencing out any earlier owner) until
   * the membership wants a different set (returns, giving up what it no longer wants) or
   * this process must stop or lost a partition (throws).
   */
  async function lead(wanted: ReadonlySet<number>, version: number): Promise<void> {
    let owned = wanted;
    const checkpoints = await correlation.claimPartitions([...owned], deps.consumer);
    let claims: Claim[] = checkpoints.map((c) => ({ partition: c.partition, epoch: c.epoch }));
    let partitions = checkpoints.map((c) => c.partition);
    owning = new Set(partitions);
    const engine = createCorrelationEngine({
      cooldownMs: deps.cooldownMs, maxMatchedIds: deps.maxMatchedIds, maxLatenessMs, onRuleError: ruleStats.ruleError, owned,
    });
    counters.takeovers++;
    setState('replaying');
    membership?.report(partitions, 'replaying');
    ruleStats.leaderStarted();
    // Where each partition's previous owner got to: its firings up to there are stored.
    const reached = new Map(checkpoints.map((c) => [c.partition, c.cursor]));
    let cursor = checkpoints[0]!.cursor;
    let highWaterMs: number | null = null;
    for (const c of checkpoints) {
      if (compareCursors(c.cursor, cursor) < 0) cursor = c.cursor;
      if (c.highWaterMs !== null && (highWaterMs === null || c.highWaterMs < highWaterMs)) highWaterMs = c.highWaterMs;
    }
    const rules = await reloadRules(engine);
    const wantsSame = (): boolean => {
      if (!membership) return true;
      const target = membership.target();
      if (target.version === version) return true;
      version = target.version;
      return target.wanted.size === owned.size && [...owned].every((p) => target.wanted.has(p));
    };
    await replay(engine, rules, cursor, highWaterMs, () => running);
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
    membership?.report(partitions, 'running');
    metrics.correlationLeader.set(1);
    metrics.correlationPartitions.set(partitions.length);
    log.info({ consumer: deps.consumer, partitions }, 'correlating these partitions in this process');
    let lastBeat = clock();
    let full = true;
    let failures = 0;
    let unsaved: CursorEvent | null = null;
    let lastSave = clock();
    while (running) {
      if (!wantsSame()) {
        // Progress first, then what is no longer ours goes back.
        if (unsaved) await persistBatch([], claims, unsaved, engine);
        unsaved = null;
        const keep = membership!.target().wanted;
        await correlation.releasePartitions(claims.filter((c) => !keep.has(c.partition)));
        log.info({ partitions: [...keep] }, 'the partitions this process should correlate changed');
        // Only giving some up (another process joined): the engine goes on with the rest, no
        // replay; the state of the others is no longer touched and ages out. Gaining any
        // starts over with them claimed (their windows must be rebuilt).
        if (keep.size === 0 || ![...keep].every((p) => owned.has(p))) return;
        owned = keep;
        claims = claims.filter((c) => keep.has(c.partition));
        partitions = claims.map((c) => c.partition);
        owning = new Set(partitions);
        engine.setOwned(owned);
        membership?.report(partitions, 'running');
        metrics.correlationPartitions.set(partitions.length);
        continue;
      }
      let batch: CursorEvent[];
      let position: string | null = null;
      try {
        if (rulesDirty || clock() - lastReload >= reloadEvery()) await reloadRules(engine);
        // Taken before reading the store, so an event published after the read still wakes us.
        position = full ? null : await news.position();
        batch = await correlation.readAfter(cursor, batchSize, { raw: readRaw });
        if (batch.length === 0 && clock() - lastBeat >= heartbeatMs) {
          lastBeat = clock();
          if (!(await correlation.heartbeatPartitions(claims))) throw new LeadershipLost('a partition was taken over by another process');
        }
        failures = 0;
      } catch (err) {
        if (err instanceof LeadershipLost) throw err;
        // Reading changes nothing: a busy or briefly unreachable store is waited out by
        // the owner, which keeps its partitions and its windows.
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
          await persistBatch([], claims, unsaved, engine);
          unsaved = null;
          lastSave = clock();
        }
        await observe(null);
        await news.wait(position);
        continue;
      }
      const firings: Firing[] = [];
      for (const e of batch) {
        for (const f of feed(engine, e)) {
          // A partition's previous owner stored what fired up to its checkpoint.
          const from = reached.get(f.partition);
          if (from === undefined || compareCursors(e.cursor, from) > 0) firings.push(f);
        }
      }
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
      const created = await persistBatch(firings, claims, last, engine);
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
    // Stopping: the others may take these partitions at once.
    if (unsaved) await persistBatch([], claims, unsaved, engine).catch(() => {});
    await correlation.releasePartitions(claims).catch(() => {});
  }

  /** The partitions to correlate: all of them without a membership, else what it assigns. */
  async function target(): Promise<{ wanted: ReadonlySet<number>; version: number }> {
    if (!membership) return { wanted: ALL_PARTITIONS, version: 0 };
    return membership.target();
  }

  async function run(): Promise<void> {
    membership?.start();
    if (membership) await membership.changed(0);
    while (running) {
      const { wanted, version } = await target();
      if (wanted.size === 0) {
        setState('standby');
        membership?.report([], 'standby');
        await membership?.changed(heartbeatMs);
        continue;
      }
      try {
        await lead(wanted, version);
      } catch (err) {
        if (running) {
          counters.errors++;
          metrics.correlationErrors.inc();
          log.error({ err }, 'correlation stopped in this process; starting over from the checkpoints');
          await sleep(1000);
        }
      } finally {
        owning = new Set();
        metrics.correlationLeader.set(0);
        metrics.correlationPartitions.set(0);
        ruleStats.leaderStopped();
      }
    }
    setState('stopped');
    membership?.report([], 'stopping');
    await membership?.stop();
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

    /** The partitions this process correlates now (empty while it owns none). */
    partitions: (): number[] => [...owning].sort((a, b) => a - b),

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
