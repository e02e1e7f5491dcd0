// Event-time parsing for ingest: a fixed set of ISO 8601 / SQL-style texts
// and epoch numbers, checked field by field and assembled with Date.UTC. Date.parse is
// never applied to client text: it is lenient in engine-specific ways ("2026-02-30" rolls over).

// One anchored pattern, linear in the input: date, optional time (T, t or space), optional
// seconds with any number of fraction digits, optional Z / +-HH[:MM] / +-HHMM offset.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;
const EPOCH_TEXT = /^(\d+)(?:\.(\d+))?$/;

// Epoch values from here up are milliseconds: 1e11 s is the year 5138, 1e11 ms is 1973,
// so the two readings cannot be confused for any realistic event.
const EPOCH_MS_THRESHOLD = 1e11;
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
const MAX_MS = Date.UTC(MAX_YEAR, 11, 31, 23, 59, 59, 999);

export const ACCEPTED_TIME_FORMS =
  'ISO 8601 (2026-03-01T12:34:56.789Z, T or space separator, optional fraction, optional Z or +HH:MM/+HHMM offset; ' +
  'UTC when no offset), YYYY-MM-DD HH:MM[:SS[.ffffff]], YYYY-MM-DD, or epoch seconds/milliseconds ' +
  '(numbers >= 1e11 are milliseconds), years 1970-9999';

/** Milliseconds since the epoch, or null when the value is not one of the accepted forms. */
export function parseEventTime(value: unknown): number | null {
  if (typeof value === 'number') return parseEpochNumber(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 0) return null;
  const epoch = EPOCH_TEXT.exec(text);
  if (epoch) return epochFromDigits(epoch[1]!, epoch[2]);
  return parseDateTime(text);
}

function parseEpochNumber(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  if (Number.isInteger(value)) return inRange(value >= EPOCH_MS_THRESHOLD ? value : value * 1000);
  // Go through the shortest decimal text so 1700000000.123 gives ...123 ms, not ...122
  // after binary rounding; exponent forms are tiny or huge and need no such care.
  const text = String(value);
  const epoch = EPOCH_TEXT.exec(text);
  if (epoch) return epochFromDigits(epoch[1]!, epoch[2]);
  return inRange(Math.floor(value >= EPOCH_MS_THRESHOLD ? value : value * 1000));
}

function epochFromDigits(whole: string, fraction: string | undefined): number | null {
  if (whole.length > 16) return null; // beyond year 9999 in any unit; avoids float drift
  const n = Number(whole);
  if (n >= EPOCH_MS_THRESHOLD) return inRange(n); // sub-millisecond digits are truncated
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return inRange(n * 1000 + ms);
}

function parseDateTime(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // No hour 24 and no leap second 60: both are legal ISO but ambiguous to store.
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offset = offsetMinutes(m[8], m[9], m[10], m[11]);
  if (offset === null) return null;
  return inRange(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000);
}

function offsetMinutes(
  zulu: string | undefined,
  sign: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
): number | null {
  if (zulu !== undefined || sign === undefined) return 0;
  const h = Number(hours);
  const mm = minutes === undefined ? 0 : Number(minutes);
  if (h > 23 || mm > 59) return null;
  return (sign === '-' ? -1 : 1) * (h * 60 + mm);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// An offset can push 1970-01-01T00:00 before the epoch or 9999-12-31T23:59 into year
// 10000; both are refused so every stored instant prints as a four-digit-year ISO string.
function inRange(ms: number): number | null {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_MS ? ms : null;
}

/** The API's timestamp text: 2026-03-01T12:34:56.789Z. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
