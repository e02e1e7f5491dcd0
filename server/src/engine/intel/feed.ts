// What every feed parser returns: indicators in canonical form with what the file said of
// each (source, confidence, expiry), and located problems (line or object index), collected
// rather than stopping at the first. Bounds are the caller's: no parser reads past them.
import type { IndicatorType } from '@siem/contracts';
import { normalizeIndicator } from './normalize.ts';

export interface ParsedIndicator {
  type: IndicatorType;
  value: string;
  source?: string | undefined;
  /** 0..100. */
  confidence?: number | undefined;
  /** Epoch ms. */
  expiresMs?: number | undefined;
}

export interface FeedLimits {
  /** Most indicators kept; the rest are counted as truncated. */
  maxIndicators: number;
  /** Most problems described (all are counted). */
  maxErrors?: number;
}

export interface ParsedFeed {
  indicators: ParsedIndicator[];
  /** `line 3: ...`, `objects[2]: ...`: the first few problems. */
  errors: string[];
  /** Entries refused (bad value, unsupported pattern...). */
  rejected: number;
  /** Entries beyond maxIndicators. */
  truncated: number;
}

export type FeedParser = (text: string, limits: FeedLimits) => ParsedFeed;

const DEFAULT_MAX_ERRORS = 20;
const MAX_SOURCE = 200;

/** Collects indicators and problems under the limits; parsers call add/problem. */
export function createCollector(limits: FeedLimits) {
  const feed: ParsedFeed = { indicators: [], errors: [], rejected: 0, truncated: 0 };
  const maxErrors = limits.maxErrors ?? DEFAULT_MAX_ERRORS;
  return {
    feed,
    problem(where: string, message: string): void {
      feed.rejected++;
      if (feed.errors.length < maxErrors) feed.errors.push(`${where}: ${message}`);
    },
    /** The JSON document of a feed file; undefined (and a problem recorded) when it is not JSON. */
    json(text: string): { doc: unknown } | undefined {
      try {
        return { doc: JSON.parse(text) as unknown };
      } catch (err) {
        this.problem('document', `not JSON (${(err as Error).message.slice(0, 120)})`);
        return undefined;
      }
    },
    /** True when the limit is reached: the parser may stop reading. */
    full(): boolean {
      return feed.indicators.length >= limits.maxIndicators;
    },
    /** Normalizes and keeps one value; a refused one is a located problem. */
    add(where: string, raw: string, type: IndicatorType | undefined, extra: Omit<ParsedIndicator, 'type' | 'value'> = {}): void {
      const n = normalizeIndicator(raw, type);
      if (!n.ok) {
        this.problem(where, n.message);
        return;
      }
      if (feed.indicators.length >= limits.maxIndicators) {
        feed.truncated++;
        return;
      }
      const source = extra.source?.trim().slice(0, MAX_SOURCE) || undefined;
      feed.indicators.push({ type: n.type, value: n.value, source, confidence: extra.confidence, expiresMs: extra.expiresMs });
    },
  };
}
export type Collector = ReturnType<typeof createCollector>;

/** 0..100 from a number or numeric text; undefined when absent or out of range. */
export function readConfidence(value: unknown): number | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,3}(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) return null;
  return Math.round(n);
}

/** Epoch ms from ISO 8601 text, a date, or epoch seconds; undefined when absent, null when unreadable. */
export function readExpiry(value: unknown): number | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value * 1000 : null;
  if (typeof value !== 'string' || value.length > 64) return null;
  const t = value.trim();
  if (/^\d{9,11}$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d\d-\d\d/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

/** Type names feeds use, to ours. `hash` means "infer from length". */
const TYPE_ALIASES: Readonly<Record<string, IndicatorType | 'infer'>> = {
  ip: 'ip', ipv4: 'ip', ipv6: 'ip', 'ipv4-addr': 'ip', 'ipv6-addr': 'ip', 'ip-dst': 'ip', 'ip-src': 'ip', address: 'ip', addr: 'ip',
  cidr: 'cidr', network: 'cidr', subnet: 'cidr', netblock: 'cidr', range: 'cidr',
  domain: 'domain', hostname: 'domain', host: 'domain', fqdn: 'domain', 'domain-name': 'domain',
  url: 'url', uri: 'url', link: 'url',
  md5: 'md5', sha1: 'sha1', 'sha-1': 'sha1', sha256: 'sha256', 'sha-256': 'sha256',
  hash: 'infer', filehash: 'infer', 'file-hash': 'infer', '': 'infer', auto: 'infer',
};

/** Our type for a feed's type name: a type, 'infer', or null when unknown. */
export function typeFromName(name: string): IndicatorType | 'infer' | null {
  return TYPE_ALIASES[name.trim().toLowerCase()] ?? null;
}
