// Alert notifications: channels (one config shape per kind), their routing filters and
// message template, deliveries with their attempts, "send test" and template preview.
// Secret fields are write-only: answers carry them masked (see SECRET_FIELDS).
import { z } from 'zod';
import { IdSchema, SeveritySchema, lenientInt } from './common.ts';
import { RuleTagSchema } from './rules.ts';

export const CHANNEL_KINDS = ['webhook', 'slack', 'teams', 'mattermost', 'email', 'syslog'] as const;
export const ChannelKindSchema = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ChannelKindSchema>;

/** Bounds: every text, list and template an admin can send. */
export const NOTIFY_LIMITS = {
  maxChannels: 100,
  maxName: 100,
  maxUrl: 2_000,
  maxSecret: 512,
  maxHeaders: 20,
  maxHeaderName: 100,
  maxHeaderValue: 1_000,
  maxRecipients: 20,
  maxAddress: 320,
  maxHost: 255,
  maxRuleIds: 200,
  maxTactics: 20,
  maxTags: 20,
  maxTemplate: 2_000,
  /** A rendered message is cut at this many characters. */
  maxRendered: 4_000,
  maxDeliveriesPage: 200,
} as const;

/** The mask answers carry in place of a secret value that is set. */
export const SECRET_MASK = '********';

const http = z
  .string()
  .max(NOTIFY_LIMITS.maxUrl)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');
const secret = z.string().max(NOTIFY_LIMITS.maxSecret);
const host = z.string().min(1).max(NOTIFY_LIMITS.maxHost).regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or an address (IPv6 without brackets)');
const port = lenientInt({ min: 1, max: 65535, source: 'body' });
const address = z.string().max(NOTIFY_LIMITS.maxAddress).regex(/^[^\s@<>",;]+@[^\s@<>",;]+$/, 'must be an e-mail address');
// RFC 7230 token: what a header name may hold; values may not break the line.
const headerName = z.string().min(1).max(NOTIFY_LIMITS.maxHeaderName).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid header name');
const headerValue = z.string().max(NOTIFY_LIMITS.maxHeaderValue).regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

/** Headers the transport or the signature owns; a channel cannot set them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'x-siem-signature', 'x-siem-timestamp']);

export const WebhookConfigSchema = z.object({
  url: http,
  /** HMAC-SHA256 key; empty = unsigned. */
  secret: secret.default(''),
  headers: z
    .record(headerName, headerValue)
    .default({})
    .refine((h) => Object.keys(h).length <= NOTIFY_LIMITS.maxHeaders, `at most ${NOTIFY_LIMITS.maxHeaders} headers`)
    .refine((h) => !Object.keys(h).some((k) => RESERVED_HEADERS.has(k.toLowerCase())), `these headers are set by the server: ${[...RESERVED_HEADERS].join(', ')}`),
});
export const SlackConfigSchema = z.object({ url: http });
export const TeamsConfigSchema = z.object({ url: http });
export const MattermostConfigSchema = z.object({
  url: http,
  channel: z.string().max(100).default(''),
  username: z.string().max(100).default(''),
});
export const EmailConfigSchema = z.object({
  host,
  port: port.default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure: z.boolean().default(false),
  /** Refuse to send when the server offers no STARTTLS. */
  require_tls: z.boolean().default(false),
  username: z.string().max(NOTIFY_LIMITS.maxAddress).default(''),
  password: secret.default(''),
  from: address,
  to: z.array(address).min(1).max(NOTIFY_LIMITS.maxRecipients),
});
export const SyslogConfigSchema = z.object({
  host,
  port: port.default(514),
  protocol: z.enum(['udp', 'tcp']).default('udp'),
  /** Syslog facility number (16 = local0). */
  facility: lenientInt({ min: 0, max: 23, source: 'body' }).default(16),
});

export const CHANNEL_CONFIG_SCHEMAS = {
  webhook: WebhookConfigSchema,
  slack: SlackConfigSchema,
  teams: TeamsConfigSchema,
  mattermost: MattermostConfigSchema,
  email: EmailConfigSchema,
  syslog: SyslogConfigSchema,
} as const;
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;
export type SlackConfig = z.infer<typeof SlackConfigSchema>;
export type TeamsConfig = z.infer<typeof TeamsConfigSchema>;
export type MattermostConfig = z.infer<typeof MattermostConfigSchema>;
export type EmailConfig = z.infer<typeof EmailConfigSchema>;
export type SyslogConfig = z.infer<typeof SyslogConfigSchema>;
export type ChannelConfig = WebhookConfig | SlackConfig | TeamsConfig | MattermostConfig | EmailConfig | SyslogConfig;

/** Fields never answered in clear, per kind (webhook header values are all secret too). */
export const SECRET_FIELDS: Record<ChannelKind, readonly string[]> = {
  webhook: ['url', 'secret', 'headers'],
  slack: ['url'],
  teams: ['url'],
  mattermost: ['url'],
  email: ['password'],
  syslog: [],
};

export const RoutingSchema = z.object({
  /** Alerts below this severity are not sent. */
  min_severity: SeveritySchema.default('info'),
  /** Only alerts of these rules; empty = every rule. */
  rule_ids: z.array(IdSchema).max(NOTIFY_LIMITS.maxRuleIds).default([]),
  /** Only alerts with one of these ATT&CK tactics (case-insensitive); empty = any. */
  tactics: z.array(z.string().min(1).max(64)).max(NOTIFY_LIMITS.maxTactics).default([]),
  /** Only alerts whose rule has at least one of these tags (lower-cased on input); empty = any (additive). */
  tags: z.array(RuleTagSchema).max(NOTIFY_LIMITS.maxTags).default([]),
});
export type Routing = z.infer<typeof RoutingSchema>;

export const DEFAULT_TEMPLATE = '[{{alert.severity}}] {{alert.title}} (rule: {{rule.name}}, group: {{alert.group_value}}) {{alert.url}}';
export const TemplateSchema = z.string().max(NOTIFY_LIMITS.maxTemplate);

const common = {
  name: z.string().trim().min(1).max(NOTIFY_LIMITS.maxName),
  enabled: z.boolean().default(true),
  routing: RoutingSchema.default({ min_severity: 'info', rule_ids: [], tactics: [], tags: [] }),
  template: TemplateSchema.default(DEFAULT_TEMPLATE),
};

/** POST /v1/notifications/channels. */
export const ChannelCreateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webhook'), config: WebhookConfigSchema, ...common }),
  z.object({ kind: z.literal('slack'), config: SlackConfigSchema, ...common }),
  z.object({ kind: z.literal('teams'), config: TeamsConfigSchema, ...common }),
  z.object({ kind: z.literal('mattermost'), config: MattermostConfigSchema, ...common }),
  z.object({ kind: z.literal('email'), config: EmailConfigSchema, ...common }),
  z.object({ kind: z.literal('syslog'), config: SyslogConfigSchema, ...common }),
]);
export type ChannelCreate = z.infer<typeof ChannelCreateSchema>;

/**
 * PATCH /v1/notifications/channels/{id}. `config` replaces the whole config and is checked
 * against the channel's kind; a secret field left out, empty or equal to the mask keeps
 * its stored value (the form never sees secrets).
 */
export const ChannelUpdateSchema = z.object({
  name: common.name.optional(),
  enabled: z.boolean().optional(),
  routing: RoutingSchema.optional(),
  template: TemplateSchema.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type ChannelUpdate = z.infer<typeof ChannelUpdateSchema>;

/** A channel as answered: secret values replaced by SECRET_MASK (URLs keep their origin). */
export const ChannelSchema = z.object({
  id: IdSchema,
  name: z.string(),
  kind: ChannelKindSchema,
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  /** Secret fields that hold a value. */
  secrets_set: z.array(z.string()),
  routing: RoutingSchema,
  template: z.string(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Channel = z.infer<typeof ChannelSchema>;

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/** One send: `status_code` for HTTP, null for SMTP and syslog. */
export const AttemptSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  status_code: z.number().int().nullable(),
  /** Bounded to 500 characters; never holds a secret. */
  error: z.string().nullable(),
  latency_ms: z.number().int(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const DeliverySchema = z.object({
  id: IdSchema,
  channel_id: IdSchema,
  channel_name: z.string().nullable(),
  alert_id: IdSchema,
  alert_title: z.string(),
  severity: SeveritySchema,
  status: DeliveryStatusSchema,
  attempt_count: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Newest first, at most 20. */
  attempts: z.array(AttemptSchema),
});
export type Delivery = z.infer<typeof DeliverySchema>;

export const DeliveriesQuerySchema = z.object({
  channel_id: z.string().max(24).optional(),
  status: z.union([DeliveryStatusSchema, z.literal('')]).optional(),
  limit: lenientInt({ min: 1, max: NOTIFY_LIMITS.maxDeliveriesPage, source: 'query' }).default(50),
});
export type DeliveriesQuery = z.infer<typeof DeliveriesQuerySchema>;

/** POST /v1/notifications/preview: renders the template (and the kind's message) for a sample alert. */
export const PreviewRequestSchema = z.object({
  template: TemplateSchema,
  kind: ChannelKindSchema.optional(),
});
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;

export const PreviewSchema = z.object({
  text: z.string(),
  truncated: z.boolean(),
  /** What the channel kind would send: a JSON body, an e-mail or a syslog line, as text. */
  message: z.string().nullable(),
});
export type Preview = z.infer<typeof PreviewSchema>;

/** POST /v1/notifications/channels/{id}/test. */
export const TestResultSchema = AttemptSchema;
export type TestResult = z.infer<typeof TestResultSchema>;

/** Variables a template may use. */
export const TEMPLATE_VARIABLES = [
  'alert.id',
  'alert.title',
  'alert.severity',
  'alert.status',
  'alert.group_value',
  'alert.url',
  'alert.fired_at',
  'alert.matched_event_count',
  'alert.mitre_tactic',
  'alert.mitre_technique',
  'rule.id',
  'rule.name',
  'rule.tags',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
