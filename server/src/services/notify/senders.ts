// Transports: HTTP (webhook, Slack, Teams, Mattermost), SMTP (nodemailer) and syslog over
// UDP or TCP. Every send has a time budget, never follows redirects, and reports an
// outcome whose error text is bounded and scrubbed of the channel's secrets.
import dgram from 'node:dgram';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type { ChannelKind, EmailConfig, SyslogConfig, WebhookConfig } from '@siem/contracts';
import type { OutgoingMessage } from '../../engine/notify/index.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from './signing.ts';

export interface SendOutcome {
  ok: boolean;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  /** Another attempt cannot succeed (the channel's secrets are unreadable). */
  permanent?: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  /** Wall clock in ms (the signature timestamp); injectable for tests. */
  now?: () => number;
}

const ERROR_MAX = 500;
/** Response bytes read (and discarded) at most, so a huge answer cannot hold the worker. */
const RESPONSE_READ_MAX = 64 * 1024;

/** Secret strings of a config (URLs, HMAC secret, header values, password), to scrub from errors. */
export function secretValues(kind: ChannelKind, config: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of ['url', 'secret', 'password']) {
    const v = config[key];
    if (typeof v === 'string' && v.length >= 4) out.push(v);
  }
  // A receiver's answer may quote the path it was sent to (the token of a Slack or Teams URL)
  // without the origin: its path, query, credentials and their parts count as secret too.
  if (typeof config.url === 'string') {
    try {
      const u = new URL(config.url);
      const parts = [u.pathname + u.search, u.search, decodeURIComponent(u.username), decodeURIComponent(u.password), ...u.pathname.split('/'), ...u.searchParams.values()];
      for (const p of parts) if (p.length >= 6) out.push(p);
    } catch {
      // Not a URL: the whole value is already listed.
    }
  }
  if (kind === 'webhook' && config.headers && typeof config.headers === 'object') {
    for (const v of Object.values(config.headers as Record<string, unknown>)) if (typeof v === 'string' && v.length >= 4) out.push(v);
  }
  return out;
}

export function scrub(text: string, secrets: string[]): string {
  let out = text;
  // Longest first: a whole URL is replaced before its parts.
  for (const s of [...secrets].sort((x, y) => y.length - x.length)) out = out.split(s).join('[redacted]');
  return out.length > ERROR_MAX ? `${out.slice(0, ERROR_MAX - 1)}…` : out;
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string }; code?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const cause = e?.cause ? `: ${e.cause.code ?? e.cause.message ?? ''}` : '';
  return `${e?.message ?? String(err)}${cause}`;
}

async function sendHttp(kind: ChannelKind, config: Record<string, unknown>, msg: Extract<OutgoingMessage, { transport: 'http' }>, opts: SendOptions): Promise<Omit<SendOutcome, 'latency_ms'>> {
  const headers: Record<string, string> = { 'content-type': msg.contentType, 'user-agent': 'siem-notify/1' };
  if (kind === 'webhook') {
    const wh = config as WebhookConfig;
    for (const [k, v] of Object.entries(wh.headers ?? {})) headers[k.toLowerCase()] = v;
    if (wh.secret) {
      const ts = Math.floor((opts.now ?? Date.now)() / 1000);
      headers[TIMESTAMP_HEADER.toLowerCase()] = String(ts);
      headers[SIGNATURE_HEADER.toLowerCase()] = signBody(wh.secret, ts, msg.body);
    }
  }
  const res = await fetch(String(config.url), { method: 'POST', headers, body: msg.body, redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs) });
  let text = '';
  if (res.body) {
    const reader = res.body.getReader();
    let read = 0;
    const decoder = new TextDecoder();
    while (read < RESPONSE_READ_MAX) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      if (text.length < 200) text += decoder.decode(value, { stream: true });
    }
    await reader.cancel().catch(() => {});
  }
  const ok = res.status >= 200 && res.status < 300;
  return { ok, status_code: res.status, error: ok ? null : `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
}

async function sendSmtp(config: EmailConfig, msg: Extract<OutgoingMessage, { transport: 'smtp' }>, opts: SendOptions): Promise<Omit<SendOutcome, 'latency_ms'>> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.require_tls,
    ...(config.username ? { auth: { user: config.username, pass: config.password } } : {}),
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    await transport.sendMail({ from: config.from, to: config.to, subject: msg.subject, text: msg.text });
    return { ok: true, status_code: null, error: null };
  } finally {
    transport.close();
  }
}

function sendUdp(config: SyslogConfig, line: string, timeoutMs: number): Promise<void> {
  const data = Buffer.from(line);
  const socket = dgram.createSocket(net.isIPv6(config.host) ? 'udp6' : 'udp4');
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('timed out')), timeoutMs);
    const done = (err?: Error | null) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve();
    };
    socket.once('error', done);
    socket.send(data, config.port, config.host, (err) => done(err));
  });
}

function sendTcp(config: SyslogConfig, line: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: config.host, port: config.port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
    // Non-transparent framing (RFC 6587): one line per message, LF-terminated; CEF escaping keeps the alert on one line.
    socket.once('connect', () => socket.end(`${line}\n`, () => resolve()));
  });
}

/** Sends one formatted message on a channel; never throws. */
export async function send(kind: ChannelKind, config: Record<string, unknown>, msg: OutgoingMessage, opts: SendOptions): Promise<SendOutcome> {
  const started = performance.now();
  let result: Omit<SendOutcome, 'latency_ms'>;
  try {
    if (msg.transport === 'http') result = await sendHttp(kind, config, msg, opts);
    else if (msg.transport === 'smtp') result = await sendSmtp(config as EmailConfig, msg, opts);
    else {
      const sc = config as SyslogConfig;
      await (sc.protocol === 'tcp' ? sendTcp(sc, msg.line, opts.timeoutMs) : sendUdp(sc, msg.line, opts.timeoutMs));
      result = { ok: true, status_code: null, error: null };
    }
  } catch (err) {
    result = { ok: false, status_code: null, error: describe(err) };
  }
  const error = result.error === null ? null : scrub(result.error, secretValues(kind, config));
  return { ...result, error, latency_ms: Math.round(performance.now() - started) };
}
