// Events by severity as a donut with the counts listed beside it (readable without colour).
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { SeverityBadge } from '../../../components/ui/badges.tsx';
import { QueryStates } from '../../../components/ui/states.tsx';
import { formatCount } from '../../../lib/format.ts';
import { SEVERITY_COLORS, SEVERITY_ORDER } from '../../../lib/severity.ts';
import { useSeverityBreakdown } from '../api/severity-breakdown.ts';

export function SeverityChart() {
  const { data, error, isPending, refetch } = useSeverityBreakdown();
  const rows = SEVERITY_ORDER.map((s) => ({ severity: s, count: data?.find((d) => d.severity === s)?.count ?? 0 }));
  const total = rows.reduce((n, r) => n + r.count, 0);
  return (
    <section className="card panel" aria-labelledby="severity-title">
      <header className="panel-head">
        <h2 id="severity-title">Events by severity</h2>
      </header>
      <QueryStates query={{ isPending, error, data, refetch }} isEmpty={total === 0} empty="No events yet.">
        {(data) => (
          <div className="severity-split">
            <div className="donut" aria-hidden="true">
              <ResponsiveContainer width="100%" height={180}>
                <PieChart>
                  <Pie data={rows.filter((r) => r.count > 0)} dataKey="count" nameKey="severity" innerRadius={48} outerRadius={80} stroke="none" isAnimationActive={false}>
                    {rows.filter((r) => r.count > 0).map((r) => (
                      <Cell key={r.severity} fill={SEVERITY_COLORS[r.severity]} />
                    ))}
                  </Pie>
                  <Tooltip contentStyle={{ background: 'var(--surface-2)', border: '1px solid var(--border)', borderRadius: 6 }} />
                </PieChart>
              </ResponsiveContainer>
            </div>
            <ul className="legend-list">
              {rows.map((r) => (
                <li key={r.severity}>
                  <SeverityBadge severity={r.severity} />
                  <span className="num">{formatCount(r.count)}</span>
                  <span className="muted">{total ? Math.round((r.count / total) * 100) : 0}%</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </QueryStates>
    </section>
  );
}
