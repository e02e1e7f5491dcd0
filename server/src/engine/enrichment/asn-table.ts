// Address → autonomous system, from range lists ("start,end,asn,organization" CSV, one
// inclusive range per line, sorted by start). Kept as typed arrays (a key is one 32-bit
// word for IPv4, four for IPv6) and searched by bisection: ~400k IPv4 ranges take a few
// MB and a lookup costs about twenty comparisons. Pure: takes text, never a path.
import { parseIp } from '../normalize/ip.ts';
import type { IpVersion, ParsedIp } from '../normalize/ip.ts';

export interface AsnInfo {
  number: number;
  organization: string | null;
}

export interface AsnTable {
  readonly version: IpVersion;
  readonly size: number;
  lookup(ip: ParsedIp): AsnInfo | null;
}

export interface AsnParseResult {
  table: AsnTable;
  /** Lines that could not be read (1-based), at most MAX_REPORTED_ERRORS of them. */
  badLines: number[];
}

const MAX_REPORTED_ERRORS = 20;

/** Reads one CSV of ranges. Unordered or overlapping input is tolerated (sorted here), bad lines are skipped and reported. */
export function parseAsnCsv(text: string, version: IpVersion): AsnParseResult {
  const words = version === 4 ? 1 : 4;
  // Plain arrays while reading (no object per row: the IPv4 list has ~400k lines).
  const startWords: number[] = [];
  const endWords: number[] = [];
  const asnList: number[] = [];
  const orgList: number[] = [];
  const orgs: string[] = [];
  const orgIndex = new Map<string, number>();
  const badLines: number[] = [];
  const scratch = new Uint32Array(words);
  let lineNo = 0;
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    lineNo++;
    const line = text.charCodeAt(to - 1) === 13 ? text.slice(from, to - 1) : text.slice(from, to);
    from = to + 1;
    if (line === '') continue;
    const row = readRow(line, version);
    if (!row) {
      if (badLines.length < MAX_REPORTED_ERRORS) badLines.push(lineNo);
      continue;
    }
    let org = orgIndex.get(row.org);
    if (org === undefined) {
      org = orgs.length;
      // A slice of a line can keep the whole file's text alive; a copy of the name does not.
      orgs.push(detach(row.org));
      orgIndex.set(row.org, org);
    }
    writeWords(row.start, scratch);
    for (const w of scratch) startWords.push(w);
    writeWords(row.end, scratch);
    for (const w of scratch) endWords.push(w);
    asnList.push(row.asn);
    orgList.push(org);
  }
  const size = asnList.length;
  // The shipped lists are sorted; sort an index anyway so a hand-made list works too.
  const order = Array.from({ length: size }, (_, i) => i);
  const rawStarts = Uint32Array.from(startWords);
  order.sort((a, b) => compareAt(rawStarts, a * words, rawStarts, b * words, words));
  const starts = new Uint32Array(size * words);
  const ends = new Uint32Array(size * words);
  const asns = new Uint32Array(size);
  const orgOf = new Uint32Array(size);
  order.forEach((src, i) => {
    for (let w = 0; w < words; w++) {
      starts[i * words + w] = rawStarts[src * words + w]!;
      ends[i * words + w] = endWords[src * words + w]!;
    }
    asns[i] = asnList[src]!;
    orgOf[i] = orgList[src]!;
  });
  const key = new Uint32Array(words);
  const table: AsnTable = {
    version,
    size,
    lookup(ip) {
      if (ip.version !== version) return null;
      writeWords(ip.bytes, key);
      // Last range whose start <= key, then check the key is not past its end.
      let lo = 0;
      let hi = size - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (compareWords(starts, mid * words, key, words) <= 0) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (found < 0 || compareWords(ends, found * words, key, words) < 0) return null;
      const org = orgs[orgOf[found]!]!;
      return { number: asns[found]!, organization: org === '' ? null : org };
    },
  };
  return { table, badLines };
}

function readRow(line: string, version: IpVersion): { start: Uint8Array; end: Uint8Array; asn: number; org: string } | null {
  const c1 = line.indexOf(',');
  const c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
  const c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
  if (c3 < 0) return null;
  const start = parseIp(line.slice(0, c1));
  const end = parseIp(line.slice(c1 + 1, c2));
  const asnText = line.slice(c2 + 1, c3);
  if (!start || !end || start.version !== version || end.version !== version || !/^\d{1,10}$/.test(asnText)) return null;
  const asn = Number(asnText);
  if (asn > 0xffffffff) return null;
  const org = unquote(line.slice(c3 + 1));
  if (org === null) return null;
  return { start: start.bytes, end: end.bytes, asn, org };
}

/** A copy of s that shares no storage with the text it was cut from. */
function detach(s: string): string {
  return s.length === 0 ? '' : JSON.parse(JSON.stringify(s)) as string;
}

/** A CSV field: bare, or in double quotes with "" standing for one quote. */
function unquote(field: string): string | null {
  if (!field.startsWith('"')) return field;
  if (field.length < 2 || !field.endsWith('"')) return null;
  return field.slice(1, -1).replaceAll('""', '"');
}

function writeWords(bytes: Uint8Array, out: Uint32Array): void {
  for (let w = 0; w < out.length; w++) {
    const i = w * 4;
    out[w] = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
  }
}

function compareWords(a: Uint32Array, offset: number, b: Uint32Array, words: number): number {
  return compareAt(a, offset, b, 0, words);
}

function compareAt(a: Uint32Array, ao: number, b: Uint32Array, bo: number, words: number): number {
  for (let w = 0; w < words; w++) {
    const x = a[ao + w]!;
    const y = b[bo + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
