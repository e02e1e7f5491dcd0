// The alert list: filters in the URL (shareable, part of the query key), live arrivals on
// the first page, pagination.
import { Link, useSearchParams } from 'react-router';
import { ALERT_STATUSES, SEVERITIES } from '@siem/contracts';
import { SeverityBadge, StatusBadge } from '../../../components/ui/badges.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatRelative, humanize, parseInstant } from '../../../lib/format.ts';
import { alertFiltersFromParams, useAlerts } from '../api/alerts.ts';
import { AlertOccurrences } from './alert-occurrences.tsx';

const FRESH_MS = 20_000;

export default function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const filters = alertFiltersFromParams(params);
  const { data, error, isPending, isFetching, refetch } = useAlerts(filters);

  const setFilter = (key: 'status' | 'severity' | 'technique' | 'since' | 'page', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: key !== 'page' });
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>Alerts</h1>
        {isFetching && !isPending && <span className="muted" aria-live="polite">Updating…</span>}
      </header>
      <div className="filters card" role="search" aria-label="Alert filters">
        <div className="field">
          <label htmlFor="alert-status">Status</label>
          <select id="alert-status" value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            <option value="open">Open (new, acknowledged, investigating)</option>
            {ALERT_STATUSES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="alert-severity">Severity</label>
          <select id="alert-severity" value={filters.severity ?? ''} onChange={(e) => setFilter('severity', e.target.value)}>
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </div>
        {filters.technique && (
          <p className="muted" data-testid="alert-technique-filter">
            Technique <span className="mono">{filters.technique}</span> and its sub-techniques{' '}
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setFilter('technique', '')}>✕ Clear</button>
          </p>
        )}
        {filters.since && (
          <p className="muted" data-testid="alert-since-filter">
            Raised since <time dateTime={filters.since}>{new Date(filters.since).toLocaleString()}</time>{' '}
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setFilter('since', '')}>✕ Clear</button>
          </p>
        )}
      </div>
      {isPending ? (
        <Loading label="Loading alerts…" />
      ) : error && !data ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : !data || data.items.length === 0 ? (
        <Empty>{filters.status || filters.severity || filters.technique || filters.since ? 'No alerts match these filters.' : 'No alerts yet. Start a scenario to see rules fire.'}</Empty>
      ) : (
        <>
          <div className="table-wrap card">
            <table className="table" data-testid="alerts-table">
              <thead>
                <tr>
                  <th>Severity</th><th>Alert</th><th>Status</th><th className="hide-narrow">Assignee</th><th className="hide-narrow">Rule</th><th className="num">Events</th><th>Raised</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((a) => {
                  const fresh = Date.now() - (parseInstant(a.created_at) ?? 0) < FRESH_MS;
                  return (
                    <tr key={a.id} className={fresh ? 'is-new' : undefined}>
                      <td><SeverityBadge severity={a.severity} /></td>
                      <td>
                        <Link to={`/alerts/${a.id}`}>{a.title}</Link> <AlertOccurrences alert={a} compact />
                        {(a.case_ids?.length ?? 0) > 0 && <> <Link className="tag" to={`/cases/${a.case_ids![0]}`} title="The case this alert belongs to">{a.case_ids!.length > 1 ? `${a.case_ids!.length} cases` : 'case'}</Link></>}
                      </td>
                      <td><StatusBadge status={a.status} /></td>
                      <td className="hide-narrow">{a.assignee ?? '—'}</td>
                      <td className="hide-narrow">{a.rule_name}</td>
                      <td className="num">{a.matched_event_count}</td>
                      <td className="nowrap" title={a.created_at}>{formatRelative(a.created_at)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} pages={data.pages} total={data.total} onPage={(p) => setFilter('page', String(p))} />
        </>
      )}
    </div>
  );
}
