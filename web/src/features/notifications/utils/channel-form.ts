// The channel form's state (plain strings, as typed) and its conversion to API bodies. On
// edit, secret fields start empty: left empty they keep the stored value (the server merges).
import { DEFAULT_TEMPLATE, SECRET_MASK } from '@siem/contracts';
import type { Channel, ChannelCreate, ChannelKind, ChannelUpdate, Severity } from '@siem/contracts';

export interface ChannelForm {
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  url: string;
  secret: string;
  /** "Name: value" per line. */
  headers: string;
  mmChannel: string;
  mmUsername: string;
  host: string;
  port: string;
  secure: boolean;
  requireTls: boolean;
  username: string;
  password: string;
  from: string;
  /** Addresses separated by commas or lines. */
  to: string;
  protocol: 'udp' | 'tcp';
  facility: string;
  minSeverity: Severity;
  ruleIds: string;
  tactics: string;
  /** Rule tags, separated by commas or spaces. */
  tags: string;
  template: string;
}

export const KIND_LABELS: Record<ChannelKind, string> = {
  webhook: 'Webhook (signed JSON)',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  mattermost: 'Mattermost',
  email: 'E-mail (SMTP)',
  syslog: 'Syslog / CEF',
};

export function emptyForm(kind: ChannelKind = 'webhook'): ChannelForm {
  return {
    kind, name: '', enabled: true, url: '', secret: '', headers: '', mmChannel: '', mmUsername: '',
    host: '', port: kind === 'email' ? '587' : '514', secure: false, requireTls: false, username: '', password: '', from: '', to: '',
    protocol: 'udp', facility: '16', minSeverity: 'info', ruleIds: '', tactics: '', tags: '', template: DEFAULT_TEMPLATE,
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const words = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
const lines = (text: string) => text.split('\n').map((s) => s.trim()).filter(Boolean);

/** The form for an existing channel: secrets left empty ("unchanged"), header values masked. */
export function fromChannel(c: Channel): ChannelForm {
  const cfg = c.config;
  const headers = (cfg.headers ?? {}) as Record<string, string>;
  return {
    ...emptyForm(c.kind),
    kind: c.kind, name: c.name, enabled: c.enabled,
    url: '', secret: '',
    headers: Object.keys(headers).map((k) => `${k}: ${SECRET_MASK}`).join('\n'),
    mmChannel: str(cfg.channel), mmUsername: str(cfg.username),
    host: str(cfg.host), port: str(cfg.port) || emptyForm(c.kind).port, secure: cfg.secure === true, requireTls: cfg.require_tls === true,
    username: str(cfg.username), password: '', from: str(cfg.from), to: Array.isArray(cfg.to) ? (cfg.to as string[]).join(', ') : '',
    protocol: cfg.protocol === 'tcp' ? 'tcp' : 'udp', facility: str(cfg.facility) || '16',
    minSeverity: c.routing.min_severity, ruleIds: c.routing.rule_ids.join('\n'), tactics: c.routing.tactics.join(', '),
    tags: (c.routing.tags ?? []).join(', '), template: c.template,
  };
}

export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const at = line.indexOf(':');
    if (at <= 0) out[line] = '';
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** The kind's config as the API expects it; empty secrets are left out (edit: kept). */
export function configOf(f: ChannelForm): Record<string, unknown> {
  const opt = (key: string, value: string) => (value === '' ? {} : { [key]: value });
  switch (f.kind) {
    case 'webhook':
      return { ...opt('url', f.url), ...opt('secret', f.secret), headers: parseHeaders(f.headers) };
    case 'slack':
    case 'teams':
      return { ...opt('url', f.url) };
    case 'mattermost':
      return { ...opt('url', f.url), channel: f.mmChannel, username: f.mmUsername };
    case 'email':
      return { host: f.host, port: f.port, secure: f.secure, require_tls: f.requireTls, username: f.username, ...opt('password', f.password), from: f.from, to: words(f.to) };
    case 'syslog':
      return { host: f.host, port: f.port, protocol: f.protocol, facility: f.facility };
  }
}

function routingOf(f: ChannelForm) {
  return { min_severity: f.minSeverity, rule_ids: words(f.ruleIds), tactics: f.tactics.split(',').map((s) => s.trim()).filter(Boolean), tags: words(f.tags) };
}

export function toCreateBody(f: ChannelForm): ChannelCreate {
  return { kind: f.kind, name: f.name.trim(), enabled: f.enabled, config: configOf(f), routing: routingOf(f), template: f.template } as ChannelCreate;
}

export function toUpdateBody(f: ChannelForm): ChannelUpdate {
  return { name: f.name.trim(), enabled: f.enabled, config: configOf(f), routing: routingOf(f), template: f.template };
}

/** Server detail fields (config.url, routing.tactics.0) -> form keys. */
export function formFieldOf(field: string): string {
  const map: Record<string, string> = {
    'config.url': 'url', 'config.secret': 'secret', 'config.headers': 'headers', 'config.host': 'host', 'config.port': 'port',
    'config.from': 'from', 'config.to': 'to', 'config.password': 'password', 'config.username': 'username', 'config.facility': 'facility',
    'config.channel': 'mmChannel', 'routing.min_severity': 'minSeverity', 'routing.rule_ids': 'ruleIds', 'routing.tactics': 'tactics',
    'routing.tags': 'tags',
  };
  for (const [prefix, key] of Object.entries(map)) if (field === prefix || field.startsWith(`${prefix}.`)) return key;
  if (field.startsWith('config.headers')) return 'headers';
  if (field.startsWith('config.to')) return 'to';
  return field === 'name' || field === 'template' ? field : '_form';
}
