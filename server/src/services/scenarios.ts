// Scenario runs: start a playbook, control it from any process, list what runs. The
// process that starts a run plays it and heartbeats it; control actions update the stored
// run and reach the owner directly or through the control channel, so pause and stop
// land within a fraction of a second wherever they were asked. Runs whose owner stopped
// heartbeating are marked stopped (orphans of a crash or restart).
import type { Logger } from 'pino';
import { AppError, isAppError, notFound, validationError } from '../errors.ts';
import { newObjectId } from '../lib/object-id.ts';
import { loadPlaybookDir } from '../scenarios/loader.ts';
import type { PlaybookEntry } from '../scenarios/loader.ts';
import { createPlayback } from '../scenarios/runner.ts';
import type { Playback } from '../scenarios/runner.ts';
import type { RunRecord, ScenarioRunsRepo } from '../store/scenario-runs-repo.ts';
import type { ControlChannel } from './control.ts';
import type { IngestService } from './ingest.ts';

const HEARTBEAT_MS = 2000;
const ORPHAN_AFTER_MS = 10_000;
/** A hint only: runs end when their playbook does or when someone stops one. */
const SCENARIO_LIMIT_RETRY_SECONDS = 30;

export interface ScenarioServiceDeps {
  runs: ScenarioRunsRepo;
  ingest: IngestService;
  /** Where control actions reach the process playing a run. */
  control: ControlChannel;
  log: Logger;
  playbookDir: string;
  maxConcurrent: number;
  owner: string;
  /** Every active run at start-up is an orphan (one process owns the store: PGlite). */
  singleProcess: boolean;
  clock?: () => number;
}

type Action = 'stop' | 'pause' | 'resume' | 'speed';

/** A scenario run plus progress; `owner` stays internal. */
export function toRun(r: RunRecord) {
  const { owner: _owner, filename: _filename, ...run } = r;
  return { ...run, progress: r.events_total === 0 ? 1 : Math.min(1, r.events_generated / r.events_total) };
}
export type ScenarioRun = ReturnType<typeof toRun>;

export function createScenarioService(deps: ScenarioServiceDeps) {
  const { runs, ingest, control: channel, log } = deps;
  const clock = deps.clock ?? Date.now;
  const local = new Map<string, Playback>();
  const timers: NodeJS.Timeout[] = [];
  let running = false;

  async function catalogue(): Promise<PlaybookEntry[]> {
    return loadPlaybookDir(deps.playbookDir);
  }

  async function emitWithRetry(fields: Record<string, unknown>, runId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await ingest.ingestOne(fields, { scenarioRunId: runId });
        return;
      } catch (err) {
        // A full write queue is transient: wait for it rather than failing the run.
        if (isAppError(err) && err.status === 503 && attempt < 20) {
          await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
          continue;
        }
        throw err;
      }
    }
  }

  function play(run: RunRecord, entry: PlaybookEntry): void {
    const playbook = entry.playbook!;
    const playback = createPlayback(playbook.events, run.speed, {
      emit: (fields) => emitWithRetry(fields, run.id),
      progress: (emitted) => runs.recordProgress(run.id, emitted, clock()),
      clock,
    });
    local.set(run.id, playback);
    void playback
      .run()
      .then(async (outcome) => {
        if (outcome === 'completed') await runs.finish(run.id, 'completed', clock());
      })
      .catch(async (err: unknown) => {
        const message = isAppError(err) && err.details?.length
          ? `${err.message}: ${err.details.map((d) => `${d.field} ${d.message}`).join('; ')}`
          : (err as Error).message;
        log.error({ err, run: run.id }, 'scenario playback failed');
        await runs.finish(run.id, 'error', clock(), `Event could not be emitted: ${message}`).catch(() => {});
      })
      .finally(() => local.delete(run.id));
  }

  /** Applies the stored state of a run to its playback, if this process plays it. */
  async function sync(runId: string): Promise<void> {
    const playback = local.get(runId);
    if (!playback) return;
    const run = await runs.findById(runId);
    if (!run || run.status === 'stopped' || run.status === 'completed' || run.status === 'error') playback.stop();
    else {
      playback.setSpeed(run.speed);
      if (run.status === 'paused') playback.pause();
      else playback.resume();
    }
  }

  async function announce(runId: string, action: Action): Promise<void> {
    await sync(runId);
    if (local.has(runId)) return;
    await channel.announce({ type: 'scenario_control', run_id: runId, action });
  }

  // The process playing the run applies its stored state; after missed messages, every run.
  channel.on('scenario_control', async ({ run_id: runId }) => {
    if (running && local.has(runId)) await sync(runId);
  });
  channel.onGap(() => {
    for (const runId of local.keys()) void sync(runId).catch((err: unknown) => log.warn({ err, run: runId }, 'scenario resync failed'));
  });

  async function control(id: string, action: Action, speed?: number): Promise<ScenarioRun> {
    const current = /^[0-9a-f]{24}$/.test(id) ? await runs.findById(id) : null;
    if (!current) throw notFound('ScenarioRun');
    const now = clock();
    const updated =
      action === 'stop' ? await runs.finish(id, 'stopped', now)
      : action === 'pause' ? await runs.setState(id, { status: 'paused' }, now)
      : action === 'resume' ? await runs.setState(id, { status: 'running' }, now)
      : await runs.setState(id, { speed: speed! }, now);
    if (!updated) throw new AppError('CONFLICT_NOT_ACTIVE', 'Scenario run is not active');
    await announce(id, action);
    return toRun(updated);
  }

  async function sweep(staleBeforeMs: number): Promise<void> {
    const swept = await runs.sweepOrphans(staleBeforeMs, clock());
    if (swept.length > 0) log.warn({ runs: swept }, 'marked orphaned scenario runs stopped');
  }

  return {
    async available() {
      return (await catalogue()).map((e) => e.info);
    },

    async running(): Promise<ScenarioRun[]> {
      return (await runs.listActive()).map(toRun);
    },

    async recent(limit: number): Promise<ScenarioRun[]> {
      return (await runs.listRecent(limit)).map(toRun);
    },

    async start(body: { filename: string; speed?: number | undefined }): Promise<ScenarioRun> {
      const entry = (await catalogue()).find((e) => e.filename === body.filename);
      if (!entry) throw new AppError('NOT_FOUND', 'Playbook not found');
      if (!entry.playbook) {
        throw validationError(
          entry.errors.map((e) => ({ field: [e.event_index !== undefined ? `events.${e.event_index}` : '', e.field ?? ''].filter(Boolean).join('.'), message: e.message, type: 'value_error' })),
          `Playbook ${entry.filename} is invalid`,
        );
      }
      const run = await runs.insertWithinLimit({
        id: newObjectId(clock()),
        scenario_name: entry.playbook.name,
        filename: entry.filename,
        events_total: entry.playbook.events.length,
        speed: body.speed ?? 1,
        owner: deps.owner,
        nowMs: clock(),
      }, deps.maxConcurrent);
      if (!run) {
        throw new AppError('SCENARIO_LIMIT', `Too many scenario runs are active (at most ${deps.maxConcurrent}); stop one first`, { retryAfter: SCENARIO_LIMIT_RETRY_SECONDS });
      }
      play(run, entry);
      return toRun(run);
    },

    stop: (id: string) => control(id, 'stop'),
    pause: (id: string) => control(id, 'pause'),
    resume: (id: string) => control(id, 'resume'),
    setSpeed: (id: string, speed: number) => control(id, 'speed', speed),

    /** Sweeps orphans, then heartbeats this process's runs (control actions arrive through the channel). */
    async startBackground(): Promise<void> {
      running = true;
      await sweep(deps.singleProcess ? clock() + 1 : clock() - ORPHAN_AFTER_MS);
      timers.push(setInterval(() => void runs.heartbeat(deps.owner, clock()).catch(() => {}), HEARTBEAT_MS));
      timers.push(setInterval(() => void sweep(clock() - ORPHAN_AFTER_MS).catch(() => {}), ORPHAN_AFTER_MS / 2));
    },

    /** Shutdown: this process's runs end as stopped (a restart would orphan them anyway). */
    async close(): Promise<void> {
      running = false;
      for (const t of timers) clearInterval(t);
      for (const [id, playback] of local) {
        playback.stop();
        await runs.finish(id, 'stopped', clock()).catch(() => {});
      }
    },
  };
}
export type ScenarioService = ReturnType<typeof createScenarioService>;
