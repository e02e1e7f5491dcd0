// CSV feeds: either a header naming the columns (value, type, confidence, expiry, source, in
// any order, a few synonyms each) or one value per line with its type inferred. "#" lines
// are comments; fields may be quoted ("a,b" and "" for a quote). Problems are located by line.
import type { IndicatorType } from '@siem/contracts';
import { createCollector, readConfidence, readExpiry, typeFromName, type FeedLimits, type ParsedFeed } from '../feed.ts';

/** Longest line read; a longer one is a located problem (no indicator is that long). */
const MAX_LINE = 16_384;

const COLUMN_NAMES: Readonly<Record<string, 'value' | 'type' | 'confidence' | 'expiry' | 'source'>> = {
  value: 'value', indicator: 'value', ioc: 'value', observable: 'value',
  type: 'type', indicator_type: 'type', kind: 'type', ioc_type: 'type',
  confidence: 'confidence', score: 'confidence',
  expiry: 'expiry', expires: 'expiry', expires_at: 'expiry', valid_until: 'expiry', expiration: 'expiry',
  source: 'source', feed: 'source', provider: 'source',
};

/** Splits one line on commas, honouring double quotes. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(quoted ? cell : cell.trim());
  return cells;
}

type Columns = Partial<Record<'value' | 'type' | 'confidence' | 'expiry' | 'source', number>>;

function headerOf(cells: string[]): Columns | null {
  const cols: Columns = {};
  cells.forEach((cell, i) => {
    const name = COLUMN_NAMES[cell.toLowerCase()];
    if (name && cols[name] === undefined) cols[name] = i;
  });
  return cols.value === undefined ? null : cols;
}

export function parseCsv(text: string, limits: FeedLimits): ParsedFeed {
  const c = createCollector(limits);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let header: Columns | null | undefined;
  let start = 0;
  let lineNo = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    lineNo++;
    const raw = body.slice(start, end > start && body[end - 1] === '\r' ? end - 1 : end);
    start = end + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `line ${lineNo}`;
    if (line.length > MAX_LINE) {
      c.problem(where, `the line is longer than ${MAX_LINE} characters`);
      continue;
    }
    const cells = splitCsvLine(line);
    if (header === undefined) {
      header = headerOf(cells);
      if (header) continue;
    }
    if (c.full()) {
      c.feed.truncated++;
      continue;
    }
    if (!header) {
      c.add(where, cells[0]!, undefined);
      continue;
    }
    const at = (col: keyof Columns) => (header![col] === undefined ? undefined : cells[header![col]!]);
    let type: IndicatorType | undefined;
    const typeName = at('type');
    if (typeName !== undefined && typeName !== '') {
      const t = typeFromName(typeName);
      if (t === null) {
        c.problem(where, `unknown type '${typeName.slice(0, 40)}' (ip, cidr, domain, url, md5, sha1, sha256)`);
        continue;
      }
      type = t === 'infer' ? undefined : t;
    }
    const confidence = readConfidence(at('confidence'));
    if (confidence === null) {
      c.problem(where, `confidence '${String(at('confidence')).slice(0, 20)}' is not a number from 0 to 100`);
      continue;
    }
    const expiresMs = readExpiry(at('expiry'));
    if (expiresMs === null) {
      c.problem(where, `expiry '${String(at('expiry')).slice(0, 40)}' is not an ISO 8601 date or epoch seconds`);
      continue;
    }
    c.add(where, at('value') ?? '', type, { confidence, expiresMs, source: at('source') });
  }
  return c.feed;
}
