// IPv4/IPv6 address and CIDR parsing for ingest validation and rule filters.
// Hand-written scanners over char codes: strict textual forms only (no zone ids, no
// leading-zero octets, no whitespace), so what we accept is what every consumer accepts.

export type IpVersion = 4 | 6;
export interface ParsedIp {
  version: IpVersion;
  bytes: Uint8Array;
}
export interface ParsedCidr extends ParsedIp {
  prefix: number;
}

const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_COLON = 58;

// Longest legal texts: "255.255.255.255" and "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".
// Checking the length first keeps every scan short, whatever the input size.
const MAX_V4_LENGTH = 15;
const MAX_V6_LENGTH = 45;

function hexValue(code: number): number {
  if (code >= CH_0 && code <= CH_9) return code - CH_0;
  const lower = code | 0x20; // folds A-F onto a-f, leaves digits and ':' out of range
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Reads dotted-quad s[from, to) into out[offset..offset+4) when out is given.
 * Octets are 1-3 digits, at most 255, and "0" is the only one allowed to start with 0:
 * "01.2.3.4" is octal to some parsers and decimal to others, so we refuse to guess.
 */
function readIPv4(s: string, from: number, to: number, out: Uint8Array | null, offset: number): boolean {
  if (to - from > MAX_V4_LENGTH || to - from < 7) return false;
  let i = from;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= to || s.charCodeAt(i) !== CH_DOT) return false;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c < CH_0 || c > CH_9) break;
      value = value * 10 + (c - CH_0);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || value > 255) return false;
    if (digits > 1 && s.charCodeAt(start) === CH_0) return false;
    if (out) out[offset + octet] = value;
  }
  return i === to;
}

// Scratch space for IPv6 groups; the engine is single-threaded per isolate, and the
// scanner never yields, so sharing it avoids one allocation per validated address.
const scratchGroups = new Uint16Array(8);
const scratchTail = new Uint8Array(4);

/**
 * Reads an RFC 4291 text address: 1-4 hex digits per group, at most one "::", an
 * optional dotted-quad tail in the last 32 bits. A "%zone" suffix is rejected: zones are
 * link-local to the sender's host and meaningless once stored.
 */
function readIPv6(s: string, out: Uint8Array | null): boolean {
  const n = s.length;
  if (n < 2 || n > MAX_V6_LENGTH) return false;
  const groups = scratchGroups;
  let count = 0; // 16-bit groups written so far (a v4 tail counts as two)
  let gap = -1; // group index where "::" stands
  let i = 0;
  if (s.charCodeAt(0) === CH_COLON) {
    if (s.charCodeAt(1) !== CH_COLON) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    if (count >= 8) return false;
    const start = i;
    let value = 0;
    while (i < n && i - start < 5) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      value = (value << 4) | h;
      i++;
    }
    if (i < n && s.charCodeAt(i) === CH_DOT) {
      // A dotted-quad tail ends the address and takes the last two groups.
      const b = scratchTail;
      if (count > 6 || !readIPv4(s, start, n, b, 0)) return false;
      groups[count++] = (b[0]! << 8) | b[1]!;
      groups[count++] = (b[2]! << 8) | b[3]!;
      i = n;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    groups[count++] = value;
    if (i === n) break;
    if (s.charCodeAt(i) !== CH_COLON) return false;
    i++;
    if (i < n && s.charCodeAt(i) === CH_COLON) {
      if (gap >= 0) return false; // a second "::" makes the layout ambiguous
      gap = count;
      i++;
    } else if (i === n) {
      return false; // a lone trailing ':'
    }
  }
  // "::" stands for at least one zero group, so it cannot sit beside eight explicit ones.
  if (gap < 0 ? count !== 8 : count > 7) return false;
  if (out) {
    out.fill(0);
    const tail = gap < 0 ? 0 : count - gap;
    const head = count - tail;
    for (let g = 0; g < head; g++) writeGroup(out, g, groups[g]!);
    for (let g = 0; g < tail; g++) writeGroup(out, 8 - tail + g, groups[head + g]!);
  }
  return true;
}

function writeGroup(out: Uint8Array, index: number, value: number): void {
  out[index * 2] = value >> 8;
  out[index * 2 + 1] = value & 0xff;
}

export function isIPv4(s: string): boolean {
  return typeof s === 'string' && readIPv4(s, 0, s.length, null, 0);
}

export function isIPv6(s: string): boolean {
  return typeof s === 'string' && readIPv6(s, null);
}

export function isIp(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

export function parseIp(s: string): ParsedIp | null {
  if (typeof s !== 'string') return null;
  const v4 = new Uint8Array(4);
  if (readIPv4(s, 0, s.length, v4, 0)) return { version: 4, bytes: v4 };
  const v6 = new Uint8Array(16);
  if (readIPv6(s, v6)) return { version: 6, bytes: v6 };
  return null;
}

/**
 * "10.0.0.0/8", "2001:db8::/32". Host bits below the prefix are allowed and ignored
 * (matching masks them), and a bare address means a single-host block (/32 or /128),
 * so rule authors can list hosts and networks side by side.
 */
export function parseCidr(s: string): ParsedCidr | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  const ip = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!ip) return null;
  const maxPrefix = ip.version === 4 ? 32 : 128;
  if (slash < 0) return { ...ip, prefix: maxPrefix };
  const prefix = readPrefix(s, slash + 1);
  if (prefix < 0 || prefix > maxPrefix) return null;
  return { ...ip, prefix };
}

function readPrefix(s: string, from: number): number {
  const digits = s.length - from;
  if (digits < 1 || digits > 3) return -1;
  if (digits > 1 && s.charCodeAt(from) === CH_0) return -1;
  let value = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < CH_0 || c > CH_9) return -1;
    value = value * 10 + (c - CH_0);
  }
  return value;
}

/** True for ::ffff:a.b.c.d, which dual-stack sockets report for IPv4 peers. */
function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * Whether ip lies in cidr; unparseable input is simply "not in". An IPv4-mapped IPv6
 * address matches IPv4 blocks (it is an IPv4 peer), but a plain IPv4 address never
 * matches an IPv6 block, so "::/0" keeps meaning "any IPv6 address".
 * Pass pre-parsed values on hot paths (rules parse their blocks once, at compile time).
 */
export function ipInCidr(ip: string | ParsedIp, cidr: string | ParsedCidr): boolean {
  const addr = typeof ip === 'string' ? parseIp(ip) : ip;
  const block = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  if (!addr || !block) return false;
  let bytes = addr.bytes;
  if (addr.version !== block.version) {
    if (addr.version !== 6 || !isV4Mapped(addr.bytes)) return false;
    bytes = addr.bytes.subarray(12);
  }
  return prefixEqual(bytes, block.bytes, block.prefix);
}

function prefixEqual(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  const whole = prefix >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole]! & mask) === (b[whole]! & mask);
}
