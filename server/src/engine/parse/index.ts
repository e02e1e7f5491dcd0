// Public face of the parse stage: the registry entry points, the result shape and the
// helpers other stages reuse (process names from paths, zone checks, byte decoding).
export { decodeLine, KNOWN_PROGRAMS, MESSAGE_PARSERS, parseLine, parseRecord, type PreSplitRecord } from './registry.ts';
export { toIngestFields } from './columns.ts';
export { DOCUMENT_FORMATS, parseDocument, type DocumentOptions } from './docs/document.ts';
export { dnsNameStats, type DnsNameStats } from './dns-stats.ts';
export { executableOfCommandLine, processNameFromPath } from './process-name.ts';
export { isValidTimeZone } from './syslog-time.ts';
export {
  DEFAULT_MAX_FIELDS,
  DEFAULT_MAX_LINE_LENGTH,
  type HeaderFormat,
  type ParsedFields,
  type ParseOptions,
  type ParseResult,
} from './types.ts';
export { storableText } from './storable.ts';
