// The scope of an address when enrichment did not record one: which special-purpose block
// (RFC 6890 and its IPv6 counterparts) holds it, `public` when none does. Pure, table-driven.
import type { IpScope } from '@siem/contracts';
import { ipInCidr, parseCidr, parseIp, type ParsedCidr } from '../normalize/ip.ts';

const BLOCKS: ReadonlyArray<readonly [IpScope, string]> = [
  ['loopback', '127.0.0.0/8'],
  ['loopback', '::1/128'],
  ['private', '10.0.0.0/8'],
  ['private', '172.16.0.0/12'],
  ['private', '192.168.0.0/16'],
  ['private', 'fc00::/7'],
  ['link_local', '169.254.0.0/16'],
  ['link_local', 'fe80::/10'],
  ['multicast', '224.0.0.0/4'],
  ['multicast', 'ff00::/8'],
  ['cgnat', '100.64.0.0/10'],
  ['documentation', '192.0.2.0/24'],
  ['documentation', '198.51.100.0/24'],
  ['documentation', '203.0.113.0/24'],
  ['documentation', '2001:db8::/32'],
  ['reserved', '0.0.0.0/8'],
  ['reserved', '192.0.0.0/24'],
  ['reserved', '198.18.0.0/15'],
  ['reserved', '240.0.0.0/4'],
  ['reserved', '::/128'],
];

const PARSED: ReadonlyArray<readonly [IpScope, ParsedCidr]> = BLOCKS.map(([scope, cidr]) => [scope, parseCidr(cidr)!] as const);

/** The address's scope; text that is no address counts as `reserved` (it has no place on the internet). */
export function ipScope(ip: string): IpScope {
  const parsed = parseIp(ip);
  if (!parsed) return 'reserved';
  for (const [scope, block] of PARSED) if (ipInCidr(parsed, block)) return scope;
  return 'public';
}
