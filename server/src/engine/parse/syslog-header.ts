// Syslog headers, independent of framing: RFC 3164 (with or without <PRI>, optional host),
// the RFC 3339-stamped variant rsyslog writes to files, and RFC 5424 with its structured
// data. Each reader is a forward scan; a header it does not recognize returns null.
import { readUint } from './scan.ts';
import { inferBsdTime, readBsdTimestamp, readRfc3339, type ZoneSpec } from './syslog-time.ts';
import type { HeaderFormat } from './types.ts';

export interface SyslogHeader {
  format: HeaderFormat;
  facility: number | null;
  severity: number | null;
  timestampMs: number | null;
  host: string | null;
  program: string | null;
  pid: number | null;
  msgid: string | null;
  structuredData: Record<string, Record<string, string>> | null;
  message: string;
}

export interface HeaderContext extends ZoneSpec {
  referenceMs: number;
  futureToleranceMs: number;
  maxFields: number;
}

const MAX_TAG_LENGTH = 128;
const MAX_HOST_LENGTH = 255;
const MAX_SD_ELEMENTS = 32;
const PROTO = '__proto__';
// RFC 5424 escapes only '"', '\\' and ']'; any other backslash is kept as written.
const SD_ESCAPE = /\\(["\\\]])/g;

/** The header of a syslog line, or null when the line does not start like one. */
export function parseSyslogHeader(line: string, ctx: HeaderContext): SyslogHeader | null {
  let i = 0;
  let facility: number | null = null;
  let severity: number | null = null;
  if (line.charCodeAt(0) === 60) {
    const close = line.indexOf('>', 1);
    if (close < 2 || close > 4) return null;
    const pri = readUint(line, 1, close);
    if (pri < 0 || pri > 191) return null;
    facility = pri >> 3;
    severity = pri & 7;
    i = close + 1;
    if (isDigit(line.charCodeAt(i)) && line.charCodeAt(i + 1) === 32) return parse5424(line, i + 2, facility, severity, ctx);
    if (isDigit(line.charCodeAt(i)) && isDigit(line.charCodeAt(i + 1)) && line.charCodeAt(i + 2) === 32) {
      return parse5424(line, i + 3, facility, severity, ctx);
    }
  }
  const bsd = readBsdTimestamp(line, i);
  if (bsd) {
    const ms = inferBsdTime(bsd.time, ctx.referenceMs, ctx, ctx.futureToleranceMs);
    return readHostAndTag(line, skipSpaces(line, bsd.end), 'rfc3164', facility, severity, ms);
  }
  if (isDigit(line.charCodeAt(i)) && line.charCodeAt(i + 4) === 45) {
    const iso = readRfc3339(line, i, ctx);
    if (iso && line.charCodeAt(iso.end) === 32) return readHostAndTag(line, skipSpaces(line, iso.end), 'iso-syslog', facility, severity, iso.ms);
  }
  return null;
}

/**
 * "host tag[pid]: msg" or, from local senders, "tag[pid]: msg" without a host: the first
 * token is the tag when it ends in ':' or "]:".
 */
function readHostAndTag(
  line: string,
  at: number,
  format: HeaderFormat,
  facility: number | null,
  severity: number | null,
  timestampMs: number | null,
): SyslogHeader {
  const firstEnd = tokenEnd(line, at);
  if (line.charCodeAt(firstEnd - 1) === 58) {
    const tag = readTag(line, at, firstEnd);
    if (tag) return header(format, facility, severity, timestampMs, null, tag, line.slice(skipSpace(line, firstEnd)));
  }
  const host = firstEnd === at || firstEnd - at > MAX_HOST_LENGTH ? null : line.slice(at, firstEnd);
  const tagStart = skipSpaces(line, firstEnd);
  const tagEnd = tokenEnd(line, tagStart);
  if (line.charCodeAt(tagEnd - 1) === 58) {
    const tag = readTag(line, tagStart, tagEnd);
    if (tag) return header(format, facility, severity, timestampMs, host, tag, line.slice(skipSpace(line, tagEnd)));
  }
  // No "tag:" after the host: keep the rest as the message rather than guess a program.
  return header(format, facility, severity, timestampMs, host, null, line.slice(tagStart));
}

// One object shape for every 3164 header keeps the hot path monomorphic.
function header(
  format: HeaderFormat,
  facility: number | null,
  severity: number | null,
  timestampMs: number | null,
  host: string | null,
  tag: Tag | null,
  message: string,
): SyslogHeader {
  return {
    format, facility, severity, timestampMs, host,
    program: tag === null ? null : tag.program,
    pid: tag === null ? null : tag.pid,
    msgid: null, structuredData: null, message,
  };
}

interface Tag {
  program: string;
  pid: number | null;
}

/** "sshd[123]:" / "kernel:" / "postfix/smtpd[9]:" in line[from, to) (ending in ':') -> program and pid. */
function readTag(line: string, from: number, to: number): Tag | null {
  const end = to - 1;
  if (end <= from || end - from > MAX_TAG_LENGTH) return null;
  if (line.charCodeAt(end - 1) === 93) {
    const open = line.lastIndexOf('[', end - 1);
    if (open <= from) return null;
    const pid = readUint(line, open + 1, end - 1);
    return { program: line.slice(from, open), pid: pid >= 0 ? pid : null };
  }
  const program = line.slice(from, end);
  return program.includes('[') ? null : { program, pid: null };
}

function parse5424(line: string, at: number, facility: number, severity: number, ctx: HeaderContext): SyslogHeader | null {
  let i = at;
  let timestampMs: number | null = null;
  if (line.charCodeAt(i) === 45) {
    i++;
  } else {
    const iso = readRfc3339(line, i, { offsetMinutes: 0 });
    if (!iso) return null;
    timestampMs = iso.ms;
    i = iso.end;
  }
  const fields: Array<string | null> = [];
  for (let f = 0; f < 4; f++) {
    if (line.charCodeAt(i) !== 32) return null;
    i++;
    const end = tokenEnd(line, i);
    const value = line.slice(i, end);
    fields.push(value === '-' || value === '' ? null : value);
    i = end;
  }
  const [host, program, procid, msgid] = fields as [string | null, string | null, string | null, string | null];
  let structuredData: Record<string, Record<string, string>> | null = null;
  if (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) === 45) {
    i++;
  } else if (line.charCodeAt(i) === 91) {
    const sd = readStructuredData(line, i, ctx.maxFields);
    structuredData = sd.data;
    i = sd.end;
  }
  if (line.charCodeAt(i) === 32) i++;
  let message = line.slice(i);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  const pid = procid === null ? -1 : readUint(procid, 0, procid.length);
  return {
    format: 'rfc5424', facility, severity, timestampMs,
    host: host !== null && host.length <= MAX_HOST_LENGTH ? host : null,
    program, pid: pid >= 0 ? pid : null, msgid, structuredData, message,
  };
}

/**
 * `[id name="value" ...][id2 ...]`, values unescaped (\" \\ \]). Malformed data ends the
 * scan where it went wrong; what was read is kept and the rest becomes the message.
 */
function readStructuredData(line: string, at: number, maxParams: number): { data: Record<string, Record<string, string>>; end: number } {
  // Plain objects, not Object.create(null) (dictionary objects cost 2 us a line here); so
  // "__proto__" is never stored and existing entries are looked up as own properties only.
  const data: Record<string, Record<string, string>> = {};
  let i = at;
  let params = 0;
  let elements = 0;
  while (line.charCodeAt(i) === 91 && elements < MAX_SD_ELEMENTS) {
    const idEnd = scanName(line, i + 1);
    if (idEnd === i + 1) break;
    const id = line.slice(i + 1, idEnd);
    const element: Record<string, string> = Object.hasOwn(data, id) ? data[id]! : {};
    if (id !== PROTO) data[id] = element;
    elements++;
    let j = idEnd;
    let closed = false;
    while (j < line.length) {
      if (line.charCodeAt(j) === 93) {
        closed = true;
        j++;
        break;
      }
      if (line.charCodeAt(j) !== 32) break;
      const nameStart = j + 1;
      const nameEnd = scanName(line, nameStart);
      if (nameEnd === nameStart || line.charCodeAt(nameEnd) !== 61 || line.charCodeAt(nameEnd + 1) !== 34) break;
      // Find the closing quote first (skipping escaped characters), then unescape once.
      let k = nameEnd + 2;
      const valueStart = k;
      let escaped = false;
      while (k < line.length) {
        const c = line.charCodeAt(k);
        if (c === 34) break;
        if (c === 92 && k + 1 < line.length) {
          escaped = true;
          k += 2;
          continue;
        }
        k++;
      }
      if (k >= line.length) break;
      const rawValue = line.slice(valueStart, k);
      const value = escaped ? rawValue.replace(SD_ESCAPE, '$1') : rawValue;
      const name = line.slice(nameStart, nameEnd);
      if (params < maxParams && name !== PROTO) {
        element[name] = value;
        params++;
      }
      j = k + 1;
    }
    if (!closed) return { data, end: j };
    i = j;
  }
  return { data, end: i };
}

/** SD-NAME: printable ASCII but '=', ' ', ']' and '"'; at most 32 characters. */
function scanName(line: string, at: number): number {
  let i = at;
  while (i < line.length && i - at < 32) {
    const c = line.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 61 || c === 93 || c === 34) break;
    i++;
  }
  return i;
}

function tokenEnd(line: string, at: number): number {
  const space = line.indexOf(' ', at);
  return space < 0 ? line.length : space;
}

function skipSpaces(line: string, at: number): number {
  let i = at;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

function skipSpace(line: string, at: number): number {
  return line.charCodeAt(at) === 32 ? at + 1 : at;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
