// The alert's matched events on a time axis, one mark per event coloured by severity,
// with the first and last time labelled. The table below it is the accessible version.
import type { LogEvent } from '@siem/contracts';
import { formatTime, parseInstant } from '../../../lib/format.ts';
import { SEVERITY_COLORS, SEVERITY_ORDER } from '../../../lib/severity.ts';

const W = 800;
const H = 90;
const PAD = 24;

export function MatchedEventsTimeline({ events }: { events: LogEvent[] }) {
  const points = events
    .map((e) => ({ e, t: parseInstant(e.timestamp) }))
    .filter((p): p is { e: LogEvent; t: number } => p.t !== null)
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return null;
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  const span = Math.max(1, last - first);
  const x = (t: number) => (last === first ? W / 2 : PAD + ((t - first) / span) * (W - 2 * PAD));
  const y = (sev: LogEvent['severity']) => 16 + SEVERITY_ORDER.indexOf(sev) * 10;
  return (
    <figure className="event-timeline">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${points.length} matched events between ${formatTime(first)} and ${formatTime(last)}`}>
        <line x1={PAD} x2={W - PAD} y1={H - 22} y2={H - 22} stroke="var(--border)" />
        {points.map(({ e, t }) => (
          <g key={e.id}>
            <line x1={x(t)} x2={x(t)} y1={y(e.severity)} y2={H - 22} stroke={SEVERITY_COLORS[e.severity]} strokeOpacity={0.35} />
            <circle cx={x(t)} cy={y(e.severity)} r={5} fill={SEVERITY_COLORS[e.severity]}>
              <title>{`${formatTime(t)} · ${e.event_type ?? e.source_type} · ${e.severity}`}</title>
            </circle>
          </g>
        ))}
        <text x={PAD} y={H - 6} fill="var(--muted)" fontSize="12">
          {formatTime(first)}
        </text>
        <text x={W - PAD} y={H - 6} fill="var(--muted)" fontSize="12" textAnchor="end">
          {formatTime(last)}
        </text>
      </svg>
      <figcaption className="muted">
        {points.length} events over {Math.round(span / 1000)} s
      </figcaption>
    </figure>
  );
}
