// cases and case_timeline: insert, lock, partial update, filtered pages, the timeline, and
// the active accounts assignees and mentions name. Every change a service makes runs in
// one transaction that first locks the case row (lock()), so concurrent edits serialize
// and each writes its own timeline rows.
import type { CaseResolution, CaseStatus, Severity } from '@siem/contracts';
import type { Db, Queryable } from './db.ts';
import { likeLiteral } from './events-repo.ts';

export interface CaseRecord {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  status: CaseStatus;
  resolution: CaseResolution | null;
  resolution_note: string | null;
  assignee: string | null;
  assignee_id: string | null;
  created_by: string;
  alert_count: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface TimelineInput {
  kind: string;
  field?: string | null;
  from?: string | null;
  to?: string | null;
  ref?: string | null;
}

export interface TimelineRow {
  id: number;
  kind: string;
  field: string | null;
  from: string | null;
  to: string | null;
  ref_id: string | null;
  by: string;
  at: string;
}

export interface CaseFilters {
  /** A status, or `active` (open + in_progress). */
  status?: string | undefined;
  severity?: string | undefined;
  assigneeId?: string | undefined;
  mentionedId?: string | undefined;
  text?: string | undefined;
  alertId?: string | undefined;
}

export type CasePatch = Partial<Pick<CaseRecord, 'title' | 'description' | 'severity' | 'status' | 'resolution' | 'resolution_note' | 'assignee_id' | 'closed_at'>>;

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as Date).toISOString());

const COLUMNS = `c.id, c.title, c.description, c.severity, c.status, c.resolution, c.resolution_note, c.assignee_id,
  (SELECT u.username FROM users u WHERE u.id = c.assignee_id) AS assignee, c.created_by,
  (SELECT count(*)::int FROM case_alerts ca WHERE ca.case_id = c.id) AS alert_count, c.created_at, c.updated_at, c.closed_at`;

function toRecord(r: Row): CaseRecord {
  return {
    ...(r as unknown as CaseRecord),
    assignee: (r.assignee as string | null) ?? null,
    assignee_id: (r.assignee_id as string | null) ?? null,
    alert_count: Number(r.alert_count ?? 0),
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
    closed_at: iso(r.closed_at),
  };
}

function whereClause(f: CaseFilters, params: unknown[]): string {
  const parts: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.status === 'active') add('c.status = ANY(?::text[])', ['open', 'in_progress']);
  else if (f.status !== undefined) add('c.status = ?', f.status);
  if (f.severity !== undefined) add('c.severity = ?', f.severity);
  if (f.assigneeId !== undefined) add('c.assignee_id = ?', f.assigneeId);
  if (f.mentionedId !== undefined) add('EXISTS (SELECT 1 FROM case_mentions m WHERE m.case_id = c.id AND m.user_id = ?)', f.mentionedId);
  if (f.alertId !== undefined) add('EXISTS (SELECT 1 FROM case_alerts ca WHERE ca.case_id = c.id AND ca.alert_id = ?)', f.alertId);
  if (f.text !== undefined) add("(c.title ILIKE ? ESCAPE '\\' OR c.description ILIKE ? ESCAPE '\\')", `%${likeLiteral(f.text)}%`);
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

export function createCasesRepo(db: Db) {
  const byId = async (q: Queryable, id: string): Promise<CaseRecord | null> => {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM cases c WHERE c.id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  };

  return {
    findById: (id: string, q: Queryable = db) => byId(q, id),

    /** Locks the case row for the rest of the transaction; null when there is none. */
    async lock(tx: Queryable, id: string): Promise<CaseRecord | null> {
      const { rows } = await tx.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [id]);
      return rows[0] ? byId(tx, id) : null;
    },

    async insert(
      tx: Queryable,
      c: { id: string; title: string; description: string; severity: Severity; assignee_id: string | null; created_by: string; nowMs: number },
    ): Promise<void> {
      await tx.query(
        `INSERT INTO cases (id, title, description, severity, assignee_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [c.id, c.title, c.description, c.severity, c.assignee_id, c.created_by, new Date(c.nowMs).toISOString()],
      );
    },

    /** Writes the given columns (names from the CasePatch keys, never from a request) and the update time. */
    async update(tx: Queryable, id: string, patch: CasePatch, nowMs: number): Promise<void> {
      const params: unknown[] = [id, new Date(nowMs).toISOString()];
      const sets = ['updated_at = $2'];
      for (const [column, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      }
      await tx.query(`UPDATE cases SET ${sets.join(', ')} WHERE id = $1`, params);
    },

    /** Marks the case changed (a link, a comment...). */
    async touch(tx: Queryable, id: string, nowMs: number): Promise<void> {
      await tx.query('UPDATE cases SET updated_at = $2 WHERE id = $1', [id, new Date(nowMs).toISOString()]);
    },

    async list(filters: CaseFilters, offset: number, limit: number): Promise<{ items: CaseRecord[]; total: number }> {
      const params: unknown[] = [];
      const where = whereClause(filters, params);
      const countParams = [...params];
      params.push(limit, offset);
      const [page, total] = await Promise.all([
        db.query<Row>(`SELECT ${COLUMNS} FROM cases c ${where} ORDER BY c.created_at DESC, c.seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases c ${where}`, countParams),
      ]);
      return { items: page.rows.map(toRecord), total: Number(total.rows[0]?.n ?? 0) };
    },

    /** Appends timeline entries in one statement, in the order given. */
    async addTimeline(tx: Queryable, caseId: string, entries: TimelineInput[], by: string, nowMs: number): Promise<void> {
      if (entries.length === 0) return;
      await tx.query(
        `INSERT INTO case_timeline (case_id, kind, field, from_value, to_value, ref_id, by_username, at)
         SELECT $1, e.kind, e.field, e.from_value, e.to_value, e.ref_id, $2, $3
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS e(kind, field, from_value, to_value, ref_id, n)
         ORDER BY e.n`,
        [
          caseId, by, new Date(nowMs).toISOString(),
          entries.map((e) => e.kind), entries.map((e) => e.field ?? null), entries.map((e) => e.from ?? null),
          entries.map((e) => e.to ?? null), entries.map((e) => e.ref ?? null),
        ],
      );
    },

    async timeline(caseId: string, offset: number, limit: number): Promise<{ items: TimelineRow[]; total: number }> {
      const [page, total] = await Promise.all([
        db.query<Row>(
          `SELECT id, kind, field, from_value, to_value, ref_id, by_username, at FROM case_timeline
           WHERE case_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
          [caseId, limit, offset],
        ),
        db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_timeline WHERE case_id = $1', [caseId]),
      ]);
      return {
        items: page.rows.map((r) => ({
          id: Number(r.id),
          kind: r.kind as string,
          field: (r.field as string | null) ?? null,
          from: (r.from_value as string | null) ?? null,
          to: (r.to_value as string | null) ?? null,
          ref_id: (r.ref_id as string | null) ?? null,
          by: r.by_username as string,
          at: iso(r.at)!,
        })),
        total: Number(total.rows[0]?.n ?? 0),
      };
    },

    /** The cases an alert is linked to, newest first. */
    async ofAlert(alertId: string): Promise<Pick<CaseRecord, 'id' | 'title' | 'status' | 'severity'>[]> {
      const { rows } = await db.query<Pick<CaseRecord, 'id' | 'title' | 'status' | 'severity'>>(
        `SELECT c.id, c.title, c.status, c.severity FROM case_alerts ca JOIN cases c ON c.id = ca.case_id
         WHERE ca.alert_id = $1 ORDER BY c.created_at DESC, c.seq DESC LIMIT 100`,
        [alertId],
      );
      return rows;
    },

    /** An active account by username (case-insensitive, as uniqueness is). */
    async activeUser(name: string, q: Queryable = db): Promise<{ id: string; username: string } | null> {
      const { rows } = await q.query<{ id: string; username: string }>(
        'SELECT id, username FROM users WHERE lower(username) = lower($1) AND is_active',
        [name],
      );
      return rows[0] ?? null;
    },

    /** The active accounts among these names (case-insensitive). */
    async activeUsers(names: string[], q: Queryable = db): Promise<{ id: string; username: string }[]> {
      if (names.length === 0) return [];
      const { rows } = await q.query<{ id: string; username: string }>(
        'SELECT id, username FROM users WHERE lower(username) = ANY($1::text[]) AND is_active ORDER BY username',
        [names.map((n) => n.toLowerCase())],
      );
      return rows;
    },

    /** Active accounts whose name starts with `prefix` (the pickers), at most `limit`. */
    async searchUsers(prefix: string, limit: number): Promise<{ id: string; username: string }[]> {
      const { rows } = await db.query<{ id: string; username: string }>(
        `SELECT id, username FROM users WHERE is_active AND lower(username) LIKE $1 ESCAPE '\\' ORDER BY lower(username) LIMIT $2`,
        [`${likeLiteral(prefix.toLowerCase())}%`, limit],
      );
      return rows;
    },
  };
}
export type CasesRepo = ReturnType<typeof createCasesRepo>;
