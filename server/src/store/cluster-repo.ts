// What the cluster view reads: the registered correlation processes and every partition's
// checkpoint with how many stored events trail it. Two queries; the lag of all partitions
// comes from one bounded walk of the newest events, not one count per partition.
import type { Queryable } from './db.ts';

/** Rows of correlation_members, times in ms by the store's clock. */
export interface MemberRow {
  consumer: string;
  host: string;
  pid: number;
  startedMs: number;
  heartbeatMs: number;
  partitions: number[];
  state: string;
}

export interface PartitionRow {
  partition: number;
  /** False when the partition has no checkpoint row yet (nothing claimed it). */
  hasCheckpoint: boolean;
  owner: string | null;
  epoch: number;
  highWaterMs: number | null;
  advancedMs: number | null;
  heartbeatMs: number | null;
  /** Stored events after the checkpoint, up to countMax + 1 (more than countMax = capped). */
  lagEvents: number;
  /** When the oldest of them was stored; null when there is none. */
  oldestPendingMs: number | null;
}

export interface MembersRead {
  /** The store's clock when it answered: ages and liveness are measured against it. */
  nowMs: number;
  members: MemberRow[];
}

const ms = (v: Date | string): number => (v instanceof Date ? v.getTime() : Date.parse(v));
const msOrNull = (v: Date | string | null): number | null => (v === null ? null : ms(v));

interface MemberSqlRow {
  consumer: string;
  host: string;
  pid: number;
  started_at: Date | string;
  heartbeat_at: Date | string;
  partitions: number[] | null;
  state: string;
  now: Date | string;
}

interface PartitionSqlRow {
  partition: number;
  has_row: boolean;
  owner: string | null;
  epoch: string | null;
  high_water: Date | string | null;
  advanced_at: Date | string | null;
  heartbeat_at: Date | string | null;
  ahead: string | null;
  oldest: Date | string | null;
}

// The lag of every partition at once. `tail` is the newest countMax + 1 events (a backward
// walk of the cursor index); merging the checkpoints' cursors into it in one descending
// order, the events seen before a cursor are those after it. A checkpoint that sorts
// before the whole tail has more than countMax events to go: capped. At equal positions
// the checkpoint sorts first: the event it points at is done. A partition without a row
// counts from the very start, as a claim would. The walk stops at the furthest-behind
// checkpoint, so when every partition is caught up it reads next to nothing.
const PARTITIONS_SQL = `
WITH parts AS (
  SELECT p AS partition, c.name IS NOT NULL AS has_row, COALESCE(c.tx_id, '0'::xid8) AS tx_id, COALESCE(c.seq, 0) AS seq,
         c.owner, c.epoch::text AS epoch, c.high_water, c.advanced_at, c.heartbeat_at
  FROM generate_series(0, $1::int - 1) AS p
  LEFT JOIN correlation_checkpoints c ON c.name = 'correlation/' || p
), tail AS (
  SELECT tx_id, seq FROM log_events
  WHERE (tx_id, seq) > (SELECT tx_id, seq FROM parts ORDER BY tx_id, seq LIMIT 1)
  ORDER BY tx_id DESC, seq DESC LIMIT $2::int + 1
), marks AS (
  SELECT tx_id, seq, 1 AS is_event, NULL::int AS partition FROM tail
  UNION ALL
  SELECT tx_id, seq, 0, partition FROM parts
), counted AS (
  SELECT partition, sum(is_event) OVER (ORDER BY tx_id DESC, seq DESC, is_event ROWS UNBOUNDED PRECEDING) AS ahead
  FROM marks
)
SELECT parts.partition, parts.has_row, parts.owner, parts.epoch, parts.high_water, parts.advanced_at, parts.heartbeat_at,
       counted.ahead::text AS ahead, oldest.created_at AS oldest
FROM parts
JOIN counted ON counted.partition = parts.partition
LEFT JOIN LATERAL (
  SELECT e.created_at FROM log_events e WHERE (e.tx_id, e.seq) > (parts.tx_id, parts.seq) ORDER BY e.tx_id, e.seq LIMIT 1
) oldest ON true
ORDER BY parts.partition`;

export function createClusterRepo(db: Queryable) {
  return {
    /** The registered processes, the most recently seen first, at most `limit`. */
    async members(limit: number): Promise<MembersRead> {
      const { rows } = await db.query<MemberSqlRow>(
        `SELECT m.consumer, m.host, m.pid, m.started_at, m.heartbeat_at, m.partitions, m.state, clock.now
         FROM (SELECT now() AS now) clock
         LEFT JOIN LATERAL (SELECT * FROM correlation_members ORDER BY heartbeat_at DESC, consumer LIMIT $1) m ON true`,
        [limit],
      );
      const nowMs = rows[0] ? ms(rows[0].now) : Date.now();
      const members = rows.filter((r) => r.consumer !== null).map((r) => ({
        consumer: r.consumer,
        host: r.host,
        pid: Number(r.pid),
        startedMs: ms(r.started_at),
        heartbeatMs: ms(r.heartbeat_at),
        partitions: (r.partitions ?? []).map(Number).sort((a, b) => a - b),
        state: r.state,
      }));
      return { nowMs, members };
    },

    /** Partitions 0 .. count - 1 with their checkpoint and lag (events counted up to countMax + 1). */
    async partitions(count: number, countMax: number): Promise<PartitionRow[]> {
      const { rows } = await db.query<PartitionSqlRow>(PARTITIONS_SQL, [count, countMax]);
      return rows.map((r) => ({
        partition: Number(r.partition),
        hasCheckpoint: r.has_row,
        owner: r.owner,
        epoch: Number(r.epoch ?? 0),
        highWaterMs: msOrNull(r.high_water),
        advancedMs: msOrNull(r.advanced_at),
        heartbeatMs: msOrNull(r.heartbeat_at),
        lagEvents: Number(r.ahead ?? 0),
        oldestPendingMs: msOrNull(r.oldest),
      }));
    },

    /** Deletes members whose heartbeat is older than `olderThanMs` (store clock); returns how many. */
    async pruneMembers(olderThanMs: number): Promise<number> {
      const { rowCount } = await db.query(
        `DELETE FROM correlation_members WHERE heartbeat_at < now() - $1::bigint * interval '1 millisecond'`,
        [Math.max(0, Math.floor(olderThanMs))],
      );
      return rowCount;
    },
  };
}
export type ClusterRepo = ReturnType<typeof createClusterRepo>;
