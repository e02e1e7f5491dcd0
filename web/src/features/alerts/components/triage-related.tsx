// Other alerts around this one (by event time): the same group value or a host of its
// matched events, newest first, each linking to its page; the window is chosen here.
import { Link } from 'react-router';
import type { AlertContext } from '@siem/contracts';
import { SeverityBadge, StatusBadge } from '../../../components/ui/badges.tsx';
import { Empty } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { RELATED_HOURS } from '../api/alert-context.ts';

export function RelatedAlerts({ related, hours, onHours }: { related: AlertContext['related']; hours: number; onHours: (h: number) => void }) {
  return (
    <section className="card panel" aria-labelledby="related-title" data-testid="triage-related">
      <header className="panel-head">
        <h2 id="related-title">Related alerts</h2>
        <label className="related-hours">
          <span className="muted">within ±</span>
          <select value={hours} onChange={(e) => onHours(Number(e.target.value))} aria-label="Related alerts within hours">
            {RELATED_HOURS.map((h) => <option key={h} value={h}>{h} h</option>)}
          </select>
        </label>
      </header>
      {related.items.length === 0 ? (
        <Empty>No other alert of the same group value or host within {related.hours} h.</Empty>
      ) : (
        <ul className="related-list">
          {related.items.map((a) => (
            <li key={a.id} className="related-item" data-testid="related-alert">
              <SeverityBadge severity={a.severity} />
              <Link to={`/alerts/${a.id}`} className="related-title">{a.title}</Link>
              <StatusBadge status={a.status} />
              <span className="related-meta muted">
                {a.rule_name} · {formatDateTime(a.fired_at)}
                {a.reasons.includes('group_value') && a.group_value && <> · same group <span className="mono">{a.group_value}</span></>}
                {a.hosts.length > 0 && <> · host <span className="mono">{a.hosts.join(', ')}</span></>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {related.truncated && <p className="muted">Showing the newest {related.items.length}; narrow the window to see the closest.</p>}
    </section>
  );
}
