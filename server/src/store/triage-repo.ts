// What an alert's triage context reads: its matched events reduced to the columns triage
// uses (live from log_events, else from the snapshot the link kept), and the alerts around
// it by event time that share its group value or one of its hosts (migration 022 indexes).
import type { TriageEvent } from '../engine/triage/summarize.ts';
import type { Queryable } from './db.ts';

/** A matched event as triage reads it; `fields` holds only the names asked for (null once expired). */
export type TriageEventRow = TriageEvent & { id: string };

export interface RelatedAlertRow {
  id: string;
  rule_id: string;
  rule_name: string;
  title: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  status: 'new' | 'acknowledged' | 'investigating' | 'resolved' | 'false_positive';
  group_value: string | null;
  fired_at: string;
  created_at: string;
  by_group: boolean;
  hosts: string[];
}

const iso = (v: unknown) => new Date(v as Date | string).toISOString();

export function createTriageRepo(db: Queryable) {
  return {
    /**
     * The alert's matched events (at most `limit`, newest first), each from log_events while
     * stored and from its link's snapshot once retention removed it. `fieldNames` picks the
     * entries of `fields` returned, so a wide event never travels whole.
     */
    async matchedEvents(alertId: string, fieldNames: readonly string[], limit: number): Promise<TriageEventRow[]> {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT ae.event_id AS id,
           coalesce(e.ts, (ae.snapshot ->> 'timestamp')::timestamptz) AS ts,
           CASE WHEN e.id IS NULL THEN ae.snapshot ->> 'source_ip' ELSE e.source_ip END AS source_ip,
           CASE WHEN e.id IS NULL THEN ae.snapshot ->> 'dest_ip' ELSE e.dest_ip END AS dest_ip,
           CASE WHEN e.id IS NULL THEN ae.snapshot ->> 'hostname' ELSE e.hostname END AS hostname,
           CASE WHEN e.id IS NULL THEN ae.snapshot ->> 'username' ELSE e.username END AS username,
           e.fields AS fields
         FROM alert_events ae
         LEFT JOIN LATERAL (
           SELECT le.id, le.ts, le.source_ip, le.dest_ip, le.hostname, le.username,
             (SELECT jsonb_object_agg(f.key, f.value) FROM jsonb_each(coalesce(le.fields, '{}'::jsonb)) f
               WHERE f.key = ANY($2::text[])) AS fields
           FROM log_events le WHERE le.id = ae.event_id LIMIT 1
         ) e ON true
         WHERE ae.alert_id = $1 AND (e.id IS NOT NULL OR ae.snapshot IS NOT NULL)
         ORDER BY ts DESC NULLS LAST, ae.event_id DESC
         LIMIT $3`,
        [alertId, fieldNames, limit],
      );
      return rows.map((r) => ({
        id: r.id as string,
        timeMs: r.ts === null || r.ts === undefined ? Number.NaN : new Date(r.ts as Date | string).getTime(),
        source_ip: (r.source_ip as string | null) ?? null,
        dest_ip: (r.dest_ip as string | null) ?? null,
        hostname: (r.hostname as string | null) ?? null,
        username: (r.username as string | null) ?? null,
        fields: (r.fields as Record<string, unknown> | null) ?? null,
      }));
    },

    /**
     * Other alerts fired within [sinceMs, untilMs] (event time) with the same group value or
     * linked to an event of one of `hosts`, newest first, at most `limit`. Each row says
     * whether the group value matched and which of the hosts it shares.
     */
    async related(q: { alertId: string; groupValue: string | null; hosts: string[]; sinceMs: number; untilMs: number; limit: number }): Promise<RelatedAlertRow[]> {
      if (q.groupValue === null && q.hosts.length === 0) return [];
      const { rows } = await db.query<Record<string, unknown>>(
        // Each branch walks its alerts newest first and stops at `limit`: a host shared by
        // thousands of alerts costs no more than a rare one. The host test is one probe of
        // alert_events_hostname_idx per alert.
        `WITH by_group AS (
           SELECT a.id, a.fired_at, a.seq FROM alerts a
           WHERE $2::text IS NOT NULL AND md5(a.group_value) = md5($2) AND a.group_value = $2 AND a.fired_at BETWEEN $4 AND $5 AND a.id <> $1
           ORDER BY a.fired_at DESC, a.seq DESC LIMIT $6
         ), by_host AS (
           SELECT a.id, a.fired_at, a.seq FROM alerts a
           WHERE cardinality($3::text[]) > 0 AND a.fired_at BETWEEN $4 AND $5 AND a.id <> $1
             AND EXISTS (SELECT 1 FROM alert_events ae
                         WHERE ae.alert_id = a.id AND ae.snapshot IS NOT NULL AND (ae.snapshot ->> 'hostname') = ANY($3::text[]))
           ORDER BY a.fired_at DESC, a.seq DESC LIMIT $6
         ), candidates AS (
           SELECT id FROM by_group UNION SELECT id FROM by_host
         )
         SELECT a.id, a.rule_id, a.rule_name, a.title, a.severity, a.status, a.group_value, a.fired_at, a.created_at,
           ($2::text IS NOT NULL AND a.group_value IS NOT DISTINCT FROM $2) AS by_group,
           ARRAY(SELECT DISTINCT ae.snapshot ->> 'hostname' FROM alert_events ae
                 WHERE ae.alert_id = a.id AND ae.snapshot IS NOT NULL AND (ae.snapshot ->> 'hostname') = ANY($3::text[])
                 ORDER BY 1) AS hosts
         FROM alerts a JOIN candidates c ON c.id = a.id
         ORDER BY a.fired_at DESC, a.seq DESC
         LIMIT $6`,
        [q.alertId, q.groupValue, q.hosts, new Date(q.sinceMs).toISOString(), new Date(q.untilMs).toISOString(), q.limit],
      );
      return rows.map((r) => ({
        id: r.id as string,
        rule_id: r.rule_id as string,
        rule_name: r.rule_name as string,
        title: r.title as string,
        severity: r.severity as RelatedAlertRow['severity'],
        status: r.status as RelatedAlertRow['status'],
        group_value: (r.group_value as string | null) ?? null,
        fired_at: iso(r.fired_at),
        created_at: iso(r.created_at),
        by_group: r.by_group === true,
        hosts: (r.hosts as string[] | null) ?? [],
      }));
    },
  };
}
export type TriageRepo = ReturnType<typeof createTriageRepo>;
