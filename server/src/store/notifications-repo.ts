// notification_channels, notification_deliveries and notification_attempts. Deliveries are
// claimed with FOR UPDATE SKIP LOCKED and a lease, so several processes share the queue
// and a process that dies mid-send leaves its work to another once the lease ends.
import type { Attempt, ChannelKind, Delivery, DeliveryStatus, Routing } from '@siem/contracts';
import type { NotifyAlert } from '../engine/notify/index.ts';
import type { Queryable } from './db.ts';

export interface ChannelRecord {
  id: string;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  /** Secrets included: never answer or log this as is. */
  config: Record<string, unknown>;
  routing: Routing;
  template: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export type NewChannel = Omit<ChannelRecord, 'created_at' | 'updated_at'>;
export type ChannelPatch = Partial<Pick<ChannelRecord, 'name' | 'enabled' | 'config' | 'routing' | 'template'>>;

export interface ClaimedDelivery {
  id: string;
  channel_id: string;
  alert: NotifyAlert;
  attempt_count: number;
}

export interface NewAttempt extends Omit<Attempt, 'at'> {
  deliveryId: string;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const CHANNEL_COLUMNS = 'id, name, kind, enabled, config, routing, template, created_by, created_at, updated_at';
/** A channel stored before routing had `tags` routes on none. */
const withTags = (routing: Routing): Routing => ({ ...routing, tags: Array.isArray(routing.tags) ? routing.tags : [] });
const toChannel = (r: Row): ChannelRecord => ({ ...(r as unknown as ChannelRecord), routing: withTags(r.routing as Routing), created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)! });

/** Newest attempts kept per delivery in answers. */
const ATTEMPTS_SHOWN = 20;

export function createNotificationsRepo(db: Queryable) {
  return {
    async listChannels(): Promise<ChannelRecord[]> {
      const { rows } = await db.query<Row>(`SELECT ${CHANNEL_COLUMNS} FROM notification_channels ORDER BY name`);
      return rows.map(toChannel);
    },

    async enabledChannels(tx: Queryable = db): Promise<ChannelRecord[]> {
      const { rows } = await tx.query<Row>(`SELECT ${CHANNEL_COLUMNS} FROM notification_channels WHERE enabled ORDER BY name`);
      return rows.map(toChannel);
    },

    async countChannels(): Promise<number> {
      const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM notification_channels');
      return Number(rows[0]?.n ?? 0);
    },

    async findChannel(id: string): Promise<ChannelRecord | null> {
      const { rows } = await db.query<Row>(`SELECT ${CHANNEL_COLUMNS} FROM notification_channels WHERE id = $1`, [id]);
      return rows[0] ? toChannel(rows[0]) : null;
    },

    async insertChannel(c: NewChannel): Promise<ChannelRecord> {
      const { rows } = await db.query<Row>(
        `INSERT INTO notification_channels (id, name, kind, enabled, config, routing, template, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${CHANNEL_COLUMNS}`,
        [c.id, c.name, c.kind, c.enabled, JSON.stringify(c.config), JSON.stringify(c.routing), c.template, c.created_by],
      );
      return toChannel(rows[0]!);
    },

    async updateChannel(id: string, p: ChannelPatch): Promise<ChannelRecord | null> {
      const { rows } = await db.query<Row>(
        `UPDATE notification_channels SET
           name = COALESCE($2, name), enabled = COALESCE($3, enabled), config = COALESCE($4::jsonb, config),
           routing = COALESCE($5::jsonb, routing), template = COALESCE($6, template), updated_at = now()
         WHERE id = $1 RETURNING ${CHANNEL_COLUMNS}`,
        [id, p.name ?? null, p.enabled ?? null, p.config ? JSON.stringify(p.config) : null, p.routing ? JSON.stringify(p.routing) : null, p.template ?? null],
      );
      return rows[0] ? toChannel(rows[0]) : null;
    },

    async removeChannel(id: string): Promise<boolean> {
      const { rows } = await db.query('DELETE FROM notification_channels WHERE id = $1 RETURNING id', [id]);
      return rows.length > 0;
    },

    /** Deliveries not finished yet (the queue's length). */
    async queued(tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ n: string }>("SELECT count(*)::text AS n FROM notification_deliveries WHERE status IN ('pending', 'sending')");
      return Number(rows[0]?.n ?? 0);
    },

    /** Queues deliveries; one per (channel, alert) whatever the redeliveries. Returns how many were new. */
    async enqueue(tx: Queryable, items: { id: string; channelId: string; alert: NotifyAlert }[]): Promise<number> {
      let added = 0;
      for (const it of items) {
        const { rows } = await tx.query(
          `INSERT INTO notification_deliveries (id, channel_id, alert_id, alert, status, next_attempt_at)
           VALUES ($1, $2, $3, $4, 'pending', now()) ON CONFLICT (channel_id, alert_id) DO NOTHING RETURNING id`,
          [it.id, it.channelId, it.alert.id, JSON.stringify(it.alert)],
        );
        added += rows.length;
      }
      return added;
    },

    /**
     * Takes up to `limit` due deliveries (pending and due, or sending with an expired lease)
     * and leases them for `leaseMs`.
     */
    async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
      const { rows } = await db.query<Row>(
        `UPDATE notification_deliveries d SET status = 'sending', lease_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
         WHERE d.id IN (
           SELECT id FROM notification_deliveries
           WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.channel_id, d.alert, d.attempt_count`,
        [limit, leaseMs],
      );
      return rows.map((r) => ({ id: r.id as string, channel_id: r.channel_id as string, alert: r.alert as NotifyAlert, attempt_count: Number(r.attempt_count) }));
    },

    /** Records an attempt and the delivery's next state: delivered, failed, or pending again after `retryInMs`. */
    async finishAttempt(a: NewAttempt, next: { status: DeliveryStatus; retryInMs?: number }): Promise<void> {
      await db.query(
        'INSERT INTO notification_attempts (delivery_id, ok, status_code, error, latency_ms) VALUES ($1, $2, $3, $4, $5)',
        [a.deliveryId, a.ok, a.status_code, a.error, a.latency_ms],
      );
      await db.query(
        `UPDATE notification_deliveries SET status = $2, attempt_count = attempt_count + 1, lease_until = NULL,
           next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + make_interval(secs => $3::double precision / 1000) ELSE NULL END,
           last_error = $4, updated_at = now()
         WHERE id = $1`,
        [a.deliveryId, next.status, next.retryInMs ?? 0, a.ok ? null : a.error],
      );
    },

    /** A delivery whose channel vanished or was switched off while it waited. */
    async abandon(id: string, reason: string): Promise<void> {
      await db.query(
        "UPDATE notification_deliveries SET status = 'failed', lease_until = NULL, next_attempt_at = NULL, last_error = $2, updated_at = now() WHERE id = $1",
        [id, reason],
      );
    },

    async listDeliveries(filter: { channelId?: string | undefined; status?: DeliveryStatus | undefined; limit: number }): Promise<Delivery[]> {
      const { rows } = await db.query<Row>(
        `SELECT d.id, d.channel_id, c.name AS channel_name, d.alert_id, d.alert, d.status, d.attempt_count, d.next_attempt_at,
                d.last_error, d.created_at, d.updated_at,
                COALESCE((SELECT json_agg(a ORDER BY a.id DESC) FROM (
                  SELECT id, at, ok, status_code, error, latency_ms FROM notification_attempts
                  WHERE delivery_id = d.id ORDER BY id DESC LIMIT ${ATTEMPTS_SHOWN}) a), '[]') AS attempts
         FROM notification_deliveries d LEFT JOIN notification_channels c ON c.id = d.channel_id
         WHERE ($1::text IS NULL OR d.channel_id = $1) AND ($2::text IS NULL OR d.status = $2)
         ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
        [filter.channelId ?? null, filter.status ?? null, filter.limit],
      );
      return rows.map((r) => {
        const alert = r.alert as NotifyAlert;
        return {
          id: r.id as string,
          channel_id: r.channel_id as string,
          channel_name: (r.channel_name as string | null) ?? null,
          alert_id: r.alert_id as string,
          alert_title: alert.title,
          severity: alert.severity,
          status: r.status as DeliveryStatus,
          attempt_count: Number(r.attempt_count),
          next_attempt_at: iso(r.next_attempt_at),
          last_error: (r.last_error as string | null) ?? null,
          created_at: iso(r.created_at)!,
          updated_at: iso(r.updated_at)!,
          attempts: (r.attempts as Row[]).map((a) => ({
            at: iso(a.at)!,
            ok: Boolean(a.ok),
            status_code: a.status_code === null ? null : Number(a.status_code),
            error: (a.error as string | null) ?? null,
            latency_ms: Number(a.latency_ms),
          })),
        };
      });
    },

    /** Ids of alerts stored within the last `windowMs`, newest first (the dispatcher's catch-up at start). */
    async recentAlertIds(windowMs: number, limit: number): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        'SELECT id FROM alerts WHERE created_at > now() - make_interval(secs => $1::double precision / 1000) ORDER BY created_at DESC LIMIT $2',
        [windowMs, limit],
      );
      return rows.map((r) => r.id);
    },

    /** Removes finished deliveries (and their attempts) older than `olderThanMs`. */
    async pruneFinished(olderThanMs: number): Promise<number> {
      const { rows } = await db.query(
        `DELETE FROM notification_deliveries WHERE status IN ('delivered', 'failed')
           AND updated_at < now() - make_interval(secs => $1::double precision / 1000) RETURNING id`,
        [olderThanMs],
      );
      return rows.length;
    },
  };
}
export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
