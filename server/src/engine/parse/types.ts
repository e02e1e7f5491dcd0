// The one shape every parser returns, and the bounds they all honour. A parse never fails:
// a line no parser knows comes back as a generic result with `unparsed` set.
import type { SourceType } from '@siem/contracts';

/** Extracted values under ECS-style dotted names (source.ip, user.name, process.name...). */
export type ParsedFields = Record<string, string | number>;

/** The syslog/record header format the line was read as. */
export type HeaderFormat = 'rfc3164' | 'rfc5424' | 'iso-syslog' | 'auditd' | 'json' | 'none';

export interface ParseResult {
  format: HeaderFormat;
  /** The message parser that recognized the message (sshd, pam, sudo...), null when none did. */
  parser: string | null;
  /** True when neither a header nor a message format was recognized. */
  unparsed: boolean;
  /** Event time in ms since the epoch; null when the line carries none. */
  timestampMs: number | null;
  host: string | null;
  program: string | null;
  pid: number | null;
  /** Syslog PRI split into facility (0-23) and severity (0-7); null without a PRI. */
  facility: number | null;
  syslogSeverity: number | null;
  /** RFC 5424 MSGID, null otherwise. */
  msgid: string | null;
  /** RFC 5424 structured data: SD-ID -> param name -> value (repeated names keep the last). */
  structuredData: Record<string, Record<string, string>> | null;
  /** The free text after the header (the whole line when there is no header). */
  message: string;
  source_type: SourceType;
  event_type: string | null;
  /** How many occurrences the line stands for ("message repeated 3 times", "3 incorrect password attempts"). */
  count: number;
  fields: ParsedFields;
  /** The line was longer than maxLineLength and was cut before parsing. */
  truncated: boolean;
  /** Lone surrogates or NUL characters were replaced with U+FFFD (decodeLine reports invalid UTF-8 bytes). */
  replacedCharacters: boolean;
}

export interface ParseOptions {
  /** Receipt time (ms): the year of RFC 3164 timestamps is inferred from it. */
  referenceMs: number;
  /** Zone for timestamps without one: an IANA name ("Europe/Paris") or "UTC" (default). */
  timeZone?: string;
  /** Fixed offset in minutes east of UTC; wins over timeZone when both are given. */
  offsetMinutes?: number;
  /** How far ahead of referenceMs an inferred 3164 time may lie before it is put a year back. */
  futureToleranceMs?: number;
  maxLineLength?: number;
  maxFields?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 65_536;
export const DEFAULT_MAX_FIELDS = 128;
export const DEFAULT_FUTURE_TOLERANCE_MS = 24 * 3600_000;

/** What a message parser returns; the registry adds the header and the bounds. */
export interface MessageParse {
  parser: string;
  source_type: SourceType;
  event_type: string | null;
  count?: number;
  fields: ParsedFields;
  /** Event time the message itself carries (auditd's msg=audit(epoch:serial)). */
  timestampMs?: number | null;
}

/** A message parser: null when the message is not one it knows. */
export type MessageParser = (message: string, program: string, maxFields: number) => MessageParse | null;
