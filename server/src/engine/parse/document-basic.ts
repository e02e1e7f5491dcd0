// Interim document reader until the structured-format parsers land: a document's `message`
// is read as a line; anything else is a generic record. Replaced by the format registry.
import { parseLine } from './registry.ts';
import type { ParseOptions, ParseResult } from './types.ts';

export function parseDocument(doc: Record<string, unknown>, opts: ParseOptions & { hint?: string | null }): ParseResult {
  const message = typeof doc.message === 'string' ? doc.message : typeof doc.msg === 'string' ? doc.msg : '';
  const result = parseLine(message, opts);
  if (message === '') result.unparsed = true;
  const host = doc.host ?? doc.hostname;
  if (result.host === null && typeof host === 'string') result.host = host;
  return result;
}
