// The in-memory indicator index the ingest path consults: one hash map per exact type
// (address, domain, URL, each hash), and for networks one map per prefix length of the
// masked network, so an address costs one lookup per prefix length in use (at most 33 for
// IPv4, 129 for IPv6), never a scan. Entries live in parallel arrays (not one object each)
// so a million indicators stay compact; a value in several lists chains its entries.
import type { IndicatorType, ThreatMatch } from '@siem/contracts';
import { addressBytes, maskBytes } from './normalize.ts';

export interface IndexList {
  id: string;
  name: string;
}

export interface IndexEntry {
  listIndex: number;
  type: IndicatorType;
  value: string;
  source: string | null;
  confidence: number;
  /** Epoch ms; Infinity when it never expires. */
  expiresMs: number;
}

/** What to look up: an event value already in canonical form, and the field it came from. */
export interface Candidate {
  kind: 'ip' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';
  value: string;
  field: string;
}

const TYPE_CODES: readonly IndicatorType[] = ['ip', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'];
const CODE_OF = new Map(TYPE_CODES.map((t, i) => [t, i]));
/** Parent domains tried per name: a.b.c.d.evil.example walks at most this many labels up. */
export const MAX_DOMAIN_WALK = 10;

const hexOf = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
};
/** Key of an IPv6 network: the masked address's hex digits up to the prefix. */
const v6Key = (hex: string, prefix: number): string => hex.slice(0, Math.ceil(prefix / 4));

export class IndicatorIndex {
  readonly lists: IndexList[];
  private readonly listOf: number[] = [];
  private readonly typeOf: number[] = [];
  private readonly valueOf: string[] = [];
  private readonly sourceOf: (string | null)[] = [];
  private readonly confidenceOf: number[] = [];
  private readonly expiresOf: number[] = [];
  /** Next entry with the same key, -1 at the end of the chain. */
  private readonly next: number[] = [];
  private readonly exactMaps: Map<string, number>[] = TYPE_CODES.map(() => new Map());
  private readonly v4Nets = new Map<number, Map<number, number>>();
  private readonly v6Nets = new Map<number, Map<string, number>>();
  private v4Prefixes: number[] = [];
  private v6Prefixes: number[] = [];
  private readonly sources = new Map<string, string>();

  constructor(lists: IndexList[]) {
    this.lists = lists;
  }

  get size(): number {
    return this.listOf.length;
  }

  private chain<K>(map: Map<K, number>, key: K, entry: number): void {
    const head = map.get(key);
    this.next[entry] = head ?? -1;
    map.set(key, entry);
  }

  /** The position of a list in `lists`, -1 when the index does not hold it. */
  listIndexOf(id: string): number {
    return this.lists.findIndex((l) => l.id === id);
  }

  /**
   * Stops one list's indicator from matching (a single removal or replacement, applied
   * without a rebuild): its entries are marked expired at the beginning of time. Returns
   * how many entries were marked. Networks are not looked up here (the caller rebuilds).
   */
  retire(listIndex: number, type: Exclude<IndicatorType, 'cidr'>, value: string): number {
    let n = 0;
    for (let i = this.exactMaps[CODE_OF.get(type)!]!.get(value) ?? -1; i >= 0; i = this.next[i]!) {
      if (this.listOf[i] === listIndex && this.expiresOf[i] !== Number.NEGATIVE_INFINITY) {
        this.expiresOf[i] = Number.NEGATIVE_INFINITY;
        n++;
      }
    }
    return n;
  }

  /** Adds one indicator (canonical value, see normalize.ts). False when a network does not parse. */
  add(e: IndexEntry): boolean {
    const entry = this.listOf.length;
    const code = CODE_OF.get(e.type)!;
    if (e.type === 'cidr') {
      const slash = e.value.lastIndexOf('/');
      const ip = addressBytes(e.value.slice(0, slash));
      const prefix = Number(e.value.slice(slash + 1));
      if (!ip || !Number.isInteger(prefix)) return false;
      if (ip.version === 4) {
        const b = maskBytes(ip.bytes, prefix);
        const net = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
        let m = this.v4Nets.get(prefix);
        if (!m) {
          this.v4Nets.set(prefix, (m = new Map()));
          this.v4Prefixes = [...this.v4Nets.keys()].sort((a, z) => z - a);
        }
        this.chain(m, net, entry);
      } else {
        let m = this.v6Nets.get(prefix);
        if (!m) {
          this.v6Nets.set(prefix, (m = new Map()));
          this.v6Prefixes = [...this.v6Nets.keys()].sort((a, z) => z - a);
        }
        this.chain(m, v6Key(hexOf(maskBytes(ip.bytes, prefix)), prefix), entry);
      }
    } else {
      this.chain(this.exactMaps[code]!, e.value, entry);
    }
    this.listOf.push(e.listIndex);
    this.typeOf.push(code);
    this.valueOf.push(e.value);
    // One copy of each source text, however many indicators name it.
    let source = e.source;
    if (source !== null) {
      const known = this.sources.get(source);
      if (known === undefined) this.sources.set(source, source);
      else source = known;
    }
    this.sourceOf.push(source);
    this.confidenceOf.push(e.confidence);
    this.expiresOf.push(e.expiresMs);
    return true;
  }

  private collect(head: number | undefined, field: string, nowMs: number, out: ThreatMatch[], seen: Set<string>, max: number): void {
    for (let i = head ?? -1; i >= 0 && out.length < max; i = this.next[i]!) {
      if (this.expiresOf[i]! <= nowMs) continue;
      const list = this.lists[this.listOf[i]!]!;
      const key = `${list.id}\u0000${this.valueOf[i]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        list_id: list.id,
        list_name: list.name,
        indicator: this.valueOf[i]!,
        type: TYPE_CODES[this.typeOf[i]!]!,
        field,
        source: this.sourceOf[i] ?? null,
        confidence: this.confidenceOf[i]!,
      });
    }
  }

  private matchIp(value: string, field: string, nowMs: number, out: ThreatMatch[], seen: Set<string>, max: number): void {
    this.collect(this.exactMaps[0]!.get(value), field, nowMs, out, seen, max);
    if (this.v4Prefixes.length === 0 && this.v6Prefixes.length === 0) return;
    const ip = addressBytes(value);
    if (!ip) return;
    if (ip.version === 4) {
      const b = ip.bytes;
      const v = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
      for (const p of this.v4Prefixes) {
        const size = 2 ** (32 - p);
        this.collect(this.v4Nets.get(p)!.get(Math.floor(v / size) * size), field, nowMs, out, seen, max);
      }
      return;
    }
    if (this.v6Prefixes.length === 0) return;
    const hex = hexOf(ip.bytes);
    for (const p of this.v6Prefixes) {
      const key = p % 4 === 0 ? v6Key(hex, p) : v6Key(hexOf(maskBytes(ip.bytes, p)), p);
      this.collect(this.v6Nets.get(p)!.get(key), field, nowMs, out, seen, max);
    }
  }

  /** The indicators the candidates hit, not expired at nowMs, one per (list, indicator), at most `max`. */
  match(candidates: readonly Candidate[], nowMs: number, max: number): ThreatMatch[] {
    const out: ThreatMatch[] = [];
    if (this.listOf.length === 0) return out;
    const seen = new Set<string>();
    for (const c of candidates) {
      if (out.length >= max) break;
      switch (c.kind) {
        case 'ip':
          this.matchIp(c.value, c.field, nowMs, out, seen, max);
          break;
        case 'domain': {
          const map = this.exactMaps[2]!;
          if (map.size === 0) break;
          // evil.example matches a.b.evil.example: the name, then each parent (bounded).
          let name = c.value;
          for (let step = 0; step <= MAX_DOMAIN_WALK; step++) {
            this.collect(map.get(name), c.field, nowMs, out, seen, max);
            const dot = name.indexOf('.');
            if (dot < 0 || name.indexOf('.', dot + 1) < 0) break;
            name = name.slice(dot + 1);
          }
          break;
        }
        default:
          this.collect(this.exactMaps[CODE_OF.get(c.kind)!]!.get(c.value), c.field, nowMs, out, seen, max);
      }
    }
    return out;
  }
}
