// What a case holds: linked alerts and log events, comments with their mentions, and
// observables. Writers take the transaction the service opened after locking the case.
import type { ObservableType } from '@siem/contracts';
import type { Db, Queryable } from './db.ts';
import { ALERT_COLUMNS, toRecord as toAlertRecord } from './alerts-repo.ts';
import type { AlertRecord } from './alerts-repo.ts';

export interface CommentRecord {
  id: string;
  author: string;
  body: string;
  mentions: string[];
  created_at: string;
}

export interface ObservableRecord {
  id: string;
  type: ObservableType;
  value: string;
  note: string | null;
  source_alert_id: string | null;
  added_by: string;
  added_at: string;
}

export interface NewObservable {
  id: string;
  type: ObservableType;
  value: string;
  note: string | null;
  source_alert_id: string | null;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => new Date(v as Date).toISOString();
const toObservable = (r: Row): ObservableRecord => ({ ...(r as unknown as ObservableRecord), added_at: iso(r.added_at) });
const OBSERVABLE_COLUMNS = 'id, type, value, note, source_alert_id, added_by, added_at';

export function createCaseItemsRepo(db: Db) {
  return {
    async counts(tx: Queryable, caseId: string): Promise<{ alerts: number; events: number; comments: number; observables: number }> {
      const { rows } = await tx.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM case_alerts WHERE case_id = $1) AS alerts,
                (SELECT count(*)::int FROM case_events WHERE case_id = $1) AS events,
                (SELECT count(*)::int FROM case_comments WHERE case_id = $1) AS comments,
                (SELECT count(*)::int FROM case_observables WHERE case_id = $1) AS observables`,
        [caseId],
      );
      const r = rows[0]!;
      return { alerts: Number(r.alerts), events: Number(r.events), comments: Number(r.comments), observables: Number(r.observables) };
    },

    /** Links the existing alerts among `alertIds`; returns the ids newly linked, in the order given. */
    async linkAlerts(tx: Queryable, caseId: string, alertIds: string[], by: string, nowMs: number): Promise<string[]> {
      const { rows } = await tx.query<{ alert_id: string }>(
        `INSERT INTO case_alerts (case_id, alert_id, added_by, added_at)
         SELECT $1, a.id, $3, $4 FROM unnest($2::text[]) WITH ORDINALITY AS ids(id, n) JOIN alerts a ON a.id = ids.id
         ORDER BY ids.n
         ON CONFLICT DO NOTHING RETURNING alert_id`,
        [caseId, alertIds, by, new Date(nowMs).toISOString()],
      );
      const linked = new Set(rows.map((r) => r.alert_id));
      return alertIds.filter((id, i) => linked.has(id) && alertIds.indexOf(id) === i);
    },

    async unlinkAlert(tx: Queryable, caseId: string, alertId: string): Promise<boolean> {
      const { rows } = await tx.query('DELETE FROM case_alerts WHERE case_id = $1 AND alert_id = $2 RETURNING alert_id', [caseId, alertId]);
      return rows.length > 0;
    },

    /** The linked alerts, newest first. */
    async alerts(caseId: string, limit: number): Promise<AlertRecord[]> {
      const { rows } = await db.query<Row>(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id IN (SELECT alert_id FROM case_alerts WHERE case_id = $1)
         ORDER BY created_at DESC, seq DESC LIMIT $2`,
        [caseId, limit],
      );
      return rows.map(toAlertRecord);
    },

    async linkEvents(tx: Queryable, caseId: string, eventIds: string[], by: string, nowMs: number): Promise<string[]> {
      const { rows } = await tx.query<{ event_id: string }>(
        `INSERT INTO case_events (case_id, event_id, added_by, added_at)
         SELECT $1, ids.id, $3, $4 FROM unnest($2::text[]) AS ids(id)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [caseId, eventIds, by, new Date(nowMs).toISOString()],
      );
      const linked = new Set(rows.map((r) => r.event_id));
      return eventIds.filter((id, i) => linked.has(id) && eventIds.indexOf(id) === i);
    },

    async unlinkEvent(tx: Queryable, caseId: string, eventId: string): Promise<boolean> {
      const { rows } = await tx.query('DELETE FROM case_events WHERE case_id = $1 AND event_id = $2 RETURNING event_id', [caseId, eventId]);
      return rows.length > 0;
    },

    /** Every linked event id, newest link first. */
    async eventIds(caseId: string): Promise<string[]> {
      const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM case_events WHERE case_id = $1 ORDER BY added_at DESC, event_id', [caseId]);
      return rows.map((r) => r.event_id);
    },

    async addComment(
      tx: Queryable,
      c: { id: string; caseId: string; author: string; body: string; mentionIds: string[]; nowMs: number },
    ): Promise<void> {
      await tx.query('INSERT INTO case_comments (id, case_id, author, body, created_at) VALUES ($1, $2, $3, $4, $5)', [
        c.id, c.caseId, c.author, c.body, new Date(c.nowMs).toISOString(),
      ]);
      if (c.mentionIds.length === 0) return;
      await tx.query(
        'INSERT INTO case_mentions (comment_id, case_id, user_id) SELECT $1, $2, u FROM unnest($3::text[]) AS u ON CONFLICT DO NOTHING',
        [c.id, c.caseId, c.mentionIds],
      );
    },

    /** Comments oldest first, each with the current usernames of the accounts it mentions. */
    async comments(caseId: string, q: Queryable = db): Promise<CommentRecord[]> {
      const { rows } = await q.query<Row>(
        `SELECT c.id, c.author, c.body, c.created_at,
           ARRAY(SELECT u.username FROM case_mentions m JOIN users u ON u.id = m.user_id WHERE m.comment_id = c.id ORDER BY u.username) AS mentions
         FROM case_comments c WHERE c.case_id = $1 ORDER BY c.created_at, c.id`,
        [caseId],
      );
      return rows.map((r) => ({ ...(r as unknown as CommentRecord), mentions: (r.mentions as string[] | null) ?? [], created_at: iso(r.created_at) }));
    },

    /** Adds the observables not already on the case (same type and value); returns those added. */
    async addObservables(tx: Queryable, caseId: string, items: NewObservable[], by: string, nowMs: number): Promise<ObservableRecord[]> {
      if (items.length === 0) return [];
      const { rows } = await tx.query<Row>(
        `INSERT INTO case_observables (id, case_id, type, value, note, source_alert_id, added_by, added_at)
         SELECT o.id, $1, o.type, o.value, o.note, o.source_alert_id, $2, $3
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS o(id, type, value, note, source_alert_id, n)
         ORDER BY o.n
         ON CONFLICT (case_id, type, value) DO NOTHING RETURNING ${OBSERVABLE_COLUMNS}`,
        [
          caseId, by, new Date(nowMs).toISOString(),
          items.map((o) => o.id), items.map((o) => o.type), items.map((o) => o.value), items.map((o) => o.note), items.map((o) => o.source_alert_id),
        ],
      );
      const order = new Map(items.map((o, i) => [o.id, i]));
      return rows.map(toObservable).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    },

    async removeObservable(tx: Queryable, caseId: string, id: string): Promise<ObservableRecord | null> {
      const { rows } = await tx.query<Row>(`DELETE FROM case_observables WHERE case_id = $1 AND id = $2 RETURNING ${OBSERVABLE_COLUMNS}`, [caseId, id]);
      return rows[0] ? toObservable(rows[0]) : null;
    },

    async observables(caseId: string): Promise<ObservableRecord[]> {
      const { rows } = await db.query<Row>(`SELECT ${OBSERVABLE_COLUMNS} FROM case_observables WHERE case_id = $1 ORDER BY added_at, id`, [caseId]);
      return rows.map(toObservable);
    },
  };
}
export type CaseItemsRepo = ReturnType<typeof createCaseItemsRepo>;
