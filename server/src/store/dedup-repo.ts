// event_dedup: keys of events already stored (a client-given id or a digest of the raw
// event) until they expire. Claiming runs in the writer's transaction; pruning deletes
// expired keys in bounded batches and never waits on a row a writer holds.
import type { Queryable } from './db.ts';

export interface DedupClaim {
  key: string;
  /** The event stored under this key when the claim wins. */
  eventId: string;
  expiresMs: number;
}

export function createDedupRepo(db: Queryable) {
  return {
    /**
     * Claims keys for a batch (keys unique within it) and returns those now claimed:
     * absent, or present but expired. A key another transaction is claiming makes this one
     * wait for it and then count as taken; keys are claimed in sorted order, so two
     * batches sharing keys wait on each other in one order and cannot deadlock.
     */
    async claim(tx: Queryable, claims: DedupClaim[], nowMs: number): Promise<Set<string>> {
      if (claims.length === 0) return new Set();
      const sorted = [...claims].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const { rows } = await tx.query<{ key: string }>(
        `INSERT INTO event_dedup (key, event_id, expires_at)
         SELECT k, e, x FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(k, e, x)
         ON CONFLICT (key) DO UPDATE SET event_id = EXCLUDED.event_id, expires_at = EXCLUDED.expires_at
         WHERE event_dedup.expires_at <= $4
         RETURNING key`,
        [
          sorted.map((c) => c.key),
          sorted.map((c) => c.eventId),
          sorted.map((c) => new Date(c.expiresMs).toISOString()),
          new Date(nowMs).toISOString(),
        ],
      );
      return new Set(rows.map((r) => r.key));
    },

    /** The event stored under each key (for answering a duplicate with its original). */
    async owners(tx: Queryable, keys: string[]): Promise<Map<string, string>> {
      if (keys.length === 0) return new Map();
      const { rows } = await tx.query<{ key: string; event_id: string }>('SELECT key, event_id FROM event_dedup WHERE key = ANY($1::text[])', [keys]);
      return new Map(rows.map((r) => [r.key, r.event_id]));
    },

    /** Deletes up to `limit` expired keys; rows a writer holds right now are left for later. */
    async prune(nowMs: number, limit: number): Promise<number> {
      const { rowCount } = await db.query(
        `DELETE FROM event_dedup WHERE key = ANY(ARRAY(
           SELECT key FROM event_dedup WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
        [new Date(nowMs).toISOString(), limit],
      );
      return rowCount;
    },

    async count(): Promise<number> {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_dedup');
      return Number(rows[0]?.n ?? 0);
    },
  };
}
export type DedupRepo = ReturnType<typeof createDedupRepo>;
