// What the correlating process reads from the store: committed events in (tx_id, seq)
// order after a cursor, the window history to rebuild on takeover, its checkpoint (fenced
// by an epoch) and how far the stored events run ahead of it.
import type { EventCore } from '../engine/event.ts';
import { CORRELATION_PARTITIONS, partitionName } from '../engine/correlation/partition.ts';
import type { Queryable } from './db.ts';

/** A position in the event log: the writing transaction's id (xid8 as text) and the row's seq. */
export interface Cursor {
  tx: string;
  seq: string;
}

export const START_CURSOR: Cursor = { tx: '0', seq: '0' };

export interface CursorEvent extends EventCore {
  cursor: Cursor;
}

export interface Checkpoint {
  cursor: Cursor;
  highWaterMs: number | null;
  lastEventId: string | null;
  lastEventMs: number | null;
  epoch: number;
  owner: string | null;
  heartbeatMs: number;
  advancedMs: number;
}

export interface Lag {
  /** Stored events past the checkpoint (counted up to `countMax`). */
  events: number;
  /** Age of the oldest of them (its store time), 0 when there is none. */
  seconds: number;
}

/** A row as the drivers return it: the engine's input with the time as a column and the cursor as text. */
type EventRow = Omit<EventCore, 'timeMs'> & { ts: Date | string; cursor_tx: string; cursor_seq: string };

interface CheckpointRow {
  cursor_tx: string;
  cursor_seq: string;
  high_water: Date | string | null;
  last_event_id: string | null;
  last_event_ts: Date | string | null;
  epoch: string;
  owner: string | null;
  heartbeat_at: Date | string;
  advanced_at: Date | string;
}

const EVENT_COLUMNS = `id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
  hostname, username, message, mitre_tactic, mitre_technique, scenario_run_id, normalized, fields, tx_id::text AS cursor_tx, seq::text AS cursor_seq`;
// The record as it arrived is read only when a rule names a raw.* path (it is the widest column).
const columns = (raw: boolean): string => (raw ? `${EVENT_COLUMNS}, raw` : EVENT_COLUMNS);

/** What a correlation read loads besides the core: `raw` only when a running rule reads it. */
export interface ReadOptions {
  raw?: boolean;
}
// (The text aliases differ from the column names: ORDER BY seq would otherwise sort the text.)

// Rows written by a transaction older than every one still running are final: no commit
// can add a row before them any more.
const SETTLED = 'tx_id < pg_snapshot_xmin(pg_current_snapshot())';

/** Orders two log positions; -1, 0 or 1. */
export function compareCursors(a: Cursor, b: Cursor): number {
  const tx = BigInt(a.tx) - BigInt(b.tx);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const seq = BigInt(a.seq) - BigInt(b.seq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

const ms = (v: Date | string): number => (v instanceof Date ? v.getTime() : Date.parse(v));
const msOrNull = (v: Date | string | null): number | null => (v === null ? null : ms(v));
const iso = (t: number): string => new Date(t).toISOString();

function toEvent(r: EventRow): CursorEvent {
  const { ts, cursor_tx: tx, cursor_seq: seq, ...core } = r;
  return { ...core, timeMs: ms(ts), cursor: { tx, seq } };
}

function toCheckpoint(r: CheckpointRow): Checkpoint {
  return {
    cursor: { tx: r.cursor_tx, seq: r.cursor_seq },
    highWaterMs: msOrNull(r.high_water),
    lastEventId: r.last_event_id,
    lastEventMs: msOrNull(r.last_event_ts),
    epoch: Number(r.epoch),
    owner: r.owner,
    heartbeatMs: ms(r.heartbeat_at),
    advancedMs: ms(r.advanced_at),
  };
}

const CHECKPOINT_COLUMNS = `tx_id::text AS cursor_tx, seq::text AS cursor_seq, high_water, last_event_id, last_event_ts,
  epoch::text AS epoch, owner, heartbeat_at, advanced_at`;

/** A partition's checkpoint as one owner holds it: the epoch it claimed. */
export interface Claim {
  partition: number;
  epoch: number;
}

export interface PartitionCheckpoint extends Checkpoint {
  partition: number;
}

const PARTITION_NAMES = Array.from({ length: CORRELATION_PARTITIONS }, (_, p) => partitionName(p));
const partitionOfName = (name: string): number => Number(name.slice(name.indexOf('/') + 1));
const claimArrays = (claims: readonly Claim[]): [string[], number[]] => [claims.map((c) => partitionName(c.partition)), claims.map((c) => c.epoch)];

export interface Advance {
  cursor: Cursor;
  highWaterMs: number | null;
  lastEventId: string | null;
  lastEventMs: number | null;
}

export function createCorrelationRepo(db: Queryable) {
  // Whether the partitions' rows are known to exist (they are created once, then only updated).
  let created = false;
  return {
    /** Settled events after `after`, oldest first. */
    async readAfter(after: Cursor, limit: number, opts: ReadOptions = {}): Promise<CursorEvent[]> {
      const { rows } = await db.query<EventRow>(
        `SELECT ${columns(opts.raw === true)} FROM log_events
         WHERE (tx_id, seq) > ($1::xid8, $2::bigint) AND ${SETTLED}
         ORDER BY tx_id, seq LIMIT $3`,
        [after.tx, after.seq, limit],
      );
      return rows.map(toEvent);
    },

    /** The events with these ids, in log order (republishing what the bus missed). */
    async readByIds(ids: string[], tx: Queryable = db): Promise<CursorEvent[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM log_events WHERE id = ANY($1::text[]) ORDER BY tx_id, seq`,
        [ids],
      );
      return rows.map(toEvent);
    },

    /**
     * Events up to and including `upTo` whose event time is at least `sinceMs`, after
     * `after`, in log order: the history a new owner replays to rebuild open windows.
     */
    async readHistory(after: Cursor, upTo: Cursor, sinceMs: number, limit: number, opts: ReadOptions = {}): Promise<CursorEvent[]> {
      const { rows } = await db.query<EventRow>(
        `SELECT ${columns(opts.raw === true)} FROM log_events
         WHERE (tx_id, seq) > ($1::xid8, $2::bigint) AND (tx_id, seq) <= ($3::xid8, $4::bigint) AND ts >= $5
         ORDER BY tx_id, seq LIMIT $6`,
        [after.tx, after.seq, upTo.tx, upTo.seq, iso(sinceMs), limit],
      );
      return rows.map(toEvent);
    },

    /**
     * Where the replay starts: just before the oldest (in log order) of the newest `max`
     * events with event time >= sinceMs up to `upTo`. `total` counts those events up to
     * max + 1 only: above max, it says that the oldest part is skipped, not how much.
     */
    async historyStart(upTo: Cursor, sinceMs: number, max: number): Promise<{ after: Cursor; total: number } | null> {
      // Walks the (tx_id, seq) index backwards and stops after max + 1 rows: a long horizon
      // (hours of lateness at a high ingest rate) costs the rows kept, not every row in it.
      const { rows } = await db.query<{ tx: string; seq: string; total: string }>(
        `WITH kept AS (
           SELECT tx_id, seq FROM log_events
           WHERE (tx_id, seq) <= ($2::xid8, $3::bigint) AND ts >= $1
           ORDER BY tx_id DESC, seq DESC LIMIT $4 + 1
         ), numbered AS (
           SELECT tx_id, seq, row_number() OVER (ORDER BY tx_id DESC, seq DESC) AS n, count(*) OVER () AS total FROM kept
         )
         SELECT tx_id::text AS tx, (seq - 1)::text AS seq, total::text AS total
         FROM numbered WHERE n <= $4 ORDER BY n DESC LIMIT 1`,
        [iso(sinceMs), upTo.tx, upTo.seq, max],
      );
      const r = rows[0];
      return r ? { after: { tx: r.tx, seq: r.seq }, total: Number(r.total) } : null;
    },

    /** Every partition's checkpoint (missing rows are created, at the start of the log). */
    async partitions(): Promise<PartitionCheckpoint[]> {
      if (!created) {
        await db.query(
          `INSERT INTO correlation_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
          [PARTITION_NAMES],
        );
        created = true;
      }
      const { rows } = await db.query<CheckpointRow & { name: string }>(
        `SELECT name, ${CHECKPOINT_COLUMNS} FROM correlation_checkpoints WHERE name = ANY($1::text[])`,
        [PARTITION_NAMES],
      );
      return rows.map((r) => ({ ...toCheckpoint(r), partition: partitionOfName(r.name) })).sort((a, b) => a.partition - b.partition);
    },

    /** The partition furthest behind (lowest cursor): how far correlation as a whole has come. */
    async slowest(): Promise<PartitionCheckpoint | null> {
      const all = await this.partitions();
      let low: PartitionCheckpoint | null = null;
      for (const cp of all) if (low === null || compareCursors(cp.cursor, low.cursor) < 0) low = cp;
      return low;
    },

    /** Takes these partitions over for `owner`: a new epoch each, which fences out the previous owner. */
    async claimPartitions(partitions: readonly number[], owner: string): Promise<PartitionCheckpoint[]> {
      const { rows } = await db.query<CheckpointRow & { name: string }>(
        `INSERT INTO correlation_checkpoints (name, epoch, owner) SELECT unnest($1::text[]), 1, $2
         ON CONFLICT (name) DO UPDATE SET epoch = correlation_checkpoints.epoch + 1, owner = $2, heartbeat_at = now()
         RETURNING name, ${CHECKPOINT_COLUMNS}`,
        [partitions.map(partitionName), owner],
      );
      return rows.map((r) => ({ ...toCheckpoint(r), partition: partitionOfName(r.name) })).sort((a, b) => a.partition - b.partition);
    },

    /**
     * Moves the claimed partitions' checkpoints to `to` (inside the alerts' transaction); a
     * checkpoint already past it (its previous owner went further) keeps its place. False
     * when another owner took any of them over.
     */
    async advancePartitions(tx: Queryable, claims: readonly Claim[], to: Advance): Promise<boolean> {
      const [names, epochs] = claimArrays(claims);
      const ahead = '(c.tx_id, c.seq) > ($3::xid8, $4::bigint)';
      const { rowCount } = await tx.query(
        `UPDATE correlation_checkpoints c SET
           tx_id = CASE WHEN ${ahead} THEN c.tx_id ELSE $3::xid8 END,
           seq = CASE WHEN ${ahead} THEN c.seq ELSE $4::bigint END,
           last_event_id = CASE WHEN ${ahead} THEN c.last_event_id ELSE $6 END,
           last_event_ts = CASE WHEN ${ahead} THEN c.last_event_ts ELSE $7 END,
           high_water = GREATEST(c.high_water, $5), heartbeat_at = now(), advanced_at = now()
         FROM unnest($1::text[], $2::bigint[]) AS o(name, epoch)
         WHERE c.name = o.name AND c.epoch = o.epoch`,
        [names, epochs, to.cursor.tx, to.cursor.seq, to.highWaterMs === null ? null : iso(to.highWaterMs), to.lastEventId,
          to.lastEventMs === null ? null : iso(to.lastEventMs)],
      );
      return rowCount === claims.length;
    },

    /** Says the owner of these partitions is alive; false when another owner took any over. */
    async heartbeatPartitions(claims: readonly Claim[]): Promise<boolean> {
      const [names, epochs] = claimArrays(claims);
      const { rowCount } = await db.query(
        `UPDATE correlation_checkpoints c SET heartbeat_at = now() FROM unnest($1::text[], $2::bigint[]) AS o(name, epoch)
         WHERE c.name = o.name AND c.epoch = o.epoch`,
        [names, epochs],
      );
      return rowCount === claims.length;
    },

    /** Gives partitions up (their epoch stays: the next claim raises it). */
    async releasePartitions(claims: readonly Claim[]): Promise<void> {
      const [names, epochs] = claimArrays(claims);
      await db.query(
        `UPDATE correlation_checkpoints c SET owner = NULL FROM unnest($1::text[], $2::bigint[]) AS o(name, epoch)
         WHERE c.name = o.name AND c.epoch = o.epoch`,
        [names, epochs],
      );
    },

    /** Stored events past `after`, counted up to `countMax`, and how long the oldest has waited. */
    async lag(after: Cursor, countMax: number): Promise<Lag> {
      const { rows } = await db.query<{ n: string; oldest: Date | string | null }>(
        `SELECT (SELECT count(*) FROM (SELECT 1 FROM log_events WHERE (tx_id, seq) > ($1::xid8, $2::bigint) LIMIT $3) s)::text AS n,
                (SELECT created_at FROM log_events WHERE (tx_id, seq) > ($1::xid8, $2::bigint) ORDER BY tx_id, seq LIMIT 1) AS oldest`,
        [after.tx, after.seq, countMax],
      );
      const r = rows[0];
      const oldest = r?.oldest ? ms(r.oldest) : null;
      return { events: Number(r?.n ?? 0), seconds: oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000) };
    },

    /** When the event at this position was received (stored), null when it is gone. */
    async receivedAt(at: Cursor): Promise<number | null> {
      const { rows } = await db.query<{ created_at: Date | string }>(
        'SELECT created_at FROM log_events WHERE tx_id = $1::xid8 AND seq = $2::bigint LIMIT 1',
        [at.tx, at.seq],
      );
      return rows[0] ? ms(rows[0].created_at) : null;
    },
  };
}
export type CorrelationRepo = ReturnType<typeof createCorrelationRepo>;
