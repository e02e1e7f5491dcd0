// "My open alerts": alerts assigned to the caller that are not resolved or false positives.
import { useState } from 'react';
import { Link } from 'react-router';
import { SeverityBadge, StatusBadge } from '../../../components/ui/badges.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatRelative } from '../../../lib/format.ts';
import { useMyOpenAlerts } from '../api/cases.ts';

export default function MyAlertsPage() {
  const [page, setPage] = useState(1);
  const { data, error, isPending, refetch } = useMyOpenAlerts(page);
  return (
    <div className="page">
      <header className="page-head"><h1>My open alerts</h1><Link to="/alerts">All alerts</Link></header>
      <p className="muted">Alerts assigned to you that are not resolved yet.</p>
      {isPending ? (
        <Loading label="Loading alerts…" />
      ) : error && !data ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : !data || data.items.length === 0 ? (
        <Empty>No open alert is assigned to you.</Empty>
      ) : (
        <>
          <div className="table-wrap card">
            <table className="table" data-testid="my-alerts-table">
              <thead><tr><th>Severity</th><th>Alert</th><th>Status</th><th className="num">Cases</th><th>Raised</th></tr></thead>
              <tbody>
                {data.items.map((a) => (
                  <tr key={a.id}>
                    <td><SeverityBadge severity={a.severity} /></td>
                    <td><Link to={`/alerts/${a.id}`}>{a.title}</Link></td>
                    <td><StatusBadge status={a.status} /></td>
                    <td className="num">{a.case_ids?.length ?? 0}</td>
                    <td className="nowrap" title={a.created_at}>{formatRelative(a.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} pages={data.pages} total={data.total} onPage={setPage} />
        </>
      )}
    </div>
  );
}
