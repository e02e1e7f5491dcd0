// The parser registry: a line's header (syslog RFC 3164/5424, RFC 3339 files, auditd) is read
// first, then its message goes to the parser registered for its program. Anything not
// recognized comes back as a generic result flagged unparsed; parsing never throws on input.
import { parseAccount } from './accounts.ts';
import { auditStart, parseAuditd } from './auditd.ts';
import { cefStart, parseCef } from './cef.ts';
import { parseCron } from './cron.ts';
import { addDnsStats } from './dns-stats.ts';
import { parseDocument } from './docs/document.ts';
import { leefStart, parseLeef } from './leef.ts';
import { parseDovecot, parsePostfix } from './mail.ts';
import { netfilterStart, parseNetfilter } from './netfilter.ts';
import { parsePam } from './pam.ts';
import { readUint } from './scan.ts';
import { parseSshd } from './sshd.ts';
import { storableText } from './storable.ts';
import { parseSu, parseSudo } from './sudo-su.ts';
import { parseSyslogHeader, type HeaderContext, type SyslogHeader } from './syslog-header.ts';
import { isValidTimeZone } from './syslog-time.ts';
import { parseWebAccess } from './web-access.ts';
import { parseApacheError, parseNginxError, parseWebMessage } from './web-error.ts';
import {
  DEFAULT_FUTURE_TOLERANCE_MS,
  DEFAULT_MAX_FIELDS,
  DEFAULT_MAX_LINE_LENGTH,
  type MessageParse,
  type MessageParser,
  type ParseOptions,
  type ParseResult,
} from './types.ts';

/** Message parsers by program name (lower-cased, before any "/": postfix/smtpd -> postfix). */
export const MESSAGE_PARSERS: ReadonlyMap<string, MessageParser> = new Map<string, MessageParser>([
  ['sshd', parseSshd],
  ['sshd-session', parseSshd],
  ['sudo', parseSudo],
  ['su', parseSu],
  ...['useradd', 'usermod', 'userdel', 'groupadd', 'groupmod', 'groupdel', 'gpasswd', 'passwd', 'chpasswd', 'chage'].map(
    (name) => [name, parseAccount] as [string, MessageParser],
  ),
  ['cron', parseCron],
  ['crond', parseCron],
  ['kernel', parseKernel],
  ['postfix', parsePostfix],
  ['dovecot', parseDovecot],
  ['imap-login', parseDovecot],
  ['pop3-login', parseDovecot],
  ['audit', parseAuditd],
  ['auditd', parseAuditd],
  ['audisp', parseAuditd],
  ['audispd', parseAuditd],
  ['audisp-syslog', parseAuditd],
  ...['nginx', 'httpd', 'apache2', 'apache'].map((name) => [name, parseWeb] as [string, MessageParser]),
]);

function parseWeb(message: string): MessageParse | null {
  return parseWebMessage(message);
}

/** Program names the registry knows, for documentation and the Sources view. */
export const KNOWN_PROGRAMS: readonly string[] = [...MESSAGE_PARSERS.keys()];

/** Kernel messages: netfilter LOG lines and "audit: type=..." records. */
function parseKernel(message: string, program: string, maxFields: number): MessageParse | null {
  if (auditStart(message) >= 0) return parseAuditd(message, program, maxFields);
  return parseNetfilter(message, program, maxFields);
}

/** A record whose header a shipper already split (Beats, HEC, rsyslog JSON templates). */
export interface PreSplitRecord {
  message: string;
  program?: string | null;
  host?: string | null;
  pid?: number | null;
  timestampMs?: number | null;
}

const REPEATED = 'message repeated ';
const MAX_REPEAT = 1_000_000;
const validZones = new Map<string, boolean>();

/** Parses one line of text; `opts.referenceMs` is the receipt time. */
export function parseLine(text: string, opts: ParseOptions): ParseResult {
  const maxLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const maxFields = opts.maxFields ?? DEFAULT_MAX_FIELDS;
  const { line, truncated, replaced } = cleanLine(text, maxLength);
  const ctx = context(opts, maxFields);

  if (auditStart(line) >= 0 && !line.startsWith('audit: ')) {
    const audit = parseAuditd(line, 'auditd', maxFields);
    if (audit) return build(headerless(line, 'auditd'), audit, truncated, replaced, maxFields);
  }
  const first = line.charCodeAt(0);
  if (first === 123 && jsonDepth < MAX_JSON_DEPTH) {
    const doc = parseJsonObject(line);
    if (doc !== null) {
      jsonDepth++;
      try {
        const result = parseDocument(doc, opts);
        result.truncated = truncated;
        result.replacedCharacters = replaced;
        return result;
      } finally {
        jsonDepth--;
      }
    }
  }
  const header = parseSyslogHeader(line, ctx);
  if (header) {
    // "<134>Mar 15 10:00:00 CEF:0|Vendor|..." has no host: the reader took the record's start for one.
    if (header.host !== null && (header.host.startsWith('CEF:') || header.host.startsWith('LEEF:'))) {
      header.message = header.program === null ? `${header.host} ${header.message}` : line.slice(line.indexOf(header.host));
      header.host = null;
      header.program = null;
      header.pid = null;
    }
    const parsed = dispatch(header.message, header.program, maxFields);
    // NXLog (to_json over syslog), apps logging JSON: a JSON message no program parser took is a document.
    if (parsed === null && header.message.charCodeAt(0) === 123 && jsonDepth < MAX_JSON_DEPTH) {
      const doc = parseJsonObject(header.message);
      if (doc !== null) return documentInSyslog(header, doc, opts, truncated, replaced);
    }
    return build(header, parsed, truncated, replaced, maxFields);
  }
  const tagged = knownTag(line);
  if (tagged) {
    // "sshd[4242]: Failed password ..." (HEC linux_secure, journal exports): a known program's tag without time or host.
    const header: SyslogHeader = { ...headerless(tagged.message, 'none'), program: tagged.program, pid: tagged.pid };
    const parsed = dispatch(tagged.message, tagged.program, maxFields);
    if (parsed) return build(header, parsed, truncated, replaced, maxFields);
  }
  return build(headerless(line, 'none'), headerlessParse(line, first, ctx, maxFields), truncated, replaced, maxFields);
}

/** Longest program tag read without a header (syslog's TAG is at most 32 characters; paths like postfix/smtpd allowed). */
const MAX_TAG = 48;

/**
 * `program[pid]: message` or `program: message` at the start of a line, for a program the
 * registry knows (an unknown word before a colon is more often prose: "Error: ...").
 */
function knownTag(line: string): { program: string; pid: number | null; message: string } | null {
  let i = 0;
  const end = Math.min(line.length, MAX_TAG);
  while (i < end) {
    const c = line.charCodeAt(i);
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46 || c === 47;
    if (!word) break;
    i++;
  }
  if (i === 0) return null;
  const program = line.slice(0, i);
  let pid: number | null = null;
  let at = i;
  if (line.charCodeAt(at) === 91) {
    const close = line.indexOf(']', at);
    if (close < 0 || close - at > 11) return null;
    const n = readUint(line, at + 1, close);
    if (n < 0) return null;
    pid = n;
    at = close + 1;
  }
  if (line.charCodeAt(at) !== 58 || line.charCodeAt(at + 1) !== 32) return null;
  const slash = program.indexOf('/');
  if (!MESSAGE_PARSERS.has((slash < 0 ? program : program.slice(0, slash)).toLowerCase())) return null;
  return { program, pid, message: line.slice(at + 2) };
}

// A JSON line inside a document's message is parsed once more; deeper nesting stays text.
const MAX_JSON_DEPTH = 2;
let jsonDepth = 0;

/** The document's parse under the syslog header: the header's host, program, pid and time fill the gaps. */
function documentInSyslog(header: SyslogHeader, doc: Record<string, unknown>, opts: ParseOptions, truncated: boolean, replaced: boolean): ParseResult {
  jsonDepth++;
  try {
    const result = parseDocument(doc, opts);
    result.format = header.format;
    // The header was read: like any syslog line, the record is not unparsed (parser null says no format knew it).
    result.unparsed = false;
    result.host ??= header.host;
    result.program ??= header.program;
    result.pid ??= header.pid;
    result.timestampMs ??= header.timestampMs;
    result.facility = header.facility;
    result.syslogSeverity = header.severity;
    result.msgid = header.msgid;
    result.structuredData = header.structuredData;
    result.truncated = truncated;
    result.replacedCharacters = replaced;
    return result;
  } finally {
    jsonDepth--;
  }
}

/** A line holding one JSON object -> the object; null for anything else (arrays, bad JSON). */
function parseJsonObject(line: string): Record<string, unknown> | null {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  if (line.charCodeAt(end - 1) !== 125) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Lines without a syslog header: CEF, LEEF, web server logs, dmesg/journal netfilter lines. */
function headerlessParse(line: string, first: number, ctx: HeaderContext, maxFields: number): MessageParse | null {
  if (first === 67 && line.startsWith('CEF:')) return parseCef(line, '', maxFields);
  if (first === 76 && line.startsWith('LEEF:')) return parseLeef(line, '', maxFields);
  if (first === 91) {
    const apache = parseApacheError(line, ctx);
    if (apache) return apache;
  }
  if (first >= 48 && first <= 57 && line.charCodeAt(4) === 47) {
    const nginx = parseNginxError(line, ctx);
    if (nginx) return nginx;
  }
  const access = parseWebAccess(line);
  if (access) return access;
  return netfilterStart(line) >= 0 ? parseNetfilter(line, 'kernel', maxFields) : null;
}

/**
 * Parses a record a shipper already split: with a program name the message parser is chosen
 * from it; without one, the message is parsed as a line and the given values fill the gaps.
 */
export function parseRecord(record: PreSplitRecord, opts: ParseOptions): ParseResult {
  if (!record.program) {
    const result = parseLine(record.message, opts);
    result.host ??= record.host ?? null;
    result.pid ??= record.pid ?? null;
    result.timestampMs ??= record.timestampMs ?? null;
    return result;
  }
  const maxFields = opts.maxFields ?? DEFAULT_MAX_FIELDS;
  const { line, truncated, replaced } = cleanLine(record.message, opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  const header: SyslogHeader = {
    ...headerless(line, 'none'),
    host: record.host ?? null,
    program: record.program,
    pid: record.pid ?? null,
    timestampMs: record.timestampMs ?? null,
  };
  const result = build(header, dispatch(line, record.program, maxFields), truncated, replaced, maxFields);
  // The shipper's split is structure, like a syslog header: only `parser: null` tells that
  // no message parser knew the text.
  result.unparsed = false;
  return result;
}

/** The message parse for a program: "message repeated" unwrapped, PAM tried first for any program. */
function dispatch(message: string, program: string | null, maxFields: number): MessageParse | null {
  let text = message;
  let repeat = 1;
  if (text.startsWith(REPEATED)) {
    const space = text.indexOf(' ', REPEATED.length);
    const n = readUint(text, REPEATED.length, space);
    if (n >= 1 && text.startsWith(' times: [', space)) {
      repeat = Math.min(n, MAX_REPEAT);
      text = text.slice(space + 9, text.endsWith(']') ? -1 : undefined).trim();
    }
  }
  const parsed = dispatchOne(text, program, maxFields);
  if (parsed && repeat > 1) parsed.count = (parsed.count ?? 1) * repeat;
  return parsed;
}

function dispatchOne(message: string, program: string | null, maxFields: number): MessageParse | null {
  const first = message.charCodeAt(0);
  // CEF and LEEF come from appliances under any tag (or none).
  // A known program's message is CEF/LEEF only when it starts so; other tags (or none) may carry one mid-message.
  const known = program !== null && MESSAGE_PARSERS.has(programKey(program));
  if (known ? (first === 67 && message.startsWith('CEF:')) || (first === 76 && message.startsWith('LEEF:')) : true) {
    if (cefStart(message) >= 0) return parseCef(message, program ?? '', maxFields);
    if (leefStart(message) >= 0) return parseLeef(message, program ?? '', maxFields);
  }
  if ((first === 112 && message.startsWith('pam_')) || (first === 80 && message.startsWith('PAM '))) {
    const pam = parsePam(message, program ?? '', maxFields);
    if (pam) return pam;
  }
  if (!known) return null;
  return MESSAGE_PARSERS.get(programKey(program))!(message, program, maxFields);
}

/** The registry key of a program name: lower case, before any "/" (postfix/smtpd -> postfix). */
function programKey(program: string): string {
  const slash = program.indexOf('/');
  return (slash < 0 ? program : program.slice(0, slash)).toLowerCase();
}

function build(
  header: SyslogHeader,
  parsed: MessageParse | null,
  truncated: boolean,
  replacedCharacters: boolean,
  maxFields: number,
): ParseResult {
  const timestampMs = parsed?.timestampMs ?? header.timestampMs;
  if (parsed?.event_type === 'dns_query') addDnsStats(parsed.fields);
  return {
    format: header.format,
    parser: parsed?.parser ?? null,
    unparsed: parsed === null && header.format === 'none',
    timestampMs: timestampMs ?? null,
    host: header.host,
    program: header.program,
    pid: header.pid,
    facility: header.facility,
    syslogSeverity: header.severity,
    msgid: header.msgid,
    structuredData: header.structuredData,
    message: header.message,
    source_type: parsed?.source_type ?? 'generic',
    event_type: parsed?.event_type ?? null,
    count: parsed?.count ?? 1,
    fields: parsed === null ? {} : SCANNING_PARSERS.has(parsed.parser) ? capFields(parsed.fields, maxFields) : parsed.fields,
    truncated,
    replacedCharacters,
  };
}

function headerless(line: string, format: SyslogHeader['format']): SyslogHeader {
  return {
    format, facility: null, severity: null, timestampMs: null, host: null, program: null, pid: null,
    msgid: null, structuredData: null, message: line,
  };
}

// Parsers that copy an open-ended list of key=value pairs; the others set a fixed handful
// of fields, so counting theirs would only cost time.
const SCANNING_PARSERS: ReadonlySet<string> = new Set(['pam', 'netfilter', 'auditd', 'accounts', 'sudo', 'cef', 'leef', 'nginx-error']);

/** Keeps the first maxFields entries: parsers bound their scans, this bounds their sum. */
function capFields(fields: Record<string, string | number>, maxFields: number): Record<string, string | number> {
  const keys = Object.keys(fields);
  if (keys.length <= maxFields) return fields;
  const out: Record<string, string | number> = {};
  for (let i = 0; i < maxFields; i++) out[keys[i]!] = fields[keys[i]!]!;
  return out;
}


/**
 * Cuts the line to maxLength, drops the line terminator and a leading BOM, and replaces lone
 * surrogates and NUL (PostgreSQL cannot store it) with U+FFFD. Bytes that were not UTF-8
 * are replaced by decodeLine before they get here.
 */
function cleanLine(text: string, maxLength: number): { line: string; truncated: boolean; replaced: boolean } {
  let line = text;
  let truncated = false;
  if (line.length > maxLength) {
    line = line.slice(0, maxLength);
    truncated = true;
  }
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  const start = line.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (start !== 0 || end !== line.length) line = line.slice(start, end);
  const stored = storableText(line);
  return { line: stored, truncated, replaced: stored !== line };
}

/**
 * Bytes off the wire to a line: invalid UTF-8 sequences become U+FFFD and are reported, so
 * the caller can count them. `invalid` is false for input that was valid UTF-8.
 */
export function decodeLine(bytes: Uint8Array): { text: string; invalid: boolean } {
  try {
    return { text: STRICT.decode(bytes), invalid: false };
  } catch {
    return { text: LENIENT.decode(bytes), invalid: true };
  }
}
const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function context(opts: ParseOptions, maxFields: number): HeaderContext {
  const zone = opts.timeZone;
  if (zone !== undefined && opts.offsetMinutes === undefined) {
    let valid = validZones.get(zone);
    if (valid === undefined) {
      valid = isValidTimeZone(zone);
      if (validZones.size < 64) validZones.set(zone, valid);
    }
    // A configuration error, not a bad line: callers check the zone once at start (isValidTimeZone).
    if (!valid) throw new RangeError(`unknown time zone "${zone}"; use an IANA name such as "Europe/Paris" or "UTC"`);
  }
  return {
    referenceMs: opts.referenceMs,
    timeZone: zone,
    offsetMinutes: opts.offsetMinutes,
    futureToleranceMs: opts.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS,
    maxFields,
  };
}
