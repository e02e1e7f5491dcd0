// Timestamps of syslog headers. RFC 3164 carries neither year nor zone: both are inferred
// from a reference time and a zone passed in (the engine never reads the clock). RFC 5424
// and RFC 3339 file timestamps carry both and are read field by field.
import { readUint } from './scan.ts';

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

export interface ZoneSpec {
  timeZone?: string | undefined;
  offsetMinutes?: number | undefined;
}

export interface WallTime {
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

/** "Jan" -> 1 ... "Dec" -> 12; 0 when text[at, at+3) is not a month abbreviation. */
function monthAt(text: string, at: number): number {
  return MONTHS[text.slice(at, at + 3)] ?? 0;
}

/**
 * Reads "Mmm dd hh:mm:ss" (day space-padded or zero-padded, optional .fraction) at `at`.
 * Returns the wall time and the index after it, or null.
 */
export function readBsdTimestamp(text: string, at: number): { time: WallTime; end: number } | null {
  const month = monthAt(text, at);
  if (month === 0 || text.charCodeAt(at + 3) !== 32) return null;
  let i = at + 4;
  if (text.charCodeAt(i) === 32) i++; // "Jan  5"
  const dayStart = i;
  while (i < text.length && i - dayStart < 2 && isDigit(text.charCodeAt(i))) i++;
  const day = readUint(text, dayStart, i);
  if (day < 1 || day > 31 || text.charCodeAt(i) !== 32) return null;
  i++;
  const hour = readUint(text, i, i + 2);
  const minute = readUint(text, i + 3, i + 5);
  const second = readUint(text, i + 6, i + 8);
  if (text.charCodeAt(i + 2) !== 58 || text.charCodeAt(i + 5) !== 58) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  i += 8;
  const fraction = readFraction(text, i);
  if (fraction === null) return null;
  const millis = fraction.millis;
  i = fraction.end;
  return { time: { month, day, hour, minute, second: Math.min(second, 59), millis }, end: i };
}

/**
 * The instant of a year-less wall time: the latest year that does not put it more than
 * `toleranceMs` after the reference, so a December line received in January lands in the
 * previous year and a line stamped just after midnight on 1 January by a sender whose clock
 * runs ahead lands in the new year. Null when the date exists in none of the candidate years
 * (29 February outside leap years).
 */
export function inferBsdTime(wall: WallTime, referenceMs: number, zone: ZoneSpec, toleranceMs: number): number | null {
  const refYear = new Date(referenceMs + offsetAt(referenceMs, zone) * 60_000).getUTCFullYear();
  for (let year = refYear + 1; year >= refYear - 1; year--) {
    const ms = zonedToUtc(year, wall, zone);
    if (ms !== null && ms <= referenceMs + toleranceMs) return ms;
  }
  return null;
}

/** Wall time in the zone -> ms since the epoch; null for an impossible date. */
export function zonedToUtc(year: number, wall: WallTime, zone: ZoneSpec): number | null {
  if (wall.day > daysInMonth(year, wall.month)) return null;
  const asUtc = Date.UTC(year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millis);
  if (zone.offsetMinutes !== undefined) return asUtc - zone.offsetMinutes * 60_000;
  // Two rounds settle every instant but those in a DST gap, which stay one offset off:
  // a time that never existed on the sender's clock has no right answer.
  let guess = asUtc - offsetAt(asUtc, zone) * 60_000;
  guess = asUtc - offsetAt(guess, zone) * 60_000;
  return guess;
}

// Per-zone formatters and offsets by quarter hour: every zone in use changes its offset on a
// quarter-hour boundary, so one Intl call serves every line of the same 15 minutes.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
// zone name -> quarter-hour index -> offset; numeric keys keep the per-line lookup cheap.
const OFFSETS = new Map<string, Map<number, number>>();
const MAX_CACHED_OFFSETS = 4096;
const QUARTER_HOUR = 900_000;

/** Minutes east of UTC of the zone at instant ms. Unknown zone names throw (checked once by the caller). */
export function offsetAt(ms: number, zone: ZoneSpec): number {
  if (zone.offsetMinutes !== undefined) return zone.offsetMinutes;
  const name = zone.timeZone;
  if (name === undefined || name === 'UTC' || name === 'Etc/UTC') return 0;
  let zoneOffsets = OFFSETS.get(name);
  if (!zoneOffsets) {
    zoneOffsets = new Map();
    OFFSETS.set(name, zoneOffsets);
  }
  const key = Math.floor(ms / QUARTER_HOUR);
  const cached = zoneOffsets.get(key);
  if (cached !== undefined) return cached;
  let fmt = FORMATTERS.get(name);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    FORMATTERS.set(name, fmt);
  }
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const offset = Math.round((wall - (ms - (((ms % 1000) + 1000) % 1000))) / 60_000);
  if (zoneOffsets.size >= MAX_CACHED_OFFSETS) zoneOffsets.clear();
  zoneOffsets.set(key, offset);
  return offset;
}

/** Whether Intl knows the zone name; lets callers refuse a bad setting once, at start. */
export function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * RFC 3339 as RFC 5424 and rsyslog's file format write it: YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm).
 * A missing offset is read in the given zone. Returns ms and the end index, or null.
 */
export function readRfc3339(text: string, at: number, zone: ZoneSpec): { ms: number; end: number } | null {
  const year = readUint(text, at, at + 4);
  const month = readUint(text, at + 5, at + 7);
  const day = readUint(text, at + 8, at + 10);
  const sepT = text.charCodeAt(at + 10);
  if (year < 1970 || text.charCodeAt(at + 4) !== 45 || text.charCodeAt(at + 7) !== 45 || (sepT !== 84 && sepT !== 116 && sepT !== 32)) return null;
  const hour = readUint(text, at + 11, at + 13);
  const minute = readUint(text, at + 14, at + 16);
  const second = readUint(text, at + 17, at + 19);
  if (text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58) return null;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  let i = at + 19;
  const fraction = readFraction(text, i);
  if (fraction === null) return null;
  const millis = fraction.millis;
  i = fraction.end;
  const wall: WallTime = { month, day, hour, minute, second: Math.min(second, 59), millis };
  const c = text.charCodeAt(i);
  if (c === 90 || c === 122) {
    const ms = zonedToUtc(year, wall, { offsetMinutes: 0 });
    return ms === null ? null : { ms, end: i + 1 };
  }
  if (c === 43 || c === 45) {
    const oh = readUint(text, i + 1, i + 3);
    const om = readUint(text, i + 4, i + 6);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || text.charCodeAt(i + 3) !== 58) return null;
    const ms = zonedToUtc(year, wall, { offsetMinutes: (c === 45 ? -1 : 1) * (oh * 60 + om) });
    return ms === null ? null : { ms, end: i + 6 };
  }
  const ms = zonedToUtc(year, wall, zone);
  return ms === null ? null : { ms, end: i };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** An optional ".ddd" fraction of a second at i (up to 9 digits, milliseconds kept); null when the dot has no digit. */
function readFraction(text: string, at: number): { millis: number; end: number } | null {
  if (text.charCodeAt(at) !== 46) return { millis: 0, end: at };
  const start = at + 1;
  let i = start;
  while (i < text.length && i - start < 9 && isDigit(text.charCodeAt(i))) i++;
  if (i === start) return null;
  return { millis: Number(text.slice(start, Math.min(i, start + 3)).padEnd(3, '0')), end: i };
}
