// The shape of a document parser (one per format: Suricata EVE, Zeek, Windows, ECS...) and
// the result builder they share, so every document result has the same defaults.
import type { SourceType } from '@siem/contracts';
import type { ZoneSpec } from '../syslog-time.ts';
import type { ParsedFields, ParseOptions, ParseResult } from '../types.ts';
import type { Doc } from './read.ts';

export interface DocContext {
  opts: ParseOptions;
  zone: ZoneSpec;
  maxFields: number;
  /** The caller's hint, lower-cased, split into words ("zeek.dns" -> ["zeek", "dns"]). */
  hintWords: readonly string[];
}

export interface DocParser {
  name: string;
  /** Hint words that make the registry try this parser first. */
  hints: readonly string[];
  /** Whether the document has this format's shape. */
  detect(doc: Doc, ctx: DocContext): boolean;
  /** The parse; null hands the document to the next parser. */
  parse(doc: Doc, ctx: DocContext): ParseResult | null;
}

export interface DocFacts {
  parser: string;
  source_type: SourceType;
  event_type: string | null;
  fields: ParsedFields;
  timestampMs: number | null;
  host: string | null;
  message: string;
  program?: string | null;
  pid?: number | null;
  count?: number;
}

export function docResult(facts: DocFacts): ParseResult {
  return {
    format: 'json',
    parser: facts.parser,
    unparsed: false,
    timestampMs: facts.timestampMs,
    host: facts.host,
    program: facts.program ?? null,
    pid: facts.pid ?? null,
    facility: null,
    syslogSeverity: null,
    msgid: null,
    structuredData: null,
    message: facts.message,
    source_type: facts.source_type,
    event_type: facts.event_type,
    count: facts.count ?? 1,
    fields: facts.fields,
    truncated: false,
    replacedCharacters: false,
  };
}
