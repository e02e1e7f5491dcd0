// Channel administration (admin only, checked by the routes): create, change, delete, list
// with secrets masked, "send test" and template preview. Secrets stay in the store and in
// memory; answers carry SECRET_MASK and error texts are scrubbed.
import os from 'node:os';
import { CHANNEL_CONFIG_SCHEMAS, NOTIFY_LIMITS, SECRET_FIELDS, SECRET_MASK } from '@siem/contracts';
import type { Channel, ChannelCreate, ChannelKind, ChannelUpdate, DeliveriesQuery, Delivery, Preview, PreviewRequest, TestResult, User } from '@siem/contracts';
import { formatterFor, parseTemplate, renderTemplate } from '../../engine/notify/index.ts';
import type { NotifyAlert } from '../../engine/notify/index.ts';
import { AppError, notFound, validationError } from '../../errors.ts';
import { newObjectId } from '../../lib/object-id.ts';
import { zodDetails } from '../../lib/zod-details.ts';
import { sqlState } from '../../store/db.ts';
import type { ChannelRecord, NotificationsRepo } from '../../store/notifications-repo.ts';
import { createSecretBox, SecretUnreadable } from './secret-box.ts';
import { send } from './senders.ts';
import type { SendOutcome } from './senders.ts';

export interface ChannelServiceDeps {
  repo: NotificationsRepo;
  /** Public base URL of the web app, for alert links (no trailing slash). */
  baseUrl: string;
  timeoutMs: number;
  /** Replaces the transports (tests). */
  sendImpl?: typeof send;
  /** The server's signing secret: channel secrets are stored encrypted with a key derived from it. */
  secretKey?: string;
}

const ID = /^[0-9a-f]{24}$/;

/** The alert "send test" and the preview render. */
export function sampleAlert(baseUrl: string, now: Date): NotifyAlert {
  const id = '665f1c2e9b1e8a3d4c7f0a12';
  return {
    id,
    title: 'Test alert: 12 failed SSH logins for root from 203.0.113.7',
    severity: 'high',
    status: 'new',
    group_value: '203.0.113.7',
    rule_id: '665f1c2e9b1e8a3d4c7f0a01',
    rule_name: 'SSH brute force',
    rule_tags: ['ssh', 'brute-force'],
    mitre_tactic: 'credential-access',
    mitre_technique: 'T1110',
    matched_event_count: 12,
    fired_at: now.toISOString(),
    url: alertUrl(baseUrl, id),
  };
}

export const alertUrl = (baseUrl: string, id: string) => `${baseUrl}/alerts/${id}`;

function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return SECRET_MASK;
    return `${u.origin}/${SECRET_MASK}`;
  } catch {
    return SECRET_MASK;
  }
}

/**
 * A channel as answered: secret values masked, `secrets_set` naming those that hold one.
 * `open` reads sealed values (only a URL's origin is shown of them).
 */
export function toChannel(c: ChannelRecord, open?: (kind: ChannelKind, config: Record<string, unknown>) => Record<string, unknown>): Channel {
  let clear = c.config;
  try {
    if (open) clear = open(c.kind, c.config);
  } catch {
    // Unreadable with this key: every secret shows as the mask alone.
  }
  const config: Record<string, unknown> = { ...clear };
  const set: string[] = [];
  for (const field of SECRET_FIELDS[c.kind]) {
    const v = config[field];
    if (field === 'headers') {
      const headers = (v ?? {}) as Record<string, string>;
      if (Object.keys(headers).length > 0) set.push(field);
      config[field] = Object.fromEntries(Object.keys(headers).map((k) => [k, SECRET_MASK]));
    } else if (typeof v === 'string' && v !== '') {
      set.push(field);
      config[field] = field === 'url' ? maskUrl(v) : SECRET_MASK;
    }
  }
  const { config: _config, ...rest } = c;
  return { ...rest, config, secrets_set: set };
}

const keeps = (v: unknown) => v === undefined || v === '' || (typeof v === 'string' && v.includes(SECRET_MASK));

/** The new config of a PATCH: secret fields left out, empty or masked keep their stored value; null clears. */
export function mergeSecrets(kind: ChannelKind, stored: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const field of SECRET_FIELDS[kind]) {
    if (field === 'headers') {
      if (given.headers === undefined) {
        out.headers = stored.headers ?? {};
        continue;
      }
      if (given.headers === null || typeof given.headers !== 'object') continue;
      const old = (stored.headers ?? {}) as Record<string, unknown>;
      out.headers = Object.fromEntries(Object.entries(given.headers as Record<string, unknown>).map(([k, v]) => [k, v === SECRET_MASK && k in old ? old[k] : v]));
    } else if (given[field] === null) {
      out[field] = '';
    } else if (keeps(given[field])) {
      out[field] = stored[field] ?? '';
    }
  }
  return out;
}

function checkTemplate(template: string): void {
  const { problems } = parseTemplate(template);
  if (problems.length > 0) {
    throw validationError(problems.slice(0, 10).map((p) => ({ field: 'template', message: `at ${p.at}: ${p.message}`, type: 'template' })), 'The template is not valid');
  }
}

export function createChannelService(deps: ChannelServiceDeps) {
  const { repo } = deps;
  const sender = deps.sendImpl ?? send;
  const box = deps.secretKey ? createSecretBox(deps.secretKey) : null;
  const seal = (kind: ChannelKind, config: Record<string, unknown>) => (box ? box.seal(kind, config) : config);
  const show = (c: ChannelRecord) => toChannel(c, box ? box.open : undefined);
  /** The stored config in clear for a merge; secrets sealed with another key read as absent (to be entered again). */
  const storedSecrets = (c: ChannelRecord): Record<string, unknown> => {
    if (!box) return c.config;
    try {
      return box.open(c.kind, c.config);
    } catch (err) {
      if (!(err instanceof SecretUnreadable)) throw err;
      return Object.fromEntries(Object.entries(c.config).filter(([k]) => !SECRET_FIELDS[c.kind].includes(k)));
    }
  };

  async function found(id: string): Promise<ChannelRecord> {
    const c = ID.test(id) ? await repo.findChannel(id) : null;
    if (!c) throw notFound('NotificationChannel');
    return c;
  }

  const duplicate = (err: unknown) => {
    if (sqlState(err) === '23505') return new AppError('CONFLICT_DUPLICATE', 'A notification channel with this name already exists');
    return err;
  };

  /** Formats and sends one alert on a channel: the worker's and "send test"'s common path. */
  async function deliver(channel: Pick<ChannelRecord, 'kind' | 'config' | 'template'>, alert: NotifyAlert, now: Date): Promise<SendOutcome> {
    let config = channel.config;
    try {
      if (box) config = box.open(channel.kind, config);
    } catch (err) {
      if (!(err instanceof SecretUnreadable)) throw err;
      // Not worth retrying: the same key will not read it later.
      return { ok: false, status_code: null, error: err.message, latency_ms: 0, permanent: true };
    }
    const text = renderTemplate(channel.template, alert).text;
    const message = formatterFor(channel.kind)({ alert, text, config, hostname: os.hostname(), now });
    return sender(channel.kind, config, message, { timeoutMs: deps.timeoutMs });
  }

  return {
    deliver,

    async list(): Promise<Channel[]> {
      return (await repo.listChannels()).map(show);
    },

    async get(id: string): Promise<Channel> {
      return show(await found(id));
    },

    async create(body: ChannelCreate, by: User): Promise<Channel> {
      checkTemplate(body.template);
      if ((await repo.countChannels()) >= NOTIFY_LIMITS.maxChannels) {
        throw validationError([{ field: '', message: `at most ${NOTIFY_LIMITS.maxChannels} channels`, type: 'too_many' }], 'Too many notification channels');
      }
      try {
        return show(await repo.insertChannel({ id: newObjectId(), name: body.name, kind: body.kind, enabled: body.enabled, config: seal(body.kind, body.config), routing: body.routing, template: body.template, created_by: by.username }));
      } catch (err) {
        throw duplicate(err);
      }
    },

    async update(id: string, body: ChannelUpdate): Promise<Channel> {
      const current = await found(id);
      if (body.template !== undefined) checkTemplate(body.template);
      let config: Record<string, unknown> | undefined;
      if (body.config !== undefined) {
        const merged = mergeSecrets(current.kind, storedSecrets(current), body.config);
        const parsed = CHANNEL_CONFIG_SCHEMAS[current.kind].safeParse(merged);
        if (!parsed.success) {
          throw validationError(zodDetails(parsed.error, merged).map((d) => ({ ...d, field: d.field ? `config.${d.field}` : 'config' })));
        }
        config = seal(current.kind, parsed.data as Record<string, unknown>);
      }
      try {
        const updated = await repo.updateChannel(id, { ...body, config });
        if (!updated) throw notFound('NotificationChannel');
        return show(updated);
      } catch (err) {
        throw duplicate(err);
      }
    },

    async remove(id: string): Promise<{ deleted: true }> {
      if (!ID.test(id) || !(await repo.removeChannel(id))) throw notFound('NotificationChannel');
      return { deleted: true };
    },

    /** Sends the sample alert now; the outcome is answered, not queued or retried. */
    async test(id: string): Promise<TestResult> {
      const channel = await found(id);
      const now = new Date();
      const { permanent: _permanent, ...outcome } = await deliver(channel, sampleAlert(deps.baseUrl, now), now);
      return { at: now.toISOString(), ...outcome };
    },

    preview(body: PreviewRequest): Preview {
      checkTemplate(body.template);
      const now = new Date();
      const alert = sampleAlert(deps.baseUrl, now);
      const rendered = renderTemplate(body.template, alert);
      let message: string | null = null;
      if (body.kind) {
        const placeholder = body.kind === 'mattermost' ? { channel: '', username: '' } : { facility: 16 };
        const m = formatterFor(body.kind)({ alert, text: rendered.text, config: placeholder, hostname: os.hostname(), now });
        message = m.transport === 'http' ? JSON.stringify(JSON.parse(m.body), null, 2) : m.transport === 'smtp' ? `Subject: ${m.subject}\n\n${m.text}` : m.line;
      }
      return { text: rendered.text, truncated: rendered.truncated, message };
    },

    async deliveries(q: DeliveriesQuery): Promise<Delivery[]> {
      if (q.channel_id && !ID.test(q.channel_id)) return [];
      return repo.listDeliveries({ channelId: q.channel_id || undefined, status: q.status || undefined, limit: q.limit });
    },
  };
}
export type ChannelService = ReturnType<typeof createChannelService>;
