// The log line inside a shipped document (Filebeat's `message`, Fluent Bit's `log`, rsyslog's
// `msg`, journald's `MESSAGE`) goes through the line parsers, so an sshd line is recognized
// whichever shipper carried it. The document's own host, program, pid and time fill the gaps.
import { parseLine, parseRecord } from '../registry.ts';
import { readTimeValue } from '../time-formats.ts';
import type { ParseResult } from '../types.ts';
import { get, own, text, uint, type Doc } from './read.ts';
import type { DocContext } from './types.ts';

const MESSAGE_KEYS = ['message', 'msg', 'log', 'MESSAGE', 'short_message', 'rawmsg', 'Message'];
const HOST_KEYS = ['host.name', 'host.hostname', 'hostname', 'host_name', 'HOSTNAME', '_HOSTNAME', 'fromhost', 'source_host', 'agent.hostname', 'host', 'computer_name'];
const PROGRAM_KEYS = ['log.syslog.appname', 'programname', 'appname', 'app_name', 'program', 'ident', 'SYSLOG_IDENTIFIER', 'syslog_identifier', 'syslogtag', 'tag', 'process.name'];
const PID_KEYS = ['log.syslog.procid', 'process.pid', 'procid', 'pid', 'PID', '_PID', 'SYSLOG_PID'];
const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', 'date', 'timereported', '_time', 'datetime', 'eventtime', 'EventTime', 'event.created'];

/** First string among the keys; undefined when none. */
export function firstText(doc: Doc, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = text(get(doc, key));
    if (value !== undefined) return value;
  }
  return undefined;
}

export function docMessage(doc: Doc): string | undefined {
  for (const key of MESSAGE_KEYS) {
    const value = own(doc, key);
    if (typeof value === 'string' && value !== '') return text(value);
  }
  return undefined;
}

export function docHost(doc: Doc): string | null {
  for (const key of HOST_KEYS) {
    const value = get(doc, key);
    // Logstash's legacy `host` is a string, ECS's an object: only a string names the host.
    if (typeof value === 'string' && value !== '' && value.length <= 255) return text(value) ?? null;
  }
  return null;
}

export function docTime(doc: Doc, ctx: DocContext): number | null {
  for (const key of TIME_KEYS) {
    const value = get(doc, key);
    if (value === undefined) continue;
    const ms = readTimeValue(value, ctx.zone);
    if (ms !== null) return ms;
  }
  return null;
}

/** "sshd[123]:" (rsyslog's syslogtag) -> "sshd". */
function programName(value: string | undefined): string | null {
  if (value === undefined) return null;
  let end = value.length;
  const bracket = value.indexOf('[');
  if (bracket > 0) end = bracket;
  else if (value.endsWith(':')) end -= 1;
  const name = value.slice(0, end).trim();
  return name === '' || name.length > 128 ? null : name;
}

/**
 * The embedded line's parse when a line parser recognized it (parser set), else null. A
 * full syslog line is read with its header; a bare message with the document's program.
 */
export function parseEmbedded(doc: Doc, message: string, ctx: DocContext): ParseResult | null {
  const host = docHost(doc);
  const pid = uint(firstText(doc, PID_KEYS)) ?? null;
  const timestampMs = docTime(doc, ctx);
  const line = parseLine(message, ctx.opts);
  if (line.parser !== null) {
    line.host ??= host;
    line.pid ??= pid;
    line.timestampMs ??= timestampMs;
    return line;
  }
  if (line.format !== 'none') return null;
  const program = programName(firstText(doc, PROGRAM_KEYS));
  if (program === null) return null;
  // rsyslog's %msg% keeps the space that followed the tag.
  const record = parseRecord({ message: message.trimStart(), program, host, pid, timestampMs }, ctx.opts);
  return record.parser !== null ? record : null;
}
