// Timestamps and numbers for display. Server instants are UTC; legacy forms without a
// designator must still be read as UTC, which Date.parse would not do.
const NO_DESIGNATOR = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/;

export function parseInstant(value: string | null | undefined): number | null {
  if (!value) return null;
  const text = value.trim();
  const iso = NO_DESIGNATOR.test(text) ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const ms = Date.parse(iso);
  if (Number.isFinite(ms)) return ms;
  const fallback = Date.parse(text);
  return Number.isFinite(fallback) ? fallback : null;
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function formatDateTime(value: string | null | undefined): string {
  const ms = parseInstant(value);
  return ms === null ? '—' : dateTime.format(ms);
}

export function formatTime(value: string | number | null | undefined): string {
  const ms = typeof value === 'number' ? value : parseInstant(value);
  return ms === null ? '—' : timeOnly.format(ms);
}

export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  const ms = parseInstant(value);
  if (ms === null) return '—';
  const s = Math.round((now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat();
export const formatCount = (n: number): string => (n >= 100_000 ? compact.format(n) : plain.format(n));

/** "false_positive" -> "False positive". */
export const humanize = (s: string): string => {
  const text = s.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};
