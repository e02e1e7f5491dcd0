// The `cidr` operator. Networks are parsed once (normalize/ip.ts is the parser); per event,
// a plain dotted quad is read into a 32-bit number without allocating, and every other text
// (IPv6, IPv4-mapped IPv6) goes through parseIp/ipInCidr, so results equal ipInCidr's.
import { ipInCidr, parseIp, type ParsedCidr } from '../normalize/ip.ts';

/** Strict dotted quad (no leading zeros, 0-255) as an unsigned 32-bit value, else -1. */
export function ipv4Value(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let i = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(i) !== 46) return -1;
      i++;
    }
    const start = i;
    let part = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      part = part * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || part > 255 || (digits > 1 && s.charCodeAt(start) === 48)) return -1;
    value = value * 256 + part;
  }
  return i === n ? value : -1;
}

/** A predicate over address texts: inside `block`? Unparseable text is "not inside". */
export function cidrTest(block: ParsedCidr): (address: string) => boolean {
  if (block.version === 6) {
    // A plain IPv4 address never lies in an IPv6 block (ipInCidr's rule): no parse needed.
    return (address) => {
      if (ipv4Value(address) >= 0) return false;
      const ip = parseIp(address);
      return ip !== null && ipInCidr(ip, block);
    };
  }
  const b = block.bytes;
  const network = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  // 2^(32 - prefix) addresses per block: compare quotients, exact in doubles, no 32-bit shifts.
  const size = 2 ** (32 - block.prefix);
  const base = Math.floor(network / size);
  return (address) => {
    const v = ipv4Value(address);
    if (v >= 0) return Math.floor(v / size) === base;
    const ip = parseIp(address);
    return ip !== null && ipInCidr(ip, block);
  };
}
