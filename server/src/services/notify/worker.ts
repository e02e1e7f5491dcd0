// The delivery worker: claims due deliveries from the store (several processes share the
// queue: SKIP LOCKED plus a lease), sends each with a time budget, records the attempt, and
// schedules a retry with exponential backoff until the attempts run out.
import type { Logger } from 'pino';
import type { Metrics } from '../../metrics.ts';
import { backoffDelay, retryable } from '../../engine/notify/index.ts';
import type { NotifyAlert, RetryPolicy } from '../../engine/notify/index.ts';
import type { ChannelRecord, NotificationsRepo } from '../../store/notifications-repo.ts';
import type { SendOutcome } from './senders.ts';

export interface WorkerDeps {
  repo: NotificationsRepo;
  deliver: (channel: ChannelRecord, alert: NotifyAlert, now: Date) => Promise<SendOutcome>;
  policy: RetryPolicy;
  timeoutMs: number;
  log: Logger;
  /** How often the queue is polled when nothing kicks the worker. */
  pollMs?: number;
  /** Deliveries sent at once by this process. */
  batch?: number;
  /** Finished deliveries are pruned after this long. */
  keepFinishedMs?: number;
  metrics?: Pick<Metrics, 'notifyAttempts'>;
}

const PRUNE_EVERY_MS = 3_600_000;

export function createNotifyWorker(deps: WorkerDeps) {
  const { repo, log, policy } = deps;
  const pollMs = deps.pollMs ?? 1000;
  const batch = deps.batch ?? 10;
  // A claim outlives the slowest send by far: only a dead process lets its lease expire.
  const leaseMs = deps.timeoutMs * 2 + 30_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let lastPrune = 0;

  async function handle(d: { id: string; channel_id: string; alert: NotifyAlert; attempt_count: number }, channels: Map<string, ChannelRecord>): Promise<void> {
    const channel = channels.get(d.channel_id);
    if (!channel || !channel.enabled) {
      await repo.abandon(d.id, channel ? 'channel disabled while the delivery waited' : 'channel deleted');
      return;
    }
    const outcome = await deps.deliver(channel, d.alert, new Date());
    const attempt = d.attempt_count + 1;
    let next: { status: 'delivered' | 'failed' | 'pending'; retryInMs?: number };
    if (outcome.ok) next = { status: 'delivered' };
    else if (attempt < policy.maxAttempts && !outcome.permanent && retryable(outcome.status_code)) next = { status: 'pending', retryInMs: backoffDelay(policy, attempt, Math.random()) };
    else next = { status: 'failed' };
    await repo.finishAttempt({ deliveryId: d.id, ok: outcome.ok, status_code: outcome.status_code, error: outcome.error, latency_ms: outcome.latency_ms }, next);
    deps.metrics?.notifyAttempts.inc({ kind: channel.kind, outcome: next.status === 'pending' ? 'retry' : next.status });
    if (!outcome.ok) log.warn({ delivery: d.id, channel: channel.id, attempt, next: next.status, error: outcome.error }, 'notification attempt failed');
  }

  async function runOnce(): Promise<number> {
    const claimed = await repo.claim(batch, leaseMs);
    if (claimed.length === 0) return 0;
    const channels = new Map((await repo.listChannels()).map((c) => [c.id, c]));
    await Promise.all(
      claimed.map((d) =>
        handle(d, channels).catch((err: unknown) => log.error({ err, delivery: d.id }, 'recording a notification attempt failed; the lease will return it to the queue')),
      ),
    );
    return claimed.length;
  }

  async function tick(): Promise<void> {
    do {
      again = false;
      try {
        // Bounded per tick: a large backlog is worked through over several ticks.
        for (let round = 0; round < 100 && (await runOnce()) === batch; round++);
        if (Date.now() - lastPrune > PRUNE_EVERY_MS && deps.keepFinishedMs) {
          lastPrune = Date.now();
          const pruned = await repo.pruneFinished(deps.keepFinishedMs);
          if (pruned > 0) log.info({ pruned }, 'finished notification deliveries pruned');
        }
      } catch (err) {
        log.warn({ err }, 'notification worker pass failed; will retry');
      }
    } while (again && timer);
  }

  function kick(): void {
    if (!timer) return;
    if (running) {
      again = true;
      return;
    }
    running = tick().finally(() => {
      running = null;
    });
  }

  return {
    start(): void {
      if (timer) return;
      timer = setInterval(kick, pollMs);
      timer.unref();
      kick();
    },
    /** Asks for a pass now (new deliveries were queued). */
    kick,
    /** Runs passes until nothing is due (tests). */
    async drain(): Promise<void> {
      while ((await runOnce()) > 0);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type NotifyWorker = ReturnType<typeof createNotifyWorker>;
