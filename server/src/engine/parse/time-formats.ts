// Timestamps of the structured and web formats: ISO 8601 with any offset style (Suricata
// writes +0000), epoch numbers in s/ms/us/ns, the access-log stamp (10/Oct/2026:13:55:36
// -0700), nginx's error-log stamp and Apache's ctime-like one. Zone-less ones use the zone.
import { readUint } from './scan.ts';
import { readRfc3339, zonedToUtc, type ZoneSpec } from './syslog-time.ts';

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};
// Epochs past this many seconds are read as ms, us or ns (Fluent Bit, Vector, HEC send all).
const MAX_EPOCH_SECONDS = 1e11;
// Years 1970..9999: a time outside is a bad value, not an event time.
const MAX_MS = 253402300799999;

/** An epoch number (seconds, or ms/us/ns by magnitude) -> ms; null when not finite or out of range. */
export function epochToMs(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  let ms = value;
  if (value < MAX_EPOCH_SECONDS) ms = value * 1000;
  else if (value < MAX_EPOCH_SECONDS * 1e3) ms = value;
  else if (value < MAX_EPOCH_SECONDS * 1e6) ms = value / 1e3;
  else ms = value / 1e6;
  ms = Math.round(ms);
  return ms <= MAX_MS ? ms : null;
}

/**
 * A document's time value: a number (epoch), a string of digits (epoch), or ISO 8601 /
 * RFC 3339 with "Z", "+hh:mm", "+hhmm" or no offset (then in `zone`). Null otherwise.
 */
export function readTimeValue(value: unknown, zone: ZoneSpec): number | null {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string' || value.length < 4 || value.length > 64) return null;
  const first = value.charCodeAt(0);
  if (first < 48 || first > 57) return null;
  if (value.charCodeAt(4) !== 45) {
    // "1767323045.123456" (Zeek), "1767323045123"
    const n = Number(value);
    return Number.isFinite(n) ? epochToMs(n) : null;
  }
  const iso = readRfc3339(value, 0, zone);
  if (iso) return iso.ms;
  // "+0000" / "-0530": give it the colon readRfc3339 expects.
  const sign = Math.max(value.lastIndexOf('+'), value.lastIndexOf('-'));
  if (sign > 18 && value.length - sign === 5) {
    const fixed = readRfc3339(`${value.slice(0, sign + 3)}:${value.slice(sign + 3)}`, 0, zone);
    if (fixed) return fixed.ms;
  }
  // "2026-03-15" alone.
  if (value.length === 10) {
    const fixed = readRfc3339(`${value}T00:00:00`, 0, zone);
    if (fixed) return fixed.ms;
  }
  return null;
}

/** "15/Mar/2026:10:00:00 +0100" (common log format) at `at`; returns ms and the end, or null. */
export function readClfTime(text: string, at: number): { ms: number; end: number } | null {
  const day = readUint(text, at, at + 2);
  const month = MONTHS[text.slice(at + 3, at + 6)] ?? 0;
  const year = readUint(text, at + 7, at + 11);
  if (day < 1 || month === 0 || year < 1970 || text.charCodeAt(at + 2) !== 47 || text.charCodeAt(at + 6) !== 47 || text.charCodeAt(at + 11) !== 58) return null;
  const hour = readUint(text, at + 12, at + 14);
  const minute = readUint(text, at + 15, at + 17);
  const second = readUint(text, at + 18, at + 20);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  let i = at + 20;
  const millis = 0;
  let offset = 0;
  if (text.charCodeAt(i) === 32) {
    const c = text.charCodeAt(i + 1);
    const oh = readUint(text, i + 2, i + 4);
    const om = readUint(text, i + 4, i + 6);
    if ((c === 43 || c === 45) && oh >= 0 && oh <= 23 && om >= 0 && om <= 59) {
      offset = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i += 6;
    }
  }
  const ms = zonedToUtc(year, { month, day, hour, minute, second: Math.min(second, 59), millis }, { offsetMinutes: offset });
  return ms === null ? null : { ms, end: i };
}

/** nginx error log "2026/03/15 10:00:00" at 0, read in `zone`; null when the line does not start so. */
export function readNginxErrorTime(text: string, zone: ZoneSpec): number | null {
  const year = readUint(text, 0, 4);
  const month = readUint(text, 5, 7);
  const day = readUint(text, 8, 10);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || text.charCodeAt(4) !== 47 || text.charCodeAt(7) !== 47 || text.charCodeAt(10) !== 32) return null;
  const hour = readUint(text, 11, 13);
  const minute = readUint(text, 14, 16);
  const second = readUint(text, 17, 19);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  return zonedToUtc(year, { month, day, hour, minute, second: Math.min(second, 59), millis: 0 }, zone);
}

/** Apache "Sun Mar 15 10:00:00.123456 2026" (the text inside the brackets), read in `zone`. */
export function readApacheErrorTime(text: string, zone: ZoneSpec): number | null {
  if (text.length < 24 || text.length > 40) return null;
  const month = MONTHS[text.slice(4, 7)] ?? 0;
  let i = 8;
  if (text.charCodeAt(i) === 32) i++;
  const dayEnd = text.indexOf(' ', i);
  const day = readUint(text, i, dayEnd);
  if (month === 0 || day < 1 || day > 31) return null;
  const t = dayEnd + 1;
  const hour = readUint(text, t, t + 2);
  const minute = readUint(text, t + 3, t + 5);
  const second = readUint(text, t + 6, t + 8);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  let j = t + 8;
  let millis = 0;
  if (text.charCodeAt(j) === 46) {
    const start = j + 1;
    j = start;
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    millis = readUint(text, start, Math.min(j, start + 3));
    if (millis < 0) return null;
    millis *= 10 ** Math.max(0, 3 - (Math.min(j, start + 3) - start));
  }
  const year = readUint(text, j + 1, j + 5);
  if (year < 1970) return null;
  return zonedToUtc(year, { month, day, hour, minute, second: Math.min(second, 59), millis }, zone);
}
