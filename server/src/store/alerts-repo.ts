// alerts, alert_history and alert_events. Inserts are idempotent on the firing key (a
// redelivered event cannot raise a second alert); status changes lock the row and append
// history in the same transaction, so concurrent analysts never lose an entry. Each link to
// a matched event keeps a bounded snapshot of it, shown once retention removed the event.
import { createHash } from 'node:crypto';
import type { LogEvent } from '@siem/contracts';
import type { Db, Queryable } from './db.ts';
import { likeLiteral } from './events-repo.ts';

export type AlertStatus = 'new' | 'acknowledged' | 'investigating' | 'resolved' | 'false_positive';

export interface AlertRecord {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  matched_event_ids: string[];
  matched_event_count: number;
  group_value: string | null;
  status: AlertStatus;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
  notes: string | null;
  fired_at: string;
  created_at: string;
  updated_at: string;
  /** Username of the assignee (resolved from assignee_id on every read). */
  assignee: string | null;
  case_ids: string[];
  /** Firings counted on this alert (1 + suppressed repeats) and the event time of the newest. */
  occurrences: number;
  last_seen_at: string;
  suppression_key: string | null;
}

export interface NewAlert {
  id: string;
  firing_key: string;
  rule_id: string;
  rule_name: string;
  severity: AlertRecord['severity'];
  title: string;
  matched_event_ids: string[];
  matched_event_count: number;
  group_value: string | null;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  firedAtMs: number;
  /** The stored suppression key (storedFiringKey form); null when the rule has no suppression. */
  suppression_key?: string | null;
}

export interface AlertHistoryEntry {
  from: AlertStatus | null;
  to: AlertStatus;
  by: string | null;
  at: string;
  notes: string | null;
  kind: 'status' | 'assignee';
  from_value: string | null;
  to_value: string | null;
}

export interface AlertFilters {
  status?: string | undefined;
  severity?: string | undefined;
  rule_id?: string | undefined;
  /** The technique or one of its sub-techniques. */
  technique?: string | undefined;
  sinceMs?: number | undefined;
  untilMs?: number | undefined;
  /** Account id; `assignee_id = ?`. */
  assigneeId?: string | undefined;
}

// The assignee's current username and the linked cases come along with every read, so a
// renamed account still shows on its alerts.
export const COLUMNS = `id, rule_id, rule_name, severity, title, matched_event_ids, matched_event_count, group_value, status,
  mitre_tactic, mitre_technique, acknowledged_by, acknowledged_at, resolved_at, notes, fired_at, created_at, updated_at,
  occurrences, last_seen_at, suppression_key,
  (SELECT u.username FROM users u WHERE u.id = alerts.assignee_id) AS assignee,
  ARRAY(SELECT ca.case_id FROM case_alerts ca WHERE ca.alert_id = alerts.id ORDER BY ca.case_id) AS case_ids`;
export const ALERT_COLUMNS = COLUMNS;

export type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as Date).toISOString());

export function toRecord(r: Row): AlertRecord {
  return {
    ...(r as unknown as AlertRecord),
    assignee: (r.assignee as string | null | undefined) ?? null,
    case_ids: (r.case_ids as string[] | null) ?? [],
    matched_event_ids: (r.matched_event_ids as string[] | null) ?? [],
    matched_event_count: Number(r.matched_event_count),
    occurrences: Number(r.occurrences),
    last_seen_at: iso(r.last_seen_at)!,
    suppression_key: (r.suppression_key as string | null) ?? null,
    acknowledged_at: iso(r.acknowledged_at),
    resolved_at: iso(r.resolved_at),
    fired_at: iso(r.fired_at)!,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

function whereClause(f: AlertFilters, params: unknown[]): string {
  const parts: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  // "open" (an addition) means new + acknowledged + investigating, what the dashboard counts.
  if (f.status === 'open') add('status = ANY(?::text[])', ['new', 'acknowledged', 'investigating']);
  else if (f.status !== undefined) add('status = ?', f.status);
  if (f.severity !== undefined) add('severity = ?', f.severity);
  if (f.rule_id !== undefined) add('rule_id = ?', f.rule_id);
  if (f.assigneeId !== undefined) add('assignee_id = ?', f.assigneeId);
  if (f.technique !== undefined) {
    params.push(f.technique, `${likeLiteral(f.technique)}.%`);
    parts.push(`(mitre_technique = $${params.length - 1} OR mitre_technique LIKE $${params.length})`);
  }
  if (f.sinceMs !== undefined) add('created_at >= ?', new Date(f.sinceMs).toISOString());
  if (f.untilMs !== undefined) add('created_at < ?', new Date(f.untilMs).toISOString());
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/** Most matched events of one alert kept as snapshots (the newest); each is bounded in the store. */
export const SNAPSHOT_MAX_EVENTS = 1000;

/** What log_event_snapshot (migration 011) keeps of an event: the event's columns but the
 *  documents (raw, metadata, fields), normalized bounded, and the message. */
type Snapshot = Omit<LogEvent, 'raw' | 'metadata' | 'fields' | 'matched_alert_ids' | 'updated_at'> & {
  message: string | null;
  normalized_truncated: boolean;
};

/**
 * A matched event retention removed, rebuilt from its snapshot as a whole LogEvent:
 * `raw`, `metadata` and `fields` are not kept and come back empty; `message` and
 * `normalized_truncated` (whether `normalized` was cut) are additions.
 */
export type ExpiredEvent = LogEvent & { expired: true; message: string | null; normalized_truncated: boolean };

function fromSnapshot(s: Snapshot, matchedAlertIds: string[]): ExpiredEvent {
  return {
    id: s.id,
    timestamp: s.timestamp,
    source_type: s.source_type,
    source_ip: s.source_ip,
    dest_ip: s.dest_ip,
    source_port: s.source_port,
    dest_port: s.dest_port,
    severity: s.severity,
    event_type: s.event_type,
    hostname: s.hostname,
    username: s.username,
    mitre_tactic: s.mitre_tactic,
    mitre_technique: s.mitre_technique,
    raw: {},
    normalized: s.normalized ?? {},
    metadata: {},
    fields: {},
    scenario_run_id: s.scenario_run_id,
    matched_alert_ids: matchedAlertIds,
    created_at: s.created_at,
    updated_at: s.created_at,
    message: s.message,
    normalized_truncated: s.normalized_truncated === true,
    expired: true,
  };
}

// The firing key holds the group value, which can be a long normalized field: past this
// length its digest is stored instead, so the unique index never meets an oversized entry
// and a redelivered event still finds its alert.
const MAX_STORED_KEY_LENGTH = 256;
export function storedFiringKey(key: string): string {
  return key.length <= MAX_STORED_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function createAlertsRepo(db: Db) {
  return {
    /** Inserts the alert and its first history entry; null when the firing key already exists. */
    async insertFiring(tx: Queryable, a: NewAlert): Promise<AlertRecord | null> {
      const { rows } = await tx.query<Row>(
        `INSERT INTO alerts (id, firing_key, rule_id, rule_name, severity, title, matched_event_ids, matched_event_count,
           group_value, mitre_tactic, mitre_technique, fired_at, last_seen_at, suppression_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12, $12, $13)
         ON CONFLICT (firing_key) DO NOTHING RETURNING ${COLUMNS}`,
        [a.id, storedFiringKey(a.firing_key), a.rule_id, a.rule_name, a.severity, a.title, a.matched_event_ids, a.matched_event_count,
          a.group_value, a.mitre_tactic, a.mitre_technique, new Date(a.firedAtMs).toISOString(), a.suppression_key ?? null],
      );
      if (!rows[0]) return null;
      await tx.query('INSERT INTO alert_history (alert_id, from_status, to_status, by_username, at) VALUES ($1, NULL, $2, NULL, $3)', [a.id, 'new', rows[0].created_at]);
      return toRecord(rows[0]);
    },

    /**
     * Fills the events' `matched_alert_ids` for the alert's matched events, and keeps a
     * snapshot of the newest SNAPSHOT_MAX_EVENTS of them (log_event_snapshot, bounded per
     * event) so the alert still shows them once retention has removed the events. One
     * statement: the snapshots are read where they are written.
     */
    async linkEvents(tx: Queryable, alertId: string, eventIds: string[]): Promise<void> {
      if (eventIds.length === 0) return;
      await tx.query(
        `INSERT INTO alert_events (event_id, alert_id, snapshot)
         SELECT ids.id, $1,
           CASE WHEN ids.n > cardinality($2::text[]) - $3
             THEN (SELECT log_event_snapshot(e) FROM log_events e WHERE e.id = ids.id LIMIT 1) END
         FROM unnest($2::text[]) WITH ORDINALITY AS ids(id, n)
         ON CONFLICT DO NOTHING`,
        [alertId, eventIds, SNAPSHOT_MAX_EVENTS],
      );
    },

    /**
     * The alert's matched events that are no longer stored, as their snapshots (marked
     * `expired`), newest first. Documents the snapshot does not keep come back empty.
     */
    async expiredEvents(alertId: string): Promise<ExpiredEvent[]> {
      const { rows } = await db.query<{ snapshot: Snapshot; matched_alert_ids: string[] | null }>(
        `SELECT ae.snapshot,
           ARRAY(SELECT o.alert_id FROM alert_events o WHERE o.event_id = ae.event_id ORDER BY o.alert_id) AS matched_alert_ids
         FROM alert_events ae
         WHERE ae.alert_id = $1 AND ae.snapshot IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM log_events e WHERE e.id = ae.event_id)
         ORDER BY ae.snapshot ->> 'timestamp' DESC, ae.event_id DESC
         LIMIT $2`,
        [alertId, SNAPSHOT_MAX_EVENTS],
      );
      return rows.map(({ snapshot, matched_alert_ids }) => fromSnapshot(snapshot, matched_alert_ids ?? []));
    },

    async findById(id: string): Promise<AlertRecord | null> {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM alerts WHERE id = $1`, [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async findByIds(ids: string[], tx: Queryable = db): Promise<AlertRecord[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM alerts WHERE id = ANY($1::text[]) ORDER BY id`, [ids]);
      return rows.map(toRecord);
    },

    async list(filters: AlertFilters, offset: number, limit: number): Promise<{ items: AlertRecord[]; total: number }> {
      const params: unknown[] = [];
      const where = whereClause(filters, params);
      const countParams = [...params];
      params.push(limit, offset);
      const [page, total] = await Promise.all([
        db.query<Row>(`SELECT ${COLUMNS} FROM alerts ${where} ORDER BY created_at DESC, seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts ${where}`, countParams),
      ]);
      return { items: page.rows.map(toRecord), total: Number(total.rows[0]?.n ?? 0) };
    },

    /** Applies a status change under a row lock and records it; null when the alert is gone. */
    async changeStatus(
      id: string,
      change: { status: AlertStatus; notes: string | null | undefined; by: string; nowMs: number },
    ): Promise<AlertRecord | null> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ status: AlertStatus }>('SELECT status FROM alerts WHERE id = $1 FOR UPDATE', [id]);
        if (!rows[0]) return null;
        const now = new Date(change.nowMs).toISOString();
        const sets = ['status = $2', 'updated_at = $3'];
        const params: unknown[] = [id, change.status, now];
        if (change.notes !== undefined && change.notes !== null) {
          params.push(change.notes);
          sets.push(`notes = $${params.length}`);
        }
        if (change.status === 'acknowledged') {
          params.push(change.by);
          sets.push(`acknowledged_by = $${params.length}`, 'acknowledged_at = $3');
        }
        if (change.status === 'resolved' || change.status === 'false_positive') sets.push('resolved_at = $3');
        const updated = await tx.query<Row>(`UPDATE alerts SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params);
        await tx.query(
          'INSERT INTO alert_history (alert_id, from_status, to_status, by_username, at, notes) VALUES ($1, $2, $3, $4, $5, $6)',
          [id, rows[0].status, change.status, change.by, now, change.notes ?? null],
        );
        return toRecord(updated.rows[0]!);
      });
    },

    async history(alertId: string): Promise<AlertHistoryEntry[]> {
      const { rows } = await db.query<Row>(
        'SELECT from_status, to_status, by_username, at, notes, kind, from_value, to_value FROM alert_history WHERE alert_id = $1 ORDER BY id',
        [alertId],
      );
      return rows.map((r) => ({
        from: (r.from_status as AlertStatus | null) ?? null,
        to: r.to_status as AlertStatus,
        by: (r.by_username as string | null) ?? null,
        at: iso(r.at)!,
        notes: (r.notes as string | null) ?? null,
        kind: (r.kind as 'status' | 'assignee' | null) ?? 'status',
        from_value: (r.from_value as string | null) ?? null,
        to_value: (r.to_value as string | null) ?? null,
      }));
    },

    async counts(): Promise<{ byStatus: Partial<Record<AlertStatus, number>>; total: number; criticalOpen: number }> {
      const { rows } = await db.query<{ status: AlertStatus; n: number; critical_open: number }>(
        `SELECT status, count(*)::int AS n,
                count(*) FILTER (WHERE severity = 'critical' AND status IN ('new', 'acknowledged', 'investigating'))::int AS critical_open
         FROM alerts GROUP BY status`,
      );
      const byStatus: Partial<Record<AlertStatus, number>> = {};
      let total = 0;
      let criticalOpen = 0;
      for (const r of rows) {
        byStatus[r.status] = Number(r.n);
        total += Number(r.n);
        criticalOpen += Number(r.critical_open);
      }
      return { byStatus, total, criticalOpen };
    },
  };
}
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
