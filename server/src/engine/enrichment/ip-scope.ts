// Where an address belongs: public, or one of the private and special-purpose ranges
// (IANA IPv4/IPv6 special-purpose registries). Only public addresses are looked up in the
// GeoIP database; the rest are tagged with their scope. Pure: a table compiled once.
import type { IpScope } from '@siem/contracts';
import { ipInCidr, parseCidr, parseIp } from '../normalize/ip.ts';
import type { ParsedCidr } from '../normalize/ip.ts';

/** Most specific block first: the first block holding the address gives its scope. */
const V4_TABLE: readonly [string, IpScope][] = [
  ['0.0.0.0/8', 'reserved'], // "this network"
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link_local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['233.252.0.0/24', 'documentation'], // MCAST-TEST-NET, inside multicast
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // future use, and 255.255.255.255 broadcast
];

const V6_TABLE: readonly [string, IpScope][] = [
  ['::/128', 'reserved'], // unspecified
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64
  ['100::/64', 'reserved'], // discard-only
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'reserved'], // IETF protocol assignments (Teredo, ORCHID, benchmarking...)
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'private'], // unique local addresses
  ['fe80::/10', 'link_local'],
  ['fec0::/10', 'reserved'], // deprecated site-local
  ['ff00::/8', 'multicast'],
];

/** Global unicast: an IPv6 address outside it that no row above names is unassigned space. */
const V6_GLOBAL_UNICAST = '2000::/3';

function compile(table: readonly [string, IpScope][]): { block: ParsedCidr; scope: IpScope }[] {
  return table.map(([text, scope]) => {
    const block = parseCidr(text);
    if (!block) throw new Error(`bad scope block ${text}`);
    return { block, scope };
  });
}
const V4_BLOCKS = compile(V4_TABLE);
const V6_BLOCKS = compile(V6_TABLE);
const GLOBAL_UNICAST = parseCidr(V6_GLOBAL_UNICAST)!;

export interface AddressScope {
  scope: IpScope;
  /**
   * The address to look up in a geo database: the text itself, or the IPv4 address an
   * IPv6 one carries (::ffff:a.b.c.d from dual-stack sockets, 64:ff9b::a.b.c.d from NAT64).
   */
  lookup: string;
}

/** The scope of an address text; null when the text is not an IPv4/IPv6 address. */
export function classifyAddress(text: string): AddressScope | null {
  const ip = parseIp(text);
  if (!ip) return null;
  if (ip.version === 6) {
    const v4 = embeddedIPv4(ip.bytes);
    if (v4) return classifyAddress(v4);
    for (const { block, scope } of V6_BLOCKS) if (ipInCidr(ip, block)) return { scope, lookup: text };
    return { scope: ipInCidr(ip, GLOBAL_UNICAST) ? 'public' : 'reserved', lookup: text };
  }
  for (const { block, scope } of V4_BLOCKS) if (ipInCidr(ip, block)) return { scope, lookup: text };
  return { scope: 'public', lookup: text };
}

/** The scope alone; null for a text that is not an address. */
export function ipScope(text: string): IpScope | null {
  return classifyAddress(text)?.scope ?? null;
}

/** The dotted IPv4 address in ::ffff:0:0/96 or 64:ff9b::/96, else null. */
function embeddedIPv4(b: Uint8Array): string | null {
  let prefixed = true;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) prefixed = false;
  const mapped = prefixed && b[10] === 0xff && b[11] === 0xff;
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.subarray(4, 12).every((x) => x === 0);
  if (!mapped && !nat64) return null;
  return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
}
