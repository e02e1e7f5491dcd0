// scenario_runs: the persisted state of every run. Control actions are conditional
// updates (only an active run changes), so two processes acting at once cannot resurrect
// a finished run; the owner heartbeats, and stale owners' runs are swept to `stopped`.
// Starting a run counts and inserts under one transaction-scoped advisory lock, so the
// concurrency limit holds for concurrent starts, from any number of processes.
import type { Db, Queryable } from './db.ts';

// Any constant distinct from the other advisory locks (migrations use 8431_2026).
const START_LOCK = 8431_0004;

export type RunStatus = 'running' | 'paused' | 'completed' | 'stopped' | 'error';

export interface RunRecord {
  id: string;
  scenario_name: string;
  filename: string;
  status: RunStatus;
  started_at: string;
  completed_at: string | null;
  events_generated: number;
  events_total: number;
  speed: number;
  error_message: string | null;
  owner: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, scenario_name, filename, status, started_at, completed_at, events_generated, events_total, speed, error_message, owner, created_at, updated_at';
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as Date).toISOString());
const toRecord = (r: Record<string, unknown>): RunRecord => ({
  ...(r as unknown as RunRecord),
  started_at: iso(r.started_at)!,
  completed_at: iso(r.completed_at),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
  events_generated: Number(r.events_generated),
  events_total: Number(r.events_total),
  speed: Number(r.speed),
});

type NewRun = { id: string; scenario_name: string; filename: string; events_total: number; speed: number; owner: string; nowMs: number };

export function createScenarioRunsRepo(db: Db) {
  const one = async (q: Queryable, sql: string, params: unknown[]) => {
    const { rows } = await q.query<Record<string, unknown>>(sql, params);
    return rows[0] ? toRecord(rows[0]) : null;
  };

  const repo = {
    async insert(run: NewRun, q: Queryable = db): Promise<RunRecord> {
      const now = new Date(run.nowMs).toISOString();
      return (await one(q,
        `INSERT INTO scenario_runs (id, scenario_name, filename, status, started_at, events_total, speed, owner, heartbeat_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $4, $4, $4) RETURNING ${COLUMNS}`,
        [run.id, run.scenario_name, run.filename, now, run.events_total, run.speed, run.owner],
      ))!;
    },

    findById: (id: string) => one(db, `SELECT ${COLUMNS} FROM scenario_runs WHERE id = $1`, [id]),

    async listActive(): Promise<RunRecord[]> {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT ${COLUMNS} FROM scenario_runs WHERE status IN ('running', 'paused') ORDER BY started_at DESC, id DESC`,
      );
      return rows.map(toRecord);
    },

    async listRecent(limit: number): Promise<RunRecord[]> {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT ${COLUMNS} FROM scenario_runs WHERE status NOT IN ('running', 'paused') ORDER BY started_at DESC, id DESC LIMIT $1`,
        [limit],
      );
      return rows.map(toRecord);
    },

    countActive: async (q: Queryable = db): Promise<number> => {
      const { rows } = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM scenario_runs WHERE status IN ('running', 'paused')");
      return Number(rows[0]?.n ?? 0);
    },

    /** Inserts the run only while fewer than `max` are active; null when the limit is reached. */
    async insertWithinLimit(run: NewRun, max: number): Promise<RunRecord | null> {
      return db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [START_LOCK]);
        if ((await repo.countActive(tx)) >= max) return null;
        return repo.insert(run, tx);
      });
    },

    /** Moves an active run between running and paused, or changes its speed; null when not active. */
    setState: (id: string, change: { status?: 'running' | 'paused'; speed?: number }, nowMs: number) =>
      one(
        db,
        `UPDATE scenario_runs SET status = COALESCE($2, status), speed = COALESCE($3, speed), updated_at = $4
         WHERE id = $1 AND status IN ('running', 'paused') RETURNING ${COLUMNS}`,
        [id, change.status ?? null, change.speed ?? null, new Date(nowMs).toISOString()],
      ),

    /** Ends an active run (stopped, completed or error); null when it was not active. */
    finish: (id: string, status: 'stopped' | 'completed' | 'error', nowMs: number, errorMessage: string | null = null) =>
      one(
        db,
        `UPDATE scenario_runs SET status = $2, completed_at = $3, updated_at = $3, error_message = $4
         WHERE id = $1 AND status IN ('running', 'paused') RETURNING ${COLUMNS}`,
        [id, status, new Date(nowMs).toISOString(), errorMessage],
      ),

    recordProgress: async (id: string, eventsGenerated: number, nowMs: number): Promise<void> => {
      const now = new Date(nowMs).toISOString();
      await db.query('UPDATE scenario_runs SET events_generated = $2, heartbeat_at = $3, updated_at = $3 WHERE id = $1', [id, eventsGenerated, now]);
    },

    heartbeat: async (owner: string, nowMs: number): Promise<void> => {
      await db.query("UPDATE scenario_runs SET heartbeat_at = $2 WHERE owner = $1 AND status IN ('running', 'paused')", [owner, new Date(nowMs).toISOString()]);
    },

    /** Marks stopped the active runs whose owner has not heartbeated since `staleBeforeMs`. */
    async sweepOrphans(staleBeforeMs: number, nowMs: number): Promise<string[]> {
      const now = new Date(nowMs).toISOString();
      const { rows } = await db.query<{ id: string }>(
        `UPDATE scenario_runs SET status = 'stopped', completed_at = $2, updated_at = $2
         WHERE status IN ('running', 'paused') AND heartbeat_at < $1 RETURNING id`,
        [new Date(staleBeforeMs).toISOString(), now],
      );
      return rows.map((r) => r.id);
    },
  };
  return repo;
}
export type ScenarioRunsRepo = ReturnType<typeof createScenarioRunsRepo>;
