// What the correlating process reads from the store: committed events in (tx_id, seq)
// order after a cursor, the window history to rebuild on takeover, its checkpoint (fenced
// by an epoch) and how far the stored events run ahead of it.
import type { EventCore } from '../engine/event.ts';
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

export interface Advance {
  cursor: Cursor;
  highWaterMs: number | null;
  lastEventId: string | null;
  lastEventMs: number | null;
}

export function createCorrelationRepo(db: Queryable) {
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

    async get(name: string): Promise<Checkpoint | null> {
      const { rows } = await db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM correlation_checkpoints WHERE name = $1`, [name]);
      return rows[0] ? toCheckpoint(rows[0]) : null;
    },

    /** Takes the checkpoint over for `owner`: a new epoch, which fences out the previous owner. */
    async claim(name: string, owner: string): Promise<Checkpoint> {
      const { rows } = await db.query<CheckpointRow>(
        `INSERT INTO correlation_checkpoints (name, epoch, owner) VALUES ($1, 1, $2)
         ON CONFLICT (name) DO UPDATE SET epoch = correlation_checkpoints.epoch + 1, owner = $2, heartbeat_at = now()
         RETURNING ${CHECKPOINT_COLUMNS}`,
        [name, owner],
      );
      return toCheckpoint(rows[0]!);
    },

    /** Moves the checkpoint (inside the alerts' transaction); false when another owner took over. */
    async advance(tx: Queryable, name: string, epoch: number, to: Advance): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE correlation_checkpoints SET tx_id = $3::xid8, seq = $4::bigint, high_water = $5, last_event_id = $6,
           last_event_ts = $7, heartbeat_at = now(), advanced_at = now()
         WHERE name = $1 AND epoch = $2`,
        [name, epoch, to.cursor.tx, to.cursor.seq, to.highWaterMs === null ? null : iso(to.highWaterMs), to.lastEventId,
          to.lastEventMs === null ? null : iso(to.lastEventMs)],
      );
      return rowCount > 0;
    },

    /** Says the owner is alive while idle; false when another owner took over. */
    async heartbeat(name: string, epoch: number): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE correlation_checkpoints SET heartbeat_at = now() WHERE name = $1 AND epoch = $2', [name, epoch]);
      return rowCount > 0;
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
