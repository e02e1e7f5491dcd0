// Shared lists as rules see them: a kind and its items, resolved by name when a rule is
// compiled (a list change recompiles the rules that use it). Address lists hold addresses
// and networks; every other kind compares text case-insensitively.
import type { ListKind } from '@siem/contracts';
import { parseCidr } from '../normalize/ip.ts';
import { cidrTest, ipv4Value } from './cidr.ts';
import { mayFold } from './fold.ts';
import type { TextTest } from './patterns.ts';


export interface SharedList {
  name: string;
  kind: ListKind;
  items: readonly string[];
}

/** The list of that name, or null when there is none. */
export type ListResolver = (name: string) => SharedList | null;

export const NO_LISTS: ListResolver = () => null;

export function listResolver(lists: Iterable<SharedList>): ListResolver {
  const byName = new Map<string, SharedList>();
  for (const list of lists) byName.set(list.name, list);
  return (name) => byName.get(name) ?? null;
}

/** The membership test of one list on an event's text. */
export function listTest(list: SharedList): TextTest {
  if (list.kind === 'ip') return addressTest(list.items);
  const wanted = new Set(list.items.map((item) => item.toLowerCase()));
  return (text) => wanted.has(text) || (mayFold(text) && wanted.has(text.toLowerCase()));
}

/** Plain IPv4 addresses by Set (as numbers); networks and IPv6 addresses one by one. */
function addressTest(items: readonly string[]): TextTest {
  const v4 = new Set<number>();
  const networks: TextTest[] = [];
  for (const item of items) {
    const n = item.includes('/') ? -1 : ipv4Value(item);
    if (n >= 0) {
      v4.add(n);
      continue;
    }
    const block = parseCidr(item);
    if (block) networks.push(cidrTest(block));
  }
  return (text) => {
    const n = ipv4Value(text);
    if (n >= 0 && v4.has(n)) return true;
    for (let i = 0; i < networks.length; i++) if (networks[i]!(text)) return true;
    return false;
  };
}
