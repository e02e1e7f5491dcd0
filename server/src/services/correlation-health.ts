// How correlation keeps up, seen by every process (not just the one correlating): the
// checkpoint and the stored events past it give the lag, the checkpoint's heartbeat says
// whether an owner is alive. Sampled every few seconds into the metrics; /health degrades
// with a reason when events wait and nothing advances, or when the lag grows too old.
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import { START_CURSOR } from '../store/correlation-repo.ts';
import type { CorrelationRepo } from '../store/correlation-repo.ts';
import type { OutboxRepo } from '../store/outbox-repo.ts';

export interface CorrelationStatus {
  /** Why correlation is unhealthy, or null. */
  problem: string | null;
  lagEvents: number;
  lagSeconds: number;
  lastEventId: string | null;
  lastEventAt: string | null;
  owner: string | null;
  heartbeatAgeSeconds: number | null;
  sampledAt: number;
}

export interface CorrelationHealthDeps {
  correlation: CorrelationRepo;
  outbox?: OutboxRepo;
  metrics: Metrics;
  log: Logger;
  maxLagSeconds: number;
  stuckSeconds: number;
  intervalMs?: number;
}

const LAG_COUNT_MAX = 10_000_000;

export function createCorrelationHealth(deps: CorrelationHealthDeps) {
  const { correlation, metrics } = deps;
  let status: CorrelationStatus | null = null;
  let timer: NodeJS.Timeout | null = null;
  let sampling: Promise<CorrelationStatus | null> | null = null;
  let lastProblem: string | null = null;

  async function sample(): Promise<CorrelationStatus> {
    const now = Date.now();
    // The partition furthest behind says how far correlation as a whole has come.
    const cp = await correlation.slowest();
    const lag = await correlation.lag(cp?.cursor ?? START_CURSOR, LAG_COUNT_MAX);
    const heartbeatAge = cp ? Math.max(0, (now - cp.heartbeatMs) / 1000) : null;
    const sinceAdvance = cp ? Math.max(0, (now - cp.advancedMs) / 1000) : Number.POSITIVE_INFINITY;
    let problem: string | null = null;
    if (lag.events > 0 && lag.seconds > deps.stuckSeconds && sinceAdvance > deps.stuckSeconds) {
      const who = cp?.owner && heartbeatAge !== null && heartbeatAge < deps.stuckSeconds ? `owner ${cp.owner} is alive but` : 'no process is correlating:';
      problem = `correlation stuck: ${who} ${lag.events} events waiting, no progress for ${Math.round(Math.min(sinceAdvance, lag.seconds))} s`;
    } else if (lag.seconds > deps.maxLagSeconds) {
      problem = `correlation behind: the oldest waiting event arrived ${Math.round(lag.seconds)} s ago (${lag.events} waiting)`;
    }
    metrics.correlationLagEvents.set(lag.events);
    metrics.correlationLagSeconds.set(lag.seconds);
    if (cp?.lastEventMs != null) metrics.correlationLastEvent.set(cp.lastEventMs / 1000);
    if (heartbeatAge !== null) metrics.correlationHeartbeatAge.set(heartbeatAge);
    metrics.correlationHealthy.set(problem ? 0 : 1);
    if (deps.outbox) metrics.outboxEntries.set(await deps.outbox.size());
    if (problem !== lastProblem) {
      if (problem) deps.log.error({ problem, lag }, 'correlation is unhealthy');
      else deps.log.info('correlation is healthy again');
      lastProblem = problem;
    }
    return {
      problem,
      lagEvents: lag.events,
      lagSeconds: lag.seconds,
      lastEventId: cp?.lastEventId ?? null,
      lastEventAt: cp?.lastEventMs != null ? new Date(cp.lastEventMs).toISOString() : null,
      owner: cp?.owner ?? null,
      heartbeatAgeSeconds: heartbeatAge,
      sampledAt: now,
    };
  }

  function refresh(): Promise<CorrelationStatus | null> {
    sampling ??= sample()
      .then(
        (s) => (status = s),
        (err: unknown) => {
          deps.log.warn({ err }, 'sampling correlation health failed');
          return status;
        },
      )
      .finally(() => {
        sampling = null;
      });
    return sampling;
  }

  return {
    start(): void {
      if (timer) return;
      void refresh();
      timer = setInterval(() => void refresh(), deps.intervalMs ?? 2000);
      timer.unref();
    },
    /** The latest sample (taken at most a few seconds ago); samples now when there is none. */
    async current(): Promise<CorrelationStatus | null> {
      return status ?? refresh();
    },
    refresh,
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await sampling;
    },
  };
}
export type CorrelationHealth = ReturnType<typeof createCorrelationHealth>;
