// bus_outbox: ids of stored records (events, alerts) whose publication on the bus failed,
// kept until the bus answers again. One row per failed publish, drained oldest first.
import type { Queryable } from './db.ts';

export interface OutboxEntry {
  id: string;
  stream: string;
  recordIds: string[];
}

export function createOutboxRepo(db: Queryable) {
  return {
    async add(stream: string, recordIds: string[]): Promise<void> {
      if (recordIds.length === 0) return;
      await db.query('INSERT INTO bus_outbox (stream, record_ids) VALUES ($1, $2::text[])', [stream, recordIds]);
    },

    /** The oldest entries, locked for this transaction (other processes skip them). */
    async take(tx: Queryable, limit: number): Promise<OutboxEntry[]> {
      const { rows } = await tx.query<{ id: string; stream: string; record_ids: string[] }>(
        'SELECT id::text AS id, stream, record_ids FROM bus_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [limit],
      );
      return rows.map((r) => ({ id: r.id, stream: r.stream, recordIds: r.record_ids }));
    },

    async remove(tx: Queryable, ids: string[]): Promise<void> {
      if (ids.length > 0) await tx.query('DELETE FROM bus_outbox WHERE id = ANY($1::bigint[])', [ids]);
    },

    async size(): Promise<number> {
      const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM bus_outbox');
      return Number(rows[0]?.n ?? 0);
    },
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
