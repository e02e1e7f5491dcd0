// The document parser registry: a JSON object goes to the first parser whose shape it has
// (a hint naming a format puts that parser first), ending with the generic parser, which
// takes anything. Pure, bounded, never throws: a parser that fails falls to the next.
import { addDnsStats } from '../dns-stats.ts';
import { isValidTimeZone } from '../syslog-time.ts';
import { DEFAULT_MAX_FIELDS, type ParseOptions, type ParseResult } from '../types.ts';
import { ecsParser } from './ecs.ts';
import { genericParser } from './generic.ts';
import { isObject, type Doc } from './read.ts';
import { suricataParser } from './suricata.ts';
import type { DocContext, DocParser } from './types.ts';
import { nxlogParser, winlogbeatParser } from './winlog.ts';
import { zeekParser } from './zeek.ts';

/** In detection order: the specific shapes first, ECS before the catch-all. */
export const DOCUMENT_PARSERS: readonly DocParser[] = [suricataParser, zeekParser, winlogbeatParser, nxlogParser, ecsParser, genericParser];

/** Format names a hint may give, for documentation and the Sources view. */
export const DOCUMENT_FORMATS: readonly string[] = DOCUMENT_PARSERS.map((p) => p.name);

const MAX_HINT = 64;

export interface DocumentOptions extends ParseOptions {
  /** What the sender says the document is: "suricata", "zeek", "zeek.dns", "winlogbeat", "nxlog", "ecs"... */
  hint?: string | null;
}

/** Recognizes a JSON document's format and extracts its fields. */
export function parseDocument(doc: Record<string, unknown>, opts: DocumentOptions): ParseResult {
  const maxFields = opts.maxFields ?? DEFAULT_MAX_FIELDS;
  const ctx: DocContext = {
    opts,
    zone: zoneOf(opts),
    maxFields,
    hintWords: hintWords(opts.hint),
  };
  const input: Doc = isObject(doc) ? doc : { message: typeof doc === 'string' ? doc : '' };
  let result: ParseResult | null = null;
  for (const parser of ordered(ctx.hintWords)) {
    try {
      if (!parser.detect(input, ctx)) continue;
      result = parser.parse(input, ctx);
    } catch {
      // A shape no parser foresaw (a getter-free JSON value cannot throw, but a caller may
      // hand in any object): the next parser, ending with the generic one, takes it.
      result = null;
    }
    if (result !== null) break;
  }
  result ??= fallback(input, ctx);
  if (result.event_type === 'dns_query') addDnsStats(result.fields);
  capFields(result, maxFields);
  return result;
}

function ordered(words: readonly string[]): readonly DocParser[] {
  if (words.length === 0) return DOCUMENT_PARSERS;
  const first = DOCUMENT_PARSERS.filter((p) => p.hints.some((h) => words.includes(h)));
  if (first.length === 0) return DOCUMENT_PARSERS;
  return [...first, ...DOCUMENT_PARSERS.filter((p) => !first.includes(p))];
}

/** "Zeek.DNS" -> ["zeek", "dns"]; "suricata-eve" -> ["suricata", "eve"]. */
function hintWords(hint: string | null | undefined): string[] {
  if (typeof hint !== 'string' || hint === '') return [];
  return hint.slice(0, MAX_HINT).toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w !== '');
}

function zoneOf(opts: ParseOptions): DocContext['zone'] {
  if (opts.offsetMinutes !== undefined) return { offsetMinutes: opts.offsetMinutes };
  // parseLine refuses an unknown zone loudly; a document's zone-less times fall back to UTC.
  const zone = opts.timeZone;
  if (zone === undefined) return {};
  let valid = validZones.get(zone);
  if (valid === undefined) {
    valid = isValidTimeZone(zone);
    if (validZones.size < 64) validZones.set(zone, valid);
  }
  return valid ? { timeZone: zone } : {};
}
const validZones = new Map<string, boolean>();

function fallback(doc: Doc, ctx: DocContext): ParseResult {
  try {
    const result = genericParser.parse(doc, ctx);
    if (result !== null) return result;
  } catch {
    // fall through to the bare result
  }
  return {
    format: 'json', parser: null, unparsed: false, timestampMs: null, host: null, program: null, pid: null,
    facility: null, syslogSeverity: null, msgid: null, structuredData: null, message: '', source_type: 'generic',
    event_type: null, count: 1, fields: {}, truncated: false, replacedCharacters: false,
  };
}

function capFields(result: ParseResult, maxFields: number): void {
  const keys = Object.keys(result.fields);
  if (keys.length <= maxFields) return;
  const out: ParseResult['fields'] = {};
  for (let i = 0; i < maxFields; i++) out[keys[i]!] = result.fields[keys[i]!]!;
  result.fields = out;
}
