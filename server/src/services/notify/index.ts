// Alert notifications, assembled: the channel service (API), the dispatcher (alerts stream
// -> queued deliveries) and the worker (queue -> channels). NOTIFY_ENABLED=false keeps the
// API and "send test" but queues and sends nothing.
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.ts';
import { publicUrl, type Config } from '../../config.ts';
import type { Metrics } from '../../metrics.ts';
import type { AlertsRepo } from '../../store/alerts-repo.ts';
import type { Db } from '../../store/db.ts';
import { createNotificationsRepo } from '../../store/notifications-repo.ts';
import { createRulesRepo } from '../../store/rules-repo.ts';
import { createChannelService } from './channels.ts';
import { createNotifyDispatcher } from './dispatcher.ts';
import { createNotifyWorker } from './worker.ts';

/** How far back the start-up catch-up looks for alerts never queued. */
const CATCH_UP_WINDOW_MS = 15 * 60_000;

export type NotifySettings = Pick<Config,
  'NOTIFY_ENABLED' | 'NOTIFY_MAX_ATTEMPTS' | 'NOTIFY_TIMEOUT_MS' | 'NOTIFY_BASE_DELAY_MS' | 'NOTIFY_MAX_DELAY_MS' |
  'NOTIFY_QUEUE_MAX' | 'NOTIFY_POLL_MS' | 'NOTIFY_KEEP_DAYS' | 'PUBLIC_URL' | 'PORT'>;


export function createNotifications(deps: { db: Db; bus: Bus; alerts: AlertsRepo; config: NotifySettings; consumer: string; log: Logger; metrics?: Metrics; secretKey?: string }) {
  const { config } = deps;
  const log = deps.log.child({ component: 'notify' });
  const repo = createNotificationsRepo(deps.db);
  const rules = createRulesRepo(deps.db);
  // Alert links start with PUBLIC_URL (the address people reach the web app at).
  const baseUrl = publicUrl(config);
  const channels = createChannelService({ repo, baseUrl, timeoutMs: config.NOTIFY_TIMEOUT_MS, ...(deps.secretKey ? { secretKey: deps.secretKey } : {}) });
  const worker = createNotifyWorker({
    repo, log,
    deliver: channels.deliver,
    policy: { maxAttempts: config.NOTIFY_MAX_ATTEMPTS, baseDelayMs: config.NOTIFY_BASE_DELAY_MS, maxDelayMs: config.NOTIFY_MAX_DELAY_MS },
    timeoutMs: config.NOTIFY_TIMEOUT_MS,
    pollMs: config.NOTIFY_POLL_MS,
    keepFinishedMs: config.NOTIFY_KEEP_DAYS * 86_400_000,
    metrics: deps.metrics,
  });
  const dispatcher = createNotifyDispatcher({
    db: deps.db, bus: deps.bus, repo, log, baseUrl,
    findAlerts: (ids) => deps.alerts.findByIds(ids),
    ruleTags: (ruleIds) => rules.tagsOf(ruleIds),
    consumer: deps.consumer,
    queueMax: config.NOTIFY_QUEUE_MAX,
    onQueued: () => worker.kick(),
    metrics: deps.metrics,
  });
  return {
    channels,
    dispatcher,
    worker,
    async start(): Promise<void> {
      if (!config.NOTIFY_ENABLED) return;
      await dispatcher.start();
      // After the group exists: nothing stored from now on is missed, nothing before is queued twice.
      const caught = await dispatcher.catchUp(CATCH_UP_WINDOW_MS);
      if (caught > 0) log.info({ deliveries: caught }, 'notifications of alerts stored before this start queued');
      worker.start();
    },
    async stop(): Promise<void> {
      await dispatcher.stop();
      await worker.stop();
    },
  };
}
export type Notifications = ReturnType<typeof createNotifications>;
