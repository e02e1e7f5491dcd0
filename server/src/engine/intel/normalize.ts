// One spelling per indicator, so a feed's value and an event's value meet in a hash map:
// canonical address text (IPv6 compressed, lower-case; IPv4-mapped read as IPv4), masked
// networks, lower-case domains without a trailing dot, URLs as the WHATWG parser prints them
// without their fragment, lower-case hex hashes. Also the type of a bare value (CSV lines).
import type { IndicatorType } from '@siem/contracts';
import { parseCidr, parseIp, type ParsedIp } from '../normalize/ip.ts';

export type Normalized = { ok: true; type: IndicatorType; value: string } | { ok: false; message: string };

/** Longest indicator text read; a longer one is refused, never cut. */
export const MAX_INDICATOR_LENGTH = 2048;
const MAX_DOMAIN_LENGTH = 253;

const HEX = /^[0-9a-f]+$/;
const HASH_LENGTHS: Readonly<Record<number, IndicatorType>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const EXPECTED_LENGTH: Readonly<Partial<Record<IndicatorType, number>>> = { md5: 32, sha1: 40, sha256: 64 };
// A label: letters, digits, "-" and "_" (seen in real DNS names), not starting or ending with "-".
const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;
const SCHEME = /^[a-z][a-z0-9+.-]{0,15}:\/\//i;
const CONTROL = /[\p{Cc}\s]/u;

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** The address as 4 or 16 bytes, an IPv4-mapped IPv6 address as its 4 IPv4 bytes. */
export function addressBytes(text: string): ParsedIp | null {
  const ip = parseIp(text);
  if (!ip) return null;
  if (ip.version === 6 && isV4Mapped(ip.bytes)) return { version: 4, bytes: ip.bytes.slice(12) };
  return ip;
}

/** RFC 5952 text: lower-case hex, longest run of zero groups (two or more) as "::". */
export function formatAddress(ip: ParsedIp): string {
  const b = ip.bytes;
  if (ip.version === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

/** Canonical address text, or null when the text is no address. */
export function canonicalIp(text: string): string | null {
  const ip = addressBytes(text.trim());
  return ip ? formatAddress(ip) : null;
}

/** Clears the bits below `prefix`. */
export function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = bytes.slice();
  for (let bit = 0; bit < out.length * 8; bit += 8) {
    const i = bit >> 3;
    if (bit >= prefix) out[i] = 0;
    else if (bit + 8 > prefix) out[i] = out[i]! & ((0xff << (8 - (prefix - bit))) & 0xff);
  }
  return out;
}

function normalizeNetwork(text: string): Normalized {
  const block = parseCidr(text);
  if (!block || !text.includes('/')) return { ok: false, message: `'${text}' is not a network (e.g. 203.0.113.0/24, 2001:db8::/32)` };
  let { version, bytes, prefix } = block;
  if (version === 6 && isV4Mapped(bytes) && prefix >= 96) {
    version = 4;
    bytes = bytes.slice(12);
    prefix -= 96;
  }
  const full = version === 4 ? 32 : 128;
  const network = formatAddress({ version, bytes: maskBytes(bytes, prefix) });
  // A one-address network is an address: exact lookups are cheaper than a prefix walk.
  if (prefix === full) return { ok: true, type: 'ip', value: network };
  return { ok: true, type: 'cidr', value: `${network}/${prefix}` };
}

/** Lower-case, no trailing dot, no "*." wildcard prefix; IDNs as punycode. Null when not a domain name. */
export function canonicalDomain(text: string): string | null {
  let d = text.trim().toLowerCase();
  if (d.startsWith('*.')) d = d.slice(2);
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d.length === 0 || d.length > MAX_DOMAIN_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(d)) {
    try {
      d = new URL(`http://${d}/`).hostname;
    } catch {
      return null;
    }
  }
  const labels = d.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) if (!LABEL.test(label)) return null;
  // All-numeric last label: an address or a typo, never a registrable name.
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null;
  return d;
}

/** A URL's canonical text and its host (brackets of an IPv6 literal removed), parsed once. */
export function urlParts(text: string): { href: string; host: string } | null {
  const t = text.trim();
  if (!SCHEME.test(t) || t.length > MAX_INDICATOR_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return null;
  }
  const host = url.hostname;
  if (host === '') return null;
  url.hash = '';
  return { href: url.href, host: host.startsWith('[') ? host.slice(1, -1) : host };
}

/** The URL as the WHATWG parser prints it (scheme and host lower-case, default port dropped), without fragment. */
export function canonicalUrl(text: string): string | null {
  return urlParts(text)?.href ?? null;
}

/** The host of a URL text (lower-case, brackets of an IPv6 literal removed), or null. */
export function urlHost(text: string): string | null {
  try {
    const host = new URL(text).hostname;
    if (host === '') return null;
    return host.startsWith('[') ? host.slice(1, -1) : host;
  } catch {
    return null;
  }
}

function normalizeHash(type: IndicatorType, text: string): Normalized {
  const h = text.trim().toLowerCase();
  const want = EXPECTED_LENGTH[type]!;
  if (h.length !== want || !HEX.test(h)) return { ok: false, message: `'${text.slice(0, 80)}' is not a ${type} hash (${want} hexadecimal digits)` };
  return { ok: true, type, value: h };
}

/** The type a bare value reads as: address, network, URL, hash (by length), domain; null for none. */
export function inferType(text: string): IndicatorType | null {
  const t = text.trim();
  if (t.length === 0 || t.length > MAX_INDICATOR_LENGTH) return null;
  if (SCHEME.test(t)) return canonicalUrl(t) ? 'url' : null;
  if (t.includes('/')) return normalizeNetwork(t).ok ? 'cidr' : null;
  if (addressBytes(t)) return 'ip';
  const lower = t.toLowerCase();
  if (HEX.test(lower) && HASH_LENGTHS[lower.length]) return HASH_LENGTHS[lower.length]!;
  return canonicalDomain(t) ? 'domain' : null;
}

/**
 * The canonical form of `text` as an indicator of `type` (inferred when absent). A network
 * of one address comes back as type `ip`; an address given as `cidr` too.
 */
export function normalizeIndicator(text: string, type?: IndicatorType): Normalized {
  if (typeof text !== 'string') return { ok: false, message: 'The value is not text' };
  const t = text.trim();
  if (t.length === 0) return { ok: false, message: 'The value is empty' };
  if (t.length > MAX_INDICATOR_LENGTH) return { ok: false, message: `The value is longer than ${MAX_INDICATOR_LENGTH} characters` };
  const wanted = type ?? inferType(t);
  if (wanted === null) return { ok: false, message: `'${t.slice(0, 80)}' is not an address, network, domain, URL or hash` };
  if (wanted !== 'url' && CONTROL.test(t)) return { ok: false, message: 'The value contains spaces or control characters' };
  switch (wanted) {
    case 'ip': {
      if (t.includes('/')) return normalizeNetwork(t);
      const ip = canonicalIp(t);
      return ip ? { ok: true, type: 'ip', value: ip } : { ok: false, message: `'${t.slice(0, 80)}' is not an IPv4 or IPv6 address` };
    }
    case 'cidr':
      if (!t.includes('/')) {
        const ip = canonicalIp(t);
        return ip ? { ok: true, type: 'ip', value: ip } : { ok: false, message: `'${t.slice(0, 80)}' is not a network` };
      }
      return normalizeNetwork(t);
    case 'domain': {
      const d = canonicalDomain(t);
      return d ? { ok: true, type: 'domain', value: d } : { ok: false, message: `'${t.slice(0, 80)}' is not a domain name` };
    }
    case 'url': {
      // A URL without a scheme ("evil.example/login") is read as http.
      const u = canonicalUrl(SCHEME.test(t) ? t : `http://${t}`);
      if (!u) return { ok: false, message: `'${t.slice(0, 80)}' is not a URL` };
      // Percent-encoding makes a URL longer (a non-ASCII character becomes up to 12 characters):
      // the stored form is bounded too, so it always fits the store's (list, type, value) index.
      if (u.length > MAX_INDICATOR_LENGTH) return { ok: false, message: `The URL is longer than ${MAX_INDICATOR_LENGTH} characters once encoded` };
      return { ok: true, type: 'url', value: u };
    }
    default:
      return normalizeHash(wanted, t);
  }
}
