// The four headline numbers, each a link to the list behind it.
import { Link } from 'react-router';
import { ErrorState } from '../../../components/ui/states.tsx';
import { formatCount } from '../../../lib/format.ts';
import { useOverview } from '../api/overview.ts';

export function StatCards() {
  const { data, error, refetch, isPending } = useOverview();
  if (error && !data) return <ErrorState error={error} onRetry={() => void refetch()} title="Could not load the counts" />;
  const cards = [
    { label: 'Events', value: data?.total_events, to: '/logs', tone: '' },
    { label: 'Alerts', value: data?.total_alerts, to: '/alerts', tone: '' },
    { label: 'Open alerts', value: data?.open_alerts, to: '/alerts?status=open', tone: 'warn' },
    { label: 'Critical open', value: data?.critical_alerts, to: '/alerts?status=open&severity=critical', tone: 'crit' },
  ];
  return (
    <div className="stat-cards">
      {cards.map((c) => (
        <Link key={c.label} to={c.to} className={`card stat-card ${c.tone}`} aria-busy={isPending}>
          <span className="stat-label">{c.label}</span>
          <span className="stat-value" data-testid={`stat-${c.label.toLowerCase().replace(/ /g, '-')}`}>
            {c.value === undefined ? '…' : formatCount(c.value)}
          </span>
        </Link>
      ))}
    </div>
  );
}
