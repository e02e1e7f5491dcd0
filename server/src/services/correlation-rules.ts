// Per-rule figures of the live correlation: the detection loop reports rule loads, errors,
// alerts and (about once a second) the engine's per-rule counters; this module turns them
// into Prometheus series (bounded by the rules running, removed when a rule stops), logs a
// throwing rule by id and name (first error, then at most one line per rule per minute),
// and serves the rules view. Each correlating process holds the figures of its partitions
// and writes them into app_state every few seconds (a key per process); the view adds up
// the snapshots of the live processes (this one's live).
import type { CorrelationRuleStats, CorrelationRulesView } from '@siem/contracts';
import { CorrelationRulesViewSchema } from '@siem/contracts';
import type { Logger } from 'pino';
import type { RuleStats } from '../engine/correlation/engine.ts';
import type { CompiledRule } from '../engine/rules/compile.ts';
import type { RuleLoadFailure } from '../engine/rules/load.ts';
import type { Metrics } from '../metrics.ts';
import type { AppStateRepo } from '../store/app-state-repo.ts';

/** The app_state key of the snapshot. */
export const RULE_STATS_KEY = 'correlation_rule_stats';
/** A rule that keeps throwing is logged at most this often (with the count in between). */
export const ERROR_LOG_EVERY_MS = 60_000;
const ERROR_TEXT_MAX = 500;

interface Entry {
  id: string;
  name: string;
  type: string;
  /** Null while it runs; why it cannot run otherwise (it is still shown, with that problem). */
  problem: string | null;
  matched: number;
  alerts: number;
  errors: number;
  groups: number;
  /** The engine's own count at the last sync (it restarts from 0 when the rule changes). */
  seenMatched: number;
  lastError: string | null;
  lastErrorMs: number | null;
  lastLogMs: number | null;
  /** Errors since the last line logged for this rule. */
  unlogged: number;
}

export interface CorrelationRuleStatsDeps {
  metrics: Metrics;
  log: Logger;
  /** Where the correlating process publishes the view for the others (none: not published). */
  appState?: AppStateRepo;
  /** This process's name: its snapshot's key is RULE_STATS_KEY:consumer (default: one shared key). */
  consumer?: string;
  /** The processes correlating now (default: this one only); the view adds their snapshots up. */
  liveMembers?: () => Promise<string[]>;
  /** How often the view is published while this process correlates (default 5 s). */
  publishMs?: number;
  clock?: () => number;
}

const EMPTY: CorrelationRulesView = { updated_at: null, since: null, rules: [] };

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);
const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * The processes' views as one: alerts, errors and groups add up (each process holds its own
 * partitions); every process evaluates every event, so a rule's matched count is the
 * largest one reported, not their sum. The newest error is shown.
 */
export function mergeRuleViews(views: readonly CorrelationRulesView[]): CorrelationRulesView {
  if (views.length === 0) return EMPTY;
  const byRule = new Map<string, CorrelationRuleStats>();
  let updatedAt: string | null = null;
  let since: string | null = null;
  for (const view of views) {
    updatedAt = later(updatedAt, view.updated_at);
    since = earlier(since, view.since);
    for (const r of view.rules) {
      const seen = byRule.get(r.rule_id);
      if (seen === undefined) {
        byRule.set(r.rule_id, { ...r });
        continue;
      }
      seen.events_matched = Math.max(seen.events_matched, r.events_matched);
      seen.alerts += r.alerts;
      seen.errors += r.errors;
      seen.groups += r.groups;
      if (r.last_error !== null && (seen.last_error === null || later(seen.last_error_at, r.last_error_at) === r.last_error_at)) {
        seen.last_error = r.last_error;
        seen.last_error_at = r.last_error_at;
      }
    }
  }
  const rules = [...byRule.values()].sort((a, b) => a.rule_name.localeCompare(b.rule_name) || a.rule_id.localeCompare(b.rule_id));
  return { updated_at: updatedAt, since, rules };
}

const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, ERROR_TEXT_MAX);

export function createCorrelationRuleStats(deps: CorrelationRuleStatsDeps) {
  const { metrics, log } = deps;
  const clock = deps.clock ?? Date.now;
  const entries = new Map<string, Entry>();
  let leadingSince: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let publishing: Promise<void> | null = null;
  const keyOf = (consumer: string | undefined): string => (consumer === undefined ? RULE_STATS_KEY : `${RULE_STATS_KEY}:${consumer}`);
  const ownKey = keyOf(deps.consumer);

  function dropSeries(e: Entry): void {
    metrics.ruleEvents.remove({ rule_id: e.id });
    metrics.ruleAlerts.remove({ rule_id: e.id });
    metrics.ruleErrors.remove({ rule_id: e.id });
    metrics.ruleGroups.remove({ rule_id: e.id });
    metrics.ruleInfo.remove({ rule_id: e.id, rule_name: e.name, rule_type: e.type });
  }

  function entryFor(id: string, name: string, type: string): Entry {
    let e = entries.get(id);
    if (e === undefined) {
      e = { id, name, type, problem: null, matched: 0, alerts: 0, errors: 0, groups: 0, seenMatched: 0, lastError: null, lastErrorMs: null, lastLogMs: null, unlogged: 0 };
      entries.set(id, e);
    } else if (e.name !== name || e.type !== type) {
      metrics.ruleInfo.remove({ rule_id: e.id, rule_name: e.name, rule_type: e.type });
      e.name = name;
      e.type = type;
    }
    return e;
  }

  function logErrors(e: Entry, now: number, err?: unknown): void {
    const ctx = { rule_id: e.id, rule_name: e.name, error: e.lastError };
    if (e.lastLogMs === null) log.error({ ...ctx, err }, 'correlation rule threw; the event is skipped for this rule');
    else log.error({ ...ctx, errors: e.unlogged }, `correlation rule threw ${e.unlogged} times since its last report`);
    e.lastLogMs = now;
    e.unlogged = 0;
  }

  function toStats(e: Entry): CorrelationRuleStats {
    const problem = e.problem !== null ? `cannot run: ${e.problem}` : null;
    return {
      rule_id: e.id,
      rule_name: e.name,
      events_matched: e.matched,
      alerts: e.alerts,
      errors: e.errors,
      groups: e.groups,
      last_error: problem ?? e.lastError,
      last_error_at: e.lastErrorMs === null ? null : new Date(e.lastErrorMs).toISOString(),
    };
  }

  function snapshot(): CorrelationRulesView {
    const rules = [...entries.values()].map(toStats).sort((a, b) => a.rule_name.localeCompare(b.rule_name) || a.rule_id.localeCompare(b.rule_id));
    return { updated_at: new Date(clock()).toISOString(), since: leadingSince === null ? null : new Date(leadingSince).toISOString(), rules };
  }

  async function publish(): Promise<void> {
    if (leadingSince === null || !deps.appState || publishing) return;
    publishing = deps.appState
      .put(ownKey, snapshot())
      .catch((err: unknown) => log.warn({ err }, 'could not publish the correlation rule figures'))
      .finally(() => {
        publishing = null;
      });
    await publishing;
  }

  return {
    /** This process took correlation over: figures count from now. */
    leaderStarted(): void {
      leadingSince = clock();
    },

    /** This process no longer correlates: its per-rule series go (the new owner has its own). */
    leaderStopped(): void {
      leadingSince = null;
      for (const e of entries.values()) dropSeries(e);
      entries.clear();
      metrics.correlationRules.set(0);
      metrics.correlationGroups.set(0);
      metrics.correlationTrackedEvents.set(0);
    },

    /** The rules the engine now runs, and those that failed to compile. */
    setRules(rules: readonly CompiledRule[], failures: readonly RuleLoadFailure[]): void {
      const keep = new Set<string>();
      for (const rule of rules) {
        const e = entryFor(rule.id, rule.name, rule.ruleType);
        e.problem = null;
        keep.add(rule.id);
        const labels = { rule_id: rule.id };
        // Created at 0, so a rule that never matched still has its series.
        metrics.ruleEvents.inc(labels, 0);
        metrics.ruleAlerts.inc(labels, 0);
        metrics.ruleErrors.inc(labels, 0);
        metrics.ruleGroups.set(labels, e.groups);
        metrics.ruleInfo.set({ rule_id: rule.id, rule_name: rule.name, rule_type: rule.ruleType }, 1);
      }
      for (const f of failures) {
        if (keep.has(f.ruleId)) continue;
        const e = entryFor(f.ruleId, f.ruleName, entries.get(f.ruleId)?.type ?? 'unknown');
        dropSeries(e);
        const problem = f.message.slice(0, ERROR_TEXT_MAX);
        // Logged when it appears or changes, not at every reload.
        if (e.problem !== problem) log.error({ rule_id: f.ruleId, rule_name: f.ruleName, problem }, 'rule cannot run; skipped');
        e.problem = problem;
        e.groups = 0;
        keep.add(f.ruleId);
      }
      for (const [id, e] of entries) {
        if (keep.has(id)) continue;
        dropSeries(e);
        entries.delete(id);
      }
      metrics.correlationRules.set(rules.length);
    },

    /** A rule threw on an event (the engine already skipped it for that rule). */
    ruleError(ruleId: string, err: unknown): void {
      const now = clock();
      const e = entries.get(ruleId) ?? entryFor(ruleId, ruleId, 'unknown');
      e.errors++;
      e.unlogged++;
      e.lastError = errorText(err);
      e.lastErrorMs = now;
      metrics.ruleErrors.inc({ rule_id: ruleId });
      if (e.lastLogMs === null || now - e.lastLogMs >= ERROR_LOG_EVERY_MS) logErrors(e, now, err);
    },

    /** Alerts stored for a batch. */
    alertsRaised(alerts: readonly { rule_id: string }[]): void {
      for (const a of alerts) {
        const e = entries.get(a.rule_id);
        if (e) e.alerts++;
        metrics.ruleAlerts.inc({ rule_id: a.rule_id });
      }
    },

    /** Takes the engine's counts as already reported (after a replay: the previous owner counted those events). */
    baseline(stats: readonly RuleStats[]): void {
      for (const s of stats) {
        const e = entries.get(s.ruleId);
        if (e) e.seenMatched = s.matched;
      }
    },

    /** Folds the engine's per-rule counters in (about once a second, not per event). */
    sync(stats: readonly RuleStats[]): void {
      let groups = 0;
      let tracked = 0;
      for (const s of stats) {
        groups += s.groups;
        tracked += s.trackedEvents;
        const e = entries.get(s.ruleId);
        if (!e) continue;
        // A changed rule starts again in a new runtime: its count restarts from 0.
        const delta = s.matched >= e.seenMatched ? s.matched - e.seenMatched : s.matched;
        e.seenMatched = s.matched;
        if (delta > 0) {
          e.matched += delta;
          metrics.ruleEvents.inc({ rule_id: e.id }, delta);
        }
        e.groups = s.groups;
        metrics.ruleGroups.set({ rule_id: e.id }, s.groups);
      }
      metrics.correlationGroups.set(groups);
      metrics.correlationTrackedEvents.set(tracked);
      // Errors held back by the rate limit are reported once their minute is over.
      const now = clock();
      for (const e of entries.values()) {
        if (e.unlogged > 0 && e.lastLogMs !== null && now - e.lastLogMs >= ERROR_LOG_EVERY_MS) logErrors(e, now);
      }
    },

    /** How far behind the last correlated event was when its batch was done. */
    lag(eventMs: number, receivedMs: number | null): void {
      const now = clock();
      if (Number.isFinite(eventMs)) metrics.correlationEventLag.set(Math.max(0, (now - eventMs) / 1000));
      if (receivedMs !== null) metrics.correlationProcessingLag.set(Math.max(0, (now - receivedMs) / 1000));
    },

    /** The view: this process's live figures (while it correlates) and the live others' latest snapshots, added up. */
    async current(): Promise<CorrelationRulesView> {
      const own = leadingSince !== null ? [snapshot()] : [];
      if (!deps.appState) return mergeRuleViews(own);
      const members = deps.liveMembers ? await deps.liveMembers() : [];
      const others = deps.liveMembers ? members.filter((m) => m !== deps.consumer).map(keyOf) : leadingSince === null ? [ownKey] : [];
      const stored = await deps.appState.getMany(others);
      const views = [...stored.values()].flatMap((v) => {
        const parsed = CorrelationRulesViewSchema.safeParse(v);
        return parsed.success ? [parsed.data] : [];
      });
      return mergeRuleViews([...own, ...views]);
    },

    publish,

    start(): void {
      if (timer || !deps.appState) return;
      timer = setInterval(() => void publish(), deps.publishMs ?? 5000);
      timer.unref();
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await publishing;
      // A process leaving takes its snapshot along (one killed leaves it; only live processes' count).
      if (deps.consumer !== undefined) await deps.appState?.remove(ownKey).catch(() => {});
    },
  };
}
export type CorrelationRuleStatsTracker = ReturnType<typeof createCorrelationRuleStats>;
