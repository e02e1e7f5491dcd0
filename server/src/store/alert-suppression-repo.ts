// Suppressed firings: inside the transaction that stores a correlated batch, a firing whose
// rule suppresses either counts on the open alert of its (rule, key) or raises a new alert.
// A transaction-scoped advisory lock per (rule, key), taken for the whole batch in one
// sorted order, serializes that decision between processes (their partitions are by group,
// not by suppression key) without deadlocks; alert_repeats makes a redelivery count nothing.
import { createHash } from 'node:crypto';
import type { AlertRecord, AlertsRepo, NewAlert, Row } from './alerts-repo.ts';
import { COLUMNS, storedFiringKey, toRecord } from './alerts-repo.ts';
import type { Queryable } from './db.ts';

/** Repeats past this many stop adding links to matched events (each adds at most maxMatchedIds). */
export const REPEAT_LINKS_MAX_OCCURRENCES = 100;

const OPEN_STATUSES = ['new', 'acknowledged', 'investigating'];

export interface SuppressedFiring extends NewAlert {
  /** The key as the engine built it (stored in storedFiringKey form). */
  suppression_key: string;
  durationMs: number;
}

export type SuppressionOutcome =
  | { kind: 'created'; alert: AlertRecord }
  | { kind: 'counted'; alert: AlertRecord }
  | { kind: 'duplicate' };

/** The advisory lock id of a (rule, key): 64 bits of a digest, as a signed bigint text. */
function lockId(ruleId: string, key: string): string {
  const digest = createHash('sha256').update(`alert-suppression\u0000${ruleId}\u0000${key}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/** The newest `max` distinct ids of `old` then `added`, oldest first; how many of `added` are new. */
function mergeIds(old: string[], added: string[], max: number): { ids: string[]; fresh: string[] } {
  const seen = new Set(old);
  const fresh = added.filter((id) => !seen.has(id));
  const ids = [...old, ...fresh];
  return { ids: ids.length > max ? ids.slice(ids.length - max) : ids, fresh };
}

export function createAlertSuppressionRepo(alerts: AlertsRepo) {
  return {
    /** Takes the locks of these (rule, key) pairs, in one order for every process; held until commit. */
    async lockKeys(tx: Queryable, keys: ReadonlyArray<{ rule_id: string; key: string }>): Promise<void> {
      const ids = [...new Set(keys.map((k) => lockId(k.rule_id, storedFiringKey(k.key))))].sort();
      for (const id of ids) await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [id]);
    },

    /**
     * Counts the firing on the open alert of its (rule, key) last seen within the duration
     * (and not more than the duration before that alert first fired), else inserts a new
     * alert. The caller holds the key's lock (lockKeys).
     */
    async record(tx: Queryable, f: SuppressedFiring, maxMatchedIds: number): Promise<SuppressionOutcome> {
      const firingKey = storedFiringKey(f.firing_key);
      const key = storedFiringKey(f.suppression_key);
      const dup = await tx.query<{ dup: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM alerts WHERE firing_key = $1) OR EXISTS (SELECT 1 FROM alert_repeats WHERE firing_key = $1) AS dup`,
        [firingKey],
      );
      if (dup.rows[0]?.dup) return { kind: 'duplicate' };
      const firedAt = new Date(f.firedAtMs).toISOString();
      // FOR UPDATE: a status change made meanwhile is waited for and re-checked (a resolved alert is skipped).
      const open = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM alerts
         WHERE rule_id = $1 AND suppression_key = $2 AND status = ANY($3::text[])
         ORDER BY last_seen_at DESC LIMIT 1 FOR UPDATE`,
        [f.rule_id, key, OPEN_STATUSES],
      );
      const current = open.rows[0] ? toRecord(open.rows[0]) : null;
      const within = current !== null
        && f.firedAtMs <= Date.parse(current.last_seen_at) + f.durationMs
        && f.firedAtMs >= Date.parse(current.fired_at) - f.durationMs;
      if (!current || !within) {
        const alert = await alerts.insertFiring(tx, { ...f, suppression_key: key });
        if (!alert) return { kind: 'duplicate' };
        await alerts.linkEvents(tx, alert.id, f.matched_event_ids);
        return { kind: 'created', alert };
      }
      const merged = mergeIds(current.matched_event_ids, f.matched_event_ids, Math.max(maxMatchedIds, current.matched_event_ids.length));
      // The firing's window may overlap what the alert counted: only ids it had not listed add up.
      const added = f.matched_event_count - (f.matched_event_ids.length - merged.fresh.length);
      const { rows } = await tx.query<Row>(
        `UPDATE alerts SET occurrences = occurrences + 1, last_seen_at = GREATEST(last_seen_at, $2::timestamptz),
           matched_event_ids = $3::text[], matched_event_count = matched_event_count + $4, updated_at = GREATEST(updated_at, clock_timestamp())
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [current.id, firedAt, merged.ids, Math.max(0, added)],
      );
      await tx.query('INSERT INTO alert_repeats (firing_key, alert_id, fired_at) VALUES ($1, $2, $3)', [firingKey, current.id, firedAt]);
      if (current.occurrences < REPEAT_LINKS_MAX_OCCURRENCES) await alerts.linkEvents(tx, current.id, merged.fresh);
      return { kind: 'counted', alert: toRecord(rows[0]!) };
    },
  };
}
export type AlertSuppressionRepo = ReturnType<typeof createAlertSuppressionRepo>;
