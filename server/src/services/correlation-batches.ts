// Storing one correlated batch: its alerts (with their matched events) and the advance of
// the owned partitions' checkpoints, in one transaction, so a batch is kept whole or not at
// all. A partition taken over by another process refuses the batch (LeadershipLost);
// other store failures are retried a few times while the process goes on. A firing of a
// rule with suppression is decided here too (alert-suppression-repo.ts): counted on the
// open alert of its key, or raised; only raised alerts are returned (and published).
import type { Logger } from 'pino';
import type { Firing } from '../engine/correlation/index.ts';
import { newObjectId } from '../lib/object-id.ts';
import type { AlertRecord, AlertsRepo, NewAlert } from '../store/alerts-repo.ts';
import { createAlertSuppressionRepo } from '../store/alert-suppression-repo.ts';
import type { Claim, CorrelationRepo, CursorEvent } from '../store/correlation-repo.ts';
import type { Db } from '../store/db.ts';

/** Another process owns a partition now: this one must start over from its checkpoints. */
export class LeadershipLost extends Error {}

/** Attempts to store one batch's alerts before this process starts over from its checkpoints. */
const PERSIST_ATTEMPTS = 6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CorrelationBatchesDeps {
  db: Db;
  alerts: AlertsRepo;
  correlation: CorrelationRepo;
  log: Logger;
  clock: () => number;
  /** False once the detection service stops: no more retries. */
  isRunning: () => boolean;
  /** A firing the store already held (its firing key): not raised again. */
  onDuplicate: () => void;
  /** A failed attempt about to be retried. */
  onRetry: () => void;
  /** Repeats counted on open alerts by a stored batch (suppression). */
  onCounted?: (alerts: AlertRecord[]) => void;
  /** Most matched event ids an alert lists (CORRELATION_MAX_MATCHED_IDS; default 1000). */
  maxMatchedIds?: number;
}

export function createCorrelationBatches(deps: CorrelationBatchesDeps) {
  const { db, correlation, clock } = deps;
  const suppression = createAlertSuppressionRepo(deps.alerts);
  const maxMatchedIds = deps.maxMatchedIds ?? 1000;

  async function persist(firings: Firing[], claims: readonly Claim[], last: CursorEvent, highWater: number): Promise<{ created: AlertRecord[]; counted: AlertRecord[] }> {
    return db.transaction(async (tx) => {
      const created: AlertRecord[] = [];
      const counted: AlertRecord[] = [];
      // Every suppression key of the batch locked first, in one order: no deadlock between processes.
      const keyed = firings.flatMap((f) => (f.suppression ? [{ rule_id: f.rule_id, key: f.suppression.key }] : []));
      if (keyed.length > 0) await suppression.lockKeys(tx, keyed);
      for (const f of firings) {
        const alert: NewAlert = {
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
        };
        if (f.suppression) {
          const outcome = await suppression.record(tx, { ...alert, suppression_key: f.suppression.key, durationMs: f.suppression.duration_ms }, maxMatchedIds);
          if (outcome.kind === 'created') created.push(outcome.alert);
          else if (outcome.kind === 'counted') counted.push(outcome.alert);
          else deps.onDuplicate();
          continue;
        }
        const inserted = await deps.alerts.insertFiring(tx, alert);
        if (inserted) {
          created.push(inserted);
          await deps.alerts.linkEvents(tx, inserted.id, f.matched_event_ids);
        } else deps.onDuplicate();
      }
      const lastMs = last.timeMs;
      const moved = await correlation.advancePartitions(tx, claims, {
        cursor: last.cursor,
        highWaterMs: Number.isFinite(highWater) ? highWater : null,
        lastEventId: last.id,
        lastEventMs: Number.isFinite(lastMs) ? lastMs : null,
      });
      // Another process took a partition over: nothing of this batch may be kept.
      if (!moved) throw new LeadershipLost('a partition was taken over by another process');
      return { created, counted };
    });
  }

  return {
    /** Stores a batch's outcome (highWater: the engine's newest event time), retrying transient store failures. */
    async store(firings: Firing[], claims: readonly Claim[], last: CursorEvent, highWater: number): Promise<AlertRecord[]> {
      for (let attempt = 1; ; attempt++) {
        try {
          const { created, counted } = await persist(firings, claims, last, highWater);
          if (counted.length > 0) deps.onCounted?.(counted);
          return created;
        } catch (err) {
          if (err instanceof LeadershipLost || !deps.isRunning() || attempt >= PERSIST_ATTEMPTS) throw err;
          deps.onRetry();
          deps.log.error({ err, attempt }, 'storing a correlation batch failed; retrying');
          await sleep(Math.min(5000, 250 * 2 ** attempt));
        }
      }
    },
  };
}
