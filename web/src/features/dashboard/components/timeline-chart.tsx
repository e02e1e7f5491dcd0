// Events over time, stacked by severity, for a selectable range (1h / 24h / 7d).
import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { QueryStates } from '../../../components/ui/states.tsx';
import { SEVERITY_COLORS, SEVERITY_ORDER } from '../../../lib/severity.ts';
import { TIMELINE_RANGES, fillTimeline, useTimeline } from '../api/timeline.ts';
import type { TimelineRange } from '../api/timeline.ts';

const tick = (range: TimelineRange) => (t: number) => {
  const d = new Date(t);
  return range === '7d'
    ? d.toLocaleDateString(undefined, { weekday: 'short', hour: '2-digit', hour12: false })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
};

export function TimelineChart() {
  const [range, setRange] = useState<TimelineRange>('24h');
  const { data, error, isPending, refetch } = useTimeline(range);
  const points = useMemo(() => (data ? fillTimeline(data, range) : []), [data, range]);
  const total = data?.reduce((n, b) => n + b.count, 0) ?? 0;

  return (
    <section className="card panel panel-wide" aria-labelledby="timeline-title">
      <header className="panel-head">
        <h2 id="timeline-title">Events over time</h2>
        <div className="segmented" role="group" aria-label="Time range">
          {(Object.keys(TIMELINE_RANGES) as TimelineRange[]).map((r) => (
            <button key={r} type="button" className="btn btn-small" aria-pressed={r === range} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </header>
      <QueryStates query={{ isPending, error, data, refetch }} isEmpty={total === 0} empty={<>No events in the last {range}.</>}>
        {(data) => (
          <div className="chart" role="img" aria-label={`${total} events in the last ${range}, stacked by severity`}>
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
                <CartesianGrid stroke="var(--border)" vertical={false} />
                <XAxis dataKey="t" tickFormatter={tick(range)} stroke="var(--muted)" fontSize={12} minTickGap={40} />
                <YAxis allowDecimals={false} stroke="var(--muted)" fontSize={12} />
                <Tooltip
                  labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
                  contentStyle={{ background: 'var(--surface-2)', border: '1px solid var(--border)', borderRadius: 6 }}
                  cursor={{ fill: 'rgba(148,163,184,0.08)' }}
                />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {SEVERITY_ORDER.map((s) => (
                  <Bar key={s} dataKey={s} stackId="sev" fill={SEVERITY_COLORS[s]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </QueryStates>
    </section>
  );
}
