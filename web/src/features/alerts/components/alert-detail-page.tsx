// One alert: what fired and why, MITRE links, the triage actions, its matched events on a
// timeline and in a table (with pivots and the raw event), and the status history.
import { Fragment, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { MatchedEvent } from '@siem/contracts';
import { SeverityBadge, StatusBadge, Tag } from '../../../components/ui/badges.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { PivotLink } from '../../../components/ui/pivot-link.tsx';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatDateTime, formatTime } from '../../../lib/format.ts';
import { mitreUrl } from '../../../lib/mitre.ts';
import { useAlertDetail } from '../api/alert-detail.ts';
import { AlertHistory } from './alert-history.tsx';
import { AlertOccurrences } from './alert-occurrences.tsx';
import { ExceptionButton } from './exception-dialog.tsx';
import { MatchedEventsTimeline } from './matched-events-timeline.tsx';
import { StatusActions } from './status-actions.tsx';
import { AlertCaseActions } from '../../cases/components/alert-case-actions.tsx';
import { TriagePanels } from './triage-panels.tsx';

function EventRows({ event }: { event: MatchedEvent }) {
  const [open, setOpen] = useState(false);
  return (
    <Fragment>
      <tr>
        <td>
          <button type="button" className="btn btn-ghost btn-small" aria-expanded={open} onClick={() => setOpen(!open)} aria-label={open ? 'Hide event details' : 'Show event details'}>
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td className="mono">{formatTime(event.timestamp)}</td>
        <td><SeverityBadge severity={event.severity} /></td>
        <td>
          {event.event_type ?? '—'}
          {/* Past retention: what the alert kept of the event (no raw record). */}
          {event.expired && <span title="The event itself is past retention: this is the snapshot the alert kept"> <Tag>expired</Tag></span>}
        </td>
        <td><PivotLink field="source_ip" value={event.source_ip} /></td>
        <td><PivotLink field="dest_ip" value={event.dest_ip} /></td>
        <td><PivotLink field="username" value={event.username} /></td>
        <td><PivotLink field="hostname" value={event.hostname} /></td>
      </tr>
      {open && (
        <tr className="row-detail">
          <td colSpan={8}>
            <div className="json-pair">
              <JsonView label={event.normalized_truncated ? 'Normalized (cut short)' : 'Normalized'} value={event.normalized} />
              {event.expired ? <JsonView label="Message" value={{ message: event.message ?? null }} /> : <JsonView label="Raw" value={event.raw} />}
            </div>
          </td>
        </tr>
      )}
    </Fragment>
  );
}

export default function AlertDetailPage() {
  const { alertId = '' } = useParams();
  const { data, error, isPending, refetch } = useAlertDetail(alertId);
  if (isPending) return <div className="page"><Loading label="Loading alert…" /></div>;
  if (error || !data) return <div className="page"><ErrorState error={error} onRetry={() => void refetch()} title="Could not load this alert" /></div>;
  const { alert, matched_events: events, history } = data;
  const mitre = [alert.mitre_tactic, alert.mitre_technique].filter((m): m is string => !!m);
  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/alerts">Alerts</Link> / <span>{alert.id}</span>
      </nav>
      <header className="page-head">
        <h1>
          <SeverityBadge severity={alert.severity} /> {alert.title}
        </h1>
        <span data-testid="alert-status"><StatusBadge status={alert.status} /></span>
        <AlertOccurrences alert={alert} />
      </header>
      <div className="detail-grid">
        <section className="card panel" aria-labelledby="summary-title">
          <header className="panel-head"><h2 id="summary-title">Summary</h2></header>
          <dl className="kv">
            <dt>Rule</dt><dd>{alert.rule_name}</dd>
            <dt>Group</dt><dd className="mono">{alert.group_value ?? '—'}</dd>
            <dt>Matched events</dt><dd>{alert.matched_event_count}</dd>
            <dt>Raised</dt><dd>{formatDateTime(alert.created_at)}</dd>
            <dt>Updated</dt><dd>{formatDateTime(alert.updated_at)}</dd>
            <dt>Acknowledged</dt><dd>{alert.acknowledged_by ? `${alert.acknowledged_by}, ${formatDateTime(alert.acknowledged_at)}` : '—'}</dd>
            <dt>Resolved</dt><dd>{alert.resolved_at ? formatDateTime(alert.resolved_at) : '—'}</dd>
            <dt>MITRE ATT&CK</dt>
            <dd className="tags">{mitre.length ? mitre.map((m) => <Tag key={m} href={mitreUrl(m)}>{m}</Tag>) : '—'}</dd>
            <dt>Notes</dt><dd className="pre-wrap">{alert.notes || '—'}</dd>
          </dl>
          <ExceptionButton alert={alert} />
        </section>
        <StatusActions alertId={alert.id} status={alert.status} />
      </div>
      <AlertCaseActions alert={alert} cases={data.cases} />
      <TriagePanels alertId={alert.id} ruleName={alert.rule_name} />
      <section className="card panel" aria-labelledby="events-title">
        <header className="panel-head">
          <h2 id="events-title">Matched events</h2>
          {events.length < alert.matched_event_count && (
            <span className="muted">showing {events.length} of {alert.matched_event_count}</span>
          )}
        </header>
        {events.length === 0 ? (
          <Empty>The matched events are no longer stored.</Empty>
        ) : (
          <>
            <MatchedEventsTimeline events={events} />
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th><span className="sr-only">Details</span></th>
                    <th>Time</th><th>Severity</th><th>Event type</th><th>Source</th><th>Destination</th><th>User</th><th>Host</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e) => <EventRows key={e.id} event={e} />)}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      <AlertHistory history={history} />
    </div>
  );
}
