// Histogram bucket math: the bucket width for a time range (rounded to an interval a person
// reads at a glance) and the aligned bucket starts. Pure: the range comes in as numbers.

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** Widths offered, smallest first; a range needing more than the largest uses multiples of a day. */
export const HISTOGRAM_INTERVALS: readonly number[] = [
  S, 5 * S, 10 * S, 30 * S, M, 5 * M, 10 * M, 15 * M, 30 * M, H, 3 * H, 6 * H, 12 * H, D,
];

/** The smallest offered width that covers [since, until) in at most `maxBuckets` aligned buckets. */
export function chooseInterval(sinceMs: number, untilMs: number, maxBuckets: number): number {
  const max = Math.max(1, maxBuckets);
  for (const width of HISTOGRAM_INTERVALS) if (bucketCount(sinceMs, untilMs, width) <= max) return width;
  let days = Math.max(2, Math.floor((untilMs - sinceMs) / D / max));
  while (bucketCount(sinceMs, untilMs, days * D) > max) days++;
  return days * D;
}

/** Buckets of `width` aligned on multiples of it (from the Unix epoch) that [since, until) touches. */
export function bucketCount(sinceMs: number, untilMs: number, width: number): number {
  if (untilMs <= sinceMs) return 1;
  return Math.floor((untilMs - 1) / width) - Math.floor(sinceMs / width) + 1;
}

/** The start of the bucket holding `ms`. */
export const bucketStart = (ms: number, width: number): number => Math.floor(ms / width) * width;

/** Starts of every bucket [since, until) touches, oldest first. */
export function bucketStarts(sinceMs: number, untilMs: number, width: number): number[] {
  const first = bucketStart(sinceMs, width);
  const n = bucketCount(sinceMs, untilMs, width);
  return Array.from({ length: n }, (_, i) => first + i * width);
}

/** A width as text: 1s, 5m, 1h, 2d. */
export function intervalLabel(width: number): string {
  if (width % D === 0) return `${width / D}d`;
  if (width % H === 0) return `${width / H}h`;
  if (width % M === 0) return `${width / M}m`;
  if (width % S === 0) return `${width / S}s`;
  return `${width}ms`;
}
