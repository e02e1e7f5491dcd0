// Partition maintenance and retention of stored events, at start and then every hour:
// the daily partitions of yesterday to three days ahead are made ready, then (when
// RETENTION_DAYS is set) whole days past the cutoff are dropped and the DEFAULT
// partition's older rows deleted in bounded batches. Only events go: alerts (with their
// event snapshots) and the dashboard rollups stay. Any process may run it.
import type { Logger } from 'pino';
import type { PartitionsRepo } from '../store/partitions-repo.ts';
import { utcDay } from '../store/partitions-repo.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Days kept ready around today: events of other days go to the DEFAULT partition. */
const DAYS_BEFORE = 1;
const DAYS_AHEAD = 3;
/** A failed run (a lock wait that timed out, the store away) is retried this much sooner. */
const RETRY_MS = 60_000;
/** DEFAULT-partition rows deleted per statement, and statements per run: a backlog shrinks over several runs. */
export const DEFAULT_DELETE_BATCH = 5000;
export const DEFAULT_DELETE_MAX_BATCHES = 200;

export interface RetentionRun {
  created: string[];
  /** Rows of the created days found in the DEFAULT partition and moved into them. */
  movedRows: number;
  dropped: string[];
  deletedDefaultRows: number;
}

export interface RetentionOptions {
  partitions: PartitionsRepo;
  log: Logger;
  /** 0 keeps events forever. */
  retentionDays: number;
  clock?: () => number;
  intervalMs?: number;
  deleteBatch?: number;
  deleteMaxBatches?: number;
}

/** The UTC days whose partitions should exist at `nowMs`, oldest first. */
export function daysToPrepare(nowMs: number): string[] {
  const days: string[] = [];
  for (let d = -DAYS_BEFORE; d <= DAYS_AHEAD; d++) days.push(utcDay(nowMs + d * DAY_MS));
  return days;
}

export function createRetentionService(opts: RetentionOptions) {
  const { partitions, log } = opts;
  const clock = opts.clock ?? Date.now;
  const intervalMs = opts.intervalMs ?? HOUR_MS;
  const batch = opts.deleteBatch ?? DEFAULT_DELETE_BATCH;
  const maxBatches = opts.deleteMaxBatches ?? DEFAULT_DELETE_MAX_BATCHES;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function runOnce(): Promise<RetentionRun> {
    const nowMs = clock();
    const run: RetentionRun = { created: [], movedRows: 0, dropped: [], deletedDefaultRows: 0 };
    for (const day of daysToPrepare(nowMs)) {
      const { created, moved } = await partitions.ensureDay(day);
      if (created) run.created.push(day);
      run.movedRows += moved;
    }
    if (opts.retentionDays > 0) {
      const cutoffMs = nowMs - opts.retentionDays * DAY_MS;
      run.dropped = await partitions.dropEndingBefore(cutoffMs);
      for (let i = 0; i < maxBatches && !stopped; i++) {
        const n = await partitions.deleteDefaultBefore(cutoffMs, batch);
        run.deletedDefaultRows += n;
        if (n < batch) break;
      }
    }
    if (run.movedRows > 0 || run.deletedDefaultRows > 0) await partitions.reclaimDefault();
    if (run.created.length > 0 || run.dropped.length > 0 || run.deletedDefaultRows > 0) log.info(run, 'event partitions maintained');
    return run;
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  }

  async function tick(): Promise<void> {
    let next = intervalMs;
    const current = runOnce().catch((err: unknown) => {
      // Events still land (in the DEFAULT partition at worst): warn and try again soon.
      log.warn({ err }, 'event partition maintenance failed; retrying');
      next = Math.min(RETRY_MS, intervalMs);
    });
    running = current;
    await current;
    running = undefined;
    schedule(next);
  }

  return {
    /** One pass now (tests, the admin). */
    runOnce,
    /** Runs a first pass (awaited, never throwing), then every `intervalMs`. */
    async start(): Promise<void> {
      stopped = false;
      await tick();
    },
    /** Stops the schedule and waits for a pass in progress. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type RetentionService = ReturnType<typeof createRetentionService>;
