// Configuration: one zod schema over the environment (plus an optional .env, read by
// main.ts). loadConfig is pure and reports every bad key at once so an operator fixes
// them in one go. Defaults run the SIEM on a laptop with nothing else installed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isValidTimeZone } from './engine/parse/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_SECRET = 'dev-insecure-secret-change-me-before-production';

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .default(def ? 'true' : 'false')
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
/** Unset = decided by another setting (see loadConfig). */
const optionalBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .optional()
  .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes', 'on'].includes(v)));
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const list = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** "200/minute", "10/second", "1000/hour" or empty for unlimited. */
const rateLimit = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const text = v.trim();
      if (text === '' || text === 'unlimited') return null;
      const match = /^(\d+)\s*\/\s*(second|minute|hour|day)$/.exec(text);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'expected "<count>/<second|minute|hour|day>" or empty' });
        return z.NEVER;
      }
      const unitMs = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2] as 'second'];
      return { max: Number(match[1]), windowMs: unitMs };
    });

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(8431, 0, 65535),
  /** The address people reach the web app at (links the server prints or sends); default http://localhost:PORT. */
  PUBLIC_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v), {
    message: 'must be an http(s) URL without query or fragment, e.g. https://siem.example.com',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
  DATABASE_URL: optionalString,
  DATABASE_SCHEMA: optionalString.refine((v) => v === undefined || /^[a-z_][a-z0-9_]{0,62}$/.test(v), {
    message: 'must be a lowercase SQL identifier',
  }),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  DATABASE_CONNECT_TIMEOUT_MS: int(5000, 100, 120_000),
  REDIS_URL: optionalString,
  REDIS_PREFIX: z.string().default('siem:'),
  // Unset: a random secret is generated at first start and kept (system.ts, loadSecret).
  SECRET_KEY: optionalString,
  REGISTRATION_ENABLED: optionalBool,
  JWT_EXPIRATION_HOURS: int(24, 1, 24 * 365),
  CORS_ORIGINS: list('http://localhost:5173'),
  TRUST_PROXY: bool(false),
  DEFAULT_PAGE_SIZE: int(50, 1, 1000),
  MAX_PAGE_SIZE: int(200, 1, 1000),
  RATELIMIT_DEFAULT: rateLimit('200/minute'),
  RATELIMIT_AUTH: rateLimit('10/minute'),
  RATELIMIT_INGEST: rateLimit(''),
  INGEST_API_KEYS: list(''),
  INGEST_BATCH_MAX: int(2000, 1, 100_000),
  INGEST_BATCH_DELAY_MS: int(5, 0, 1000),
  INGEST_WRITERS: int(0, 0, 16),
  INGEST_QUEUE_MAX: int(100_000, 1, 10_000_000),
  INGEST_QUEUE_MAX_BYTES: int(67_108_864, 65_536),
  INGEST_BODY_LIMIT_BYTES: int(1_048_576, 1024),
  BULK_BODY_LIMIT_BYTES: int(10_485_760, 1024),
  BULK_MAX_EVENTS: int(10_000, 1, 1_000_000),
  // Deduplication (docs/ingest.md): how long a client-given event id (idempotency_key, _id,
  // event.id) is remembered, and how long a digest of each raw event is. Hashing is off by
  // default (0): identical syslog lines within a second can be genuine repeats.
  DEDUP_ID_HORIZON_SECONDS: int(604_800, 1, 86_400 * 366),
  DEDUP_HASH_HORIZON_SECONDS: int(0, 0, 86_400 * 30),
  STREAM_MAXLEN: int(10_000, 100),
  SSE_KEEPALIVE_SECONDS: int(3, 1, 300),
  SSE_REPLAY_MAX: int(1000, 0, 100_000),
  SSE_MAX_PER_USER: int(10, 1, 10_000),
  SSE_MAX_TOTAL: int(1000, 1, 100_000),
  SSE_CLIENT_BUFFER_BYTES: int(262_144, 4096, 16_777_216),
  SSE_RECHECK_SECONDS: int(5, 1, 300),
  PIVOT_MAX_RESULTS: int(1000, 1, 100_000),
  // Log search: time budget of one search, and searches run at once on a server store
  // (each on a connection of its own, apart from the writers').
  SEARCH_TIMEOUT_MS: int(5000, 100, 600_000),
  SEARCH_MAX_CONCURRENT: int(2, 1, 64),
  EVENT_LIST_MAX_BYTES: int(16_777_216, 65_536, 1_073_741_824),
  TIMELINE_DEFAULT_HOURS: int(24, 1, 8760),
  TIMELINE_BUCKET_MINUTES: int(15, 1, 1440),
  TOP_SOURCES_LIMIT: int(10, 1, 100),
  CORRELATION_ENABLED: bool(true),
  /** Country, city and AS of public addresses at ingest, from the database shipped in the npm packages. */
  GEOIP_ENABLED: bool(true),
  CORRELATION_COOLDOWN_SECONDS: int(300, 0, 86_400 * 30),
  CORRELATION_RULE_CACHE_SECONDS: int(60, 1, 3600),
  CORRELATION_MAX_MATCHED_IDS: int(1000, 1, 100_000),
  CORRELATION_BATCH_SIZE: int(1000, 1, 50_000),
  CORRELATION_REPLAY_MAX_EVENTS: int(500_000, 0, 50_000_000),
  CORRELATION_MAX_LAG_SECONDS: int(300, 1, 86_400),
  CORRELATION_STUCK_SECONDS: int(60, 5, 86_400),
  CORRELATION_MAX_LATENESS_SECONDS: int(86_400, 0, 86_400 * 30),
  // Days of events kept, by event time: whole days past it are dropped (alerts keep a
  // snapshot of their events, dashboard counts stay). 0 = keep events forever.
  RETENTION_DAYS: int(0, 0, 36_500),
  RULE_TEST_MAX_HOURS: int(72, 1, 8760),
  RULE_TEST_MAX_EVENTS: int(200_000, 1, 10_000_000),
  RULE_TEST_MAX_CONCURRENT: int(2, 1, 64),
  SCENARIO_PLAYBOOK_DIR: z.string().default(path.join(repoRoot, 'server', 'playbooks')),
  SCENARIO_MIN_SPEED: z.coerce.number().positive().default(0.1),
  SCENARIO_MAX_SPEED: z.coerce.number().positive().default(10),
  // Room for every shipped playbook to play at once (six today) with headroom; a test
  // keeps this at or above the number of files in server/playbooks.
  SCENARIO_MAX_CONCURRENT: int(12, 1, 100),
  WEB_DIST_DIR: z.string().default(path.join(repoRoot, 'web', 'dist')),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 600_000),
  SYSLOG_UDP_PORT: int(5514, 0, 65535),
  SYSLOG_TCP_PORT: int(5514, 0, 65535),
  SYSLOG_TLS_PORT: int(6514, 0, 65535),
  SYSLOG_TLS_CERT_FILE: optionalString,
  SYSLOG_TLS_KEY_FILE: optionalString,
  SYSLOG_TLS_CA_FILE: optionalString,
  SYSLOG_TLS_CLIENT_AUTH: bool(false),
  SYSLOG_MAX_LINE_BYTES: int(65_536, 256, 16_777_216),
  SYSLOG_TCP_IDLE_SECONDS: int(300, 1, 86_400 * 7),
  SYSLOG_TCP_MAX_CONNECTIONS: int(1000, 1, 1_000_000),
  SYSLOG_TIMEZONE: z.string().default('UTC'),
  // Elasticsearch-compatible _bulk and Splunk HEC listener (docs/shippers.md); 0 = off.
  SHIPPER_PORT: int(9201, 0, 65535),
  SHIPPER_BODY_LIMIT_BYTES: int(26_214_400, 1024),
  SHIPPER_MAX_ITEMS: int(50_000, 1, 1_000_000),
  // Alert notifications (docs/notifications.md): the worker's switch, attempts per delivery,
  // time budget of one send, backoff delays, queue bound, poll interval and days kept.
  NOTIFY_ENABLED: bool(true),
  NOTIFY_MAX_ATTEMPTS: int(6, 1, 20),
  NOTIFY_TIMEOUT_MS: int(10_000, 100, 120_000),
  NOTIFY_BASE_DELAY_MS: int(5_000, 1, 3_600_000),
  NOTIFY_MAX_DELAY_MS: int(600_000, 1, 86_400_000),
  NOTIFY_QUEUE_MAX: int(10_000, 1, 1_000_000),
  NOTIFY_POLL_MS: int(1_000, 10, 60_000),
  NOTIFY_KEEP_DAYS: int(7, 1, 3_650),
  // Threat-intel indicator lists (docs/threat-intel.md).
  INTEL_WATCH_ROOT: optionalString,
  INTEL_IMPORT_MAX_BYTES: int(67_108_864, 1024, 1_073_741_824),
  INTEL_IMPORT_MAX_INDICATORS: int(1_000_000, 1, 10_000_000),
  INTEL_MAX_LOADED: int(5_000_000, 1, 50_000_000),
  INTEL_RELOAD_SECONDS: int(5, 1, 3600),
  INTEL_WATCH_POLL_SECONDS: int(30, 1, 86_400),
  INTEL_WATCH_MAX_FILES: int(100, 1, 10_000),
  INTEL_EXPIRED_KEEP_DAYS: int(7, 0, 3650),
});
type ParsedConfig = z.infer<typeof ConfigSchema>;
/** REGISTRATION_ENABLED is resolved: on unless NODE_ENV=production, when not set. */
export type Config = Omit<ParsedConfig, 'REGISTRATION_ENABLED'> & { REGISTRATION_ENABLED: boolean };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming every bad key. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    // An empty value means "unset", except for rate limits where it means "unlimited".
    if (value !== undefined && (value !== '' || key.startsWith('RATELIMIT_'))) input[key] = value;
  }
  const parsed = ConfigSchema.safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message} (got ${JSON.stringify(input[String(issue.path[0])] ?? null)})`);
    }
    throw new ConfigError(problems);
  }
  const config: Config = { ...parsed.data, REGISTRATION_ENABLED: parsed.data.REGISTRATION_ENABLED ?? parsed.data.NODE_ENV !== 'production' };
  if (config.MAX_PAGE_SIZE < config.DEFAULT_PAGE_SIZE) {
    problems.push('DEFAULT_PAGE_SIZE: must not exceed MAX_PAGE_SIZE');
  }
  // The old development default is public: a server signing with it can be forged.
  if (config.SECRET_KEY === DEFAULT_SECRET) {
    problems.push('SECRET_KEY: the former development default is public and cannot be used; set a random value of at least 32 characters, or unset it to have one generated');
  } else if (config.NODE_ENV === 'production' && config.SECRET_KEY !== undefined && config.SECRET_KEY.length < 32) {
    problems.push('SECRET_KEY: must be at least 32 characters with NODE_ENV=production');
  }
  if (!isValidTimeZone(config.SYSLOG_TIMEZONE)) {
    problems.push(`SYSLOG_TIMEZONE: unknown time zone ${JSON.stringify(config.SYSLOG_TIMEZONE)}; use an IANA name such as "Europe/Paris" or "UTC"`);
  }
  if ((config.SYSLOG_TLS_CERT_FILE === undefined) !== (config.SYSLOG_TLS_KEY_FILE === undefined)) {
    problems.push('SYSLOG_TLS_CERT_FILE / SYSLOG_TLS_KEY_FILE: set both (syslog over TLS) or neither');
  }
  if (config.SYSLOG_TLS_CLIENT_AUTH && config.SYSLOG_TLS_CA_FILE === undefined) {
    problems.push('SYSLOG_TLS_CLIENT_AUTH: needs SYSLOG_TLS_CA_FILE, the CA that signs client certificates');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Where people reach the web app (links the server prints or sends): PUBLIC_URL, else this machine's port. */
export function publicUrl(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}
