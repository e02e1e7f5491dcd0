// The alert's matched events on a time axis: one lane per severity, one mark per event,
// the first and last time labelled. The table below it is the accessible version.
import type { LogEvent } from '@siem/contracts';
import { formatTime, parseInstant } from '../../../lib/format.ts';
import { SEVERITY_COLORS, SEVERITY_ORDER } from '../../../lib/severity.ts';

const W = 900;
const LANE = 16;
const TOP = 12;
const LEFT = 70;
const RIGHT = 16;
const AXIS = TOP + SEVERITY_ORDER.length * LANE + 4;
const H = AXIS + 22;

export function describeSpan(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function MatchedEventsTimeline({ events }: { events: LogEvent[] }) {
  const points = events
    .map((e) => ({ e, t: parseInstant(e.timestamp) }))
    .filter((p): p is { e: LogEvent; t: number } => p.t !== null)
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return null;
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  const span = last - first;
  const x = (t: number) => (span === 0 ? (LEFT + W - RIGHT) / 2 : LEFT + ((t - first) / span) * (W - LEFT - RIGHT));
  const y = (sev: LogEvent['severity']) => TOP + SEVERITY_ORDER.indexOf(sev) * LANE + LANE / 2;
  return (
    <figure className="event-timeline">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${points.length} matched events between ${formatTime(first)} and ${formatTime(last)}`}>
        {SEVERITY_ORDER.map((s) => (
          <g key={s}>
            <line x1={LEFT} x2={W - RIGHT} y1={y(s)} y2={y(s)} stroke="var(--border)" strokeDasharray="2 4" />
            <text x={LEFT - 8} y={y(s) + 4} fill="var(--muted)" fontSize="11" textAnchor="end">{s}</text>
          </g>
        ))}
        <line x1={LEFT} x2={W - RIGHT} y1={AXIS} y2={AXIS} stroke="var(--border)" />
        {points.map(({ e, t }) => (
          <circle key={e.id} cx={x(t)} cy={y(e.severity)} r={5} fill={SEVERITY_COLORS[e.severity]} fillOpacity={0.85}>
            <title>{`${formatTime(t)} · ${e.event_type ?? e.source_type} · ${e.severity}`}</title>
          </circle>
        ))}
        <text x={LEFT} y={H - 6} fill="var(--muted)" fontSize="11">{formatTime(first)}</text>
        <text x={W - RIGHT} y={H - 6} fill="var(--muted)" fontSize="11" textAnchor="end">{formatTime(last)}</text>
      </svg>
      <figcaption className="muted small">
        {points.length} event{points.length === 1 ? '' : 's'} over {describeSpan(span)}
      </figcaption>
    </figure>
  );
}
