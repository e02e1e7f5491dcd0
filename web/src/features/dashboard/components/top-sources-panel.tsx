// The busiest source addresses as proportional bars; each one pivots to its events.
import { Link } from 'react-router';
import { QueryStates } from '../../../components/ui/states.tsx';
import { formatCount } from '../../../lib/format.ts';
import { useTopSources } from '../api/top-sources.ts';

export function TopSourcesPanel() {
  const { data, error, isPending, refetch } = useTopSources(10);
  const max = Math.max(1, ...(data ?? []).map((s) => s.count));
  return (
    <section className="card panel" aria-labelledby="sources-title">
      <header className="panel-head">
        <h2 id="sources-title">Top sources</h2>
      </header>
      <QueryStates query={{ isPending, error, data, refetch }} isEmpty={!data || data.length === 0} empty="No source addresses seen yet.">
        {(data) => (
          <ol className="bar-list">
            {data.map((s) => (
              <li key={s.source_ip}>
                <Link to={`/logs?source_ip=${encodeURIComponent(s.source_ip)}`} className="mono" title={`Events from ${s.source_ip}`}>
                  {s.source_ip || '(empty)'}
                </Link>
                <span className="bar" style={{ width: `${(s.count / max) * 100}%` }} aria-hidden="true" />
                <span className="num">{formatCount(s.count)}</span>
              </li>
            ))}
          </ol>
        )}
      </QueryStates>
    </section>
  );
}
