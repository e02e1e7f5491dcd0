// Storing one correlated batch: its alerts (with their matched events) and the advance of
// the owned partitions' checkpoints, in one transaction, so a batch is kept whole or not at
// all. A partition taken over by another process refuses the batch (LeadershipLost);
// other store failures are retried a few times while the process goes on.
import type { Logger } from 'pino';
import type { Firing } from '../engine/correlation/index.ts';
import { newObjectId } from '../lib/object-id.ts';
import type { AlertRecord, AlertsRepo } from '../store/alerts-repo.ts';
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
}

export function createCorrelationBatches(deps: CorrelationBatchesDeps) {
  const { db, correlation, clock } = deps;

  async function persist(firings: Firing[], claims: readonly Claim[], last: CursorEvent, highWater: number): Promise<AlertRecord[]> {
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
      return created;
    });
  }

  return {
    /** Stores a batch's outcome (highWater: the engine's newest event time), retrying transient store failures. */
    async store(firings: Firing[], claims: readonly Claim[], last: CursorEvent, highWater: number): Promise<AlertRecord[]> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await persist(firings, claims, last, highWater);
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
