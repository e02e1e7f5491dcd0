// The newest alerts, patched in by the live feed; fresh arrivals are highlighted.
import { Link } from 'react-router';
import { SeverityBadge, StatusBadge } from '../../../components/ui/badges.tsx';
import { QueryStates } from '../../../components/ui/states.tsx';
import { formatRelative } from '../../../lib/format.ts';
import { useRecentAlerts } from '../api/recent-alerts.ts';

export function LiveAlerts() {
  const { data, error, isPending, refetch } = useRecentAlerts();
  return (
    <section className="card panel" aria-labelledby="live-alerts-title">
      <header className="panel-head">
        <h2 id="live-alerts-title">Latest alerts</h2>
        <Link to="/alerts" className="muted">
          All alerts →
        </Link>
      </header>
      <QueryStates query={{ isPending, error, data, refetch }} isEmpty={!data || data.length === 0} empty="No alerts yet. They appear here the moment a rule fires.">
        {(data) => (
          <ul className="feed" aria-live="polite" data-testid="live-alerts">
            {data.map((a) => (
              <li key={a.id} className={a.live ? 'feed-item is-new' : 'feed-item'}>
                <SeverityBadge severity={a.severity} />
                <Link to={`/alerts/${a.id}`} className="feed-title">
                  {a.title}
                </Link>
                <span className="feed-meta">
                  <StatusBadge status={a.status} /> {a.matched_event_count} events · {formatRelative(a.created_at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryStates>
    </section>
  );
}
