// Alert assignment: sets alerts.assignee_id under a row lock and records the change in
// alert_history (kind `assignee`, the status kept in from/to, the usernames in from/to_value)
// in the same transaction, as status changes are.
import type { Queryable } from './db.ts';
import { ALERT_COLUMNS, toRecord } from './alerts-repo.ts';
import type { AlertRecord } from './alerts-repo.ts';

export async function assignAlert(
  tx: Queryable,
  alertId: string,
  change: { assignee: { id: string; username: string } | null; by: string; nowMs: number },
): Promise<AlertRecord | null> {
  const { rows } = await tx.query<{ status: string; assignee_id: string | null; assignee: string | null }>(
    `SELECT status, assignee_id, (SELECT u.username FROM users u WHERE u.id = alerts.assignee_id) AS assignee
     FROM alerts WHERE id = $1 FOR UPDATE`,
    [alertId],
  );
  const current = rows[0];
  if (!current) return null;
  const nextId = change.assignee?.id ?? null;
  const now = new Date(change.nowMs).toISOString();
  if (current.assignee_id !== nextId) {
    await tx.query('UPDATE alerts SET assignee_id = $2, updated_at = $3 WHERE id = $1', [alertId, nextId, now]);
    await tx.query(
      `INSERT INTO alert_history (alert_id, from_status, to_status, by_username, at, kind, from_value, to_value)
       VALUES ($1, $2, $2, $3, $4, 'assignee', $5, $6)`,
      [alertId, current.status, change.by, now, current.assignee, change.assignee?.username ?? null],
    );
  }
  const updated = await tx.query<Record<string, unknown>>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [alertId]);
  return toRecord(updated.rows[0]!);
}
