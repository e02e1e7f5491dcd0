// Reads the "alerts" stream in its own consumer group ("notify"), so correlation never waits
// on notifications: each new alert is routed to the channels that want it and one delivery
// per channel is queued in the store before the message is acknowledged. Unacknowledged
// messages of a dead consumer are claimed after a minute (Redis keeps them across restarts).
import type { Logger } from 'pino';
import type { Metrics } from '../../metrics.ts';
import type { Bus } from '../../bus/bus.ts';
import { STREAMS } from '../../bus/bus.ts';
import { routes } from '../../engine/notify/index.ts';
import type { NotifyAlert } from '../../engine/notify/index.ts';
import { newObjectId } from '../../lib/object-id.ts';
import type { AlertRecord } from '../../store/alerts-repo.ts';
import type { Db } from '../../store/db.ts';
import type { NotificationsRepo } from '../../store/notifications-repo.ts';
import { alertUrl } from './channels.ts';

export const NOTIFY_GROUP = 'notify';
const READ_COUNT = 100;
const BLOCK_MS = 1000;
const STALE_MS = 60_000;
const ERROR_PAUSE_MS = 2000;
/** Alerts routed again at start, at most. */
const CATCH_UP_MAX = 1000;

export interface DispatcherDeps {
  db: Db;
  bus: Bus;
  repo: NotificationsRepo;
  findAlerts: (ids: string[]) => Promise<AlertRecord[]>;
  /** The tags of these rules (read once per batch, so a tag edit routes the next alert); none when absent. */
  ruleTags?: (ruleIds: string[]) => Promise<Map<string, string[]>>;
  baseUrl: string;
  consumer: string;
  /** Most deliveries waiting at once; beyond, new ones are dropped and logged. */
  queueMax: number;
  log: Logger;
  /** Called after deliveries were queued (wakes the worker). */
  onQueued: () => void;
  /** How long a message read by another consumer stays pending before this one takes it over. */
  staleMs?: number;
  metrics?: Pick<Metrics, 'notifyDropped'>;
}

export function toNotifyAlert(a: AlertRecord, baseUrl: string, ruleTags: string[] = []): NotifyAlert {
  return {
    id: a.id,
    title: a.title,
    severity: a.severity,
    status: a.status,
    group_value: a.group_value,
    rule_id: a.rule_id,
    rule_name: a.rule_name,
    rule_tags: ruleTags,
    mitre_tactic: a.mitre_tactic,
    mitre_technique: a.mitre_technique,
    matched_event_count: a.matched_event_count,
    fired_at: a.fired_at,
    url: alertUrl(baseUrl, a.id),
  };
}

export function createNotifyDispatcher(deps: DispatcherDeps) {
  const { bus, repo, log } = deps;
  let stopped = true;
  let loop: Promise<void> | null = null;
  let dropped = 0;

  /** Queues the deliveries of these stream messages; resolves once they are stored. */
  async function enqueue(payloads: string[]): Promise<number> {
    const ids: string[] = [];
    for (const p of payloads) {
      try {
        const id = (JSON.parse(p) as { id?: unknown }).id;
        if (typeof id === 'string') ids.push(id);
      } catch {
        log.warn('alerts stream message is not JSON; skipped by notifications');
      }
    }
    if (ids.length === 0) return 0;
    // No channel, no lookup: a deployment without notifications pays one small query per batch.
    const channels = await repo.enabledChannels();
    if (channels.length === 0) return 0;
    const alerts = await deps.findAlerts(ids);
    const tagsByRule = deps.ruleTags && alerts.length > 0 ? await deps.ruleTags([...new Set(alerts.map((a) => a.rule_id))]) : new Map<string, string[]>();
    return deps.db.transaction(async (tx) => {
      const items = alerts.flatMap((a) => {
        const ruleTags = tagsByRule.get(a.rule_id) ?? [];
        // A channel receives the alerts stored after it was created (the catch-up at start
        // must not send a new channel the alerts of the last minutes).
        return channels
          .filter((c) => c.created_at <= a.created_at && routes(c.routing, { ...a, rule_tags: ruleTags }))
          .map((c) => ({ id: newObjectId(), channelId: c.id, alert: toNotifyAlert(a, deps.baseUrl, ruleTags) }));
      });
      if (items.length === 0) return 0;
      const room = Math.max(0, deps.queueMax - (await repo.queued(tx)));
      if (room < items.length) {
        dropped += items.length - room;
        deps.metrics?.notifyDropped.inc(items.length - room);
        log.error({ dropped: items.length - room, queueMax: deps.queueMax }, 'notification queue full: deliveries dropped (alerts themselves are stored)');
      }
      return repo.enqueue(tx, items.slice(0, room));
    });
  }

  async function handle(messages: { id: string; payload: string }[]): Promise<void> {
    if (messages.length === 0) return;
    const added = await enqueue(messages.map((m) => m.payload));
    await bus.ack(STREAMS.alerts, NOTIFY_GROUP, messages.map((m) => m.id));
    if (added > 0) deps.onQueued();
  }

  async function run(): Promise<void> {
    await bus.ensureGroup(STREAMS.alerts, NOTIFY_GROUP, '$');
    while (!stopped) {
      try {
        await handle(await bus.claimStale(STREAMS.alerts, NOTIFY_GROUP, deps.consumer, deps.staleMs ?? STALE_MS, READ_COUNT));
        await handle(await bus.readGroup(STREAMS.alerts, NOTIFY_GROUP, deps.consumer, { count: READ_COUNT, blockMs: BLOCK_MS }));
      } catch (err) {
        if (stopped) break;
        log.warn({ err }, 'notification dispatch failed; the alerts stay pending and are retried');
        await new Promise((r) => setTimeout(r, ERROR_PAUSE_MS).unref());
      }
    }
  }

  return {
    /** Resolves once the consumer group exists (alerts published after this are seen). */
    async start(): Promise<void> {
      if (!stopped) return;
      stopped = false;
      await bus.ensureGroup(STREAMS.alerts, NOTIFY_GROUP, '$');
      loop = run().catch((err: unknown) => log.error({ err }, 'notification dispatcher stopped'));
    },
    enqueue,
    /**
     * Routes the alerts stored in the last `windowMs` again: one that was stored but not yet
     * queued when a process stopped (the in-process bus forgets it) is queued now; those
     * already queued are skipped by the store's uniqueness.
     */
    async catchUp(windowMs: number): Promise<number> {
      const ids = await repo.recentAlertIds(windowMs, CATCH_UP_MAX);
      return ids.length === 0 ? 0 : enqueue(ids.map((id) => JSON.stringify({ id })));
    },
    dropped: () => dropped,
    async stop(): Promise<void> {
      stopped = true;
      // A read blocked on the bus ends when the bus closes (a later teardown step); waiting
      // for it here would add up to BLOCK_MS to every shutdown.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 100).unref())]);
    },
  };
}
