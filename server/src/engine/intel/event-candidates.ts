// Which values of an event are looked up, in canonical form: the address columns and the
// ECS-style fields parsers fill (addresses, DNS and host names, URLs and their hosts, file
// and process hashes, including Sysmon's "SHA256=...,MD5=..." lists). Values are read,
// never trusted: anything that does not normalize is skipped.
import { canonicalDomain, canonicalIp, urlParts } from './normalize.ts';
import type { Candidate } from './indicator-index.ts';

export interface CandidateSource {
  source_ip: string | null;
  dest_ip: string | null;
  fields: Record<string, unknown> | null;
}

export const IP_FIELDS = ['source.ip', 'destination.ip', 'client.ip', 'server.ip', 'host.ip'] as const;
export const DOMAIN_FIELDS = [
  'dns.question.name', 'destination.domain', 'source.domain', 'url.domain', 'server.domain', 'client.domain',
  'tls.server.name', 'tls.client.server_name', 'http.request.host',
] as const;
export const URL_FIELDS = ['url.full', 'url.original'] as const;
const HASH_FIELDS: readonly [string, Candidate['kind']][] = [
  ['file.hash.sha256', 'sha256'], ['file.hash.sha1', 'sha1'], ['file.hash.md5', 'md5'],
  ['process.hash.sha256', 'sha256'], ['process.hash.sha1', 'sha1'], ['process.hash.md5', 'md5'],
  ['hash.sha256', 'sha256'], ['hash.sha1', 'sha1'], ['hash.md5', 'md5'],
];
/** Fields holding one hash or a list `ALG=hex,ALG=hex` (Sysmon, CEF fileHash). */
const HASH_LIST_FIELDS = ['file.hash', 'process.hash'] as const;
const HASH_BY_LENGTH: Readonly<Record<number, Candidate['kind']>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
/** Longest field value looked at; longer text is no indicator. */
const MAX_VALUE = 4096;
const HEX = /^[0-9a-f]+$/;

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= MAX_VALUE ? v : null);

function pushHash(out: Candidate[], value: string, field: string): void {
  for (const part of value.split(/[,;\s]+/).slice(0, 8)) {
    const eq = part.indexOf('=');
    const hex = (eq >= 0 ? part.slice(eq + 1) : part).toLowerCase();
    const kind = HASH_BY_LENGTH[hex.length];
    if (kind && HEX.test(hex)) out.push({ kind, value: hex, field });
  }
}

/** The event's values to look up, each once per field. */
export function eventCandidates(e: CandidateSource): Candidate[] {
  const out: Candidate[] = [];
  const ip = (value: unknown, field: string) => {
    const t = text(value);
    const c = t === null ? null : canonicalIp(t);
    if (c !== null) out.push({ kind: 'ip', value: c, field });
  };
  const domain = (value: unknown, field: string) => {
    const t = text(value);
    if (t === null) return;
    const d = canonicalDomain(t);
    if (d !== null) out.push({ kind: 'domain', value: d, field });
    else ip(t, field); // a host field holding an address
  };
  ip(e.source_ip, 'source_ip');
  ip(e.dest_ip, 'dest_ip');
  const f = e.fields;
  if (f === null || typeof f !== 'object') return out;
  const get = (name: string): unknown => (Object.hasOwn(f, name) ? f[name] : undefined);
  for (const name of IP_FIELDS) {
    const v = get(name);
    if (v !== undefined && v !== e.source_ip && v !== e.dest_ip) ip(v, name);
  }
  for (const name of DOMAIN_FIELDS) domain(get(name), name);
  for (const name of URL_FIELDS) {
    const t = text(get(name));
    const u = t === null ? null : urlParts(t);
    if (u === null) continue;
    out.push({ kind: 'url', value: u.href, field: name });
    domain(u.host, name);
  }
  for (const [name, kind] of HASH_FIELDS) {
    const t = text(get(name));
    if (t !== null) {
      const h = t.trim().toLowerCase();
      if (HEX.test(h) && HASH_BY_LENGTH[h.length] === kind) out.push({ kind, value: h, field: name });
    }
  }
  for (const name of HASH_LIST_FIELDS) {
    const t = text(get(name));
    if (t !== null) pushHash(out, t, name);
  }
  return out;
}
