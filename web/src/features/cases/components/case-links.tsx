// The alerts and log events linked to a case, with unlinking, and linking events by id.
import { useState } from 'react';
import { Link } from 'react-router';
import type { Alert, LogEvent } from '@siem/contracts';
import { SeverityBadge, StatusBadge } from '../../../components/ui/badges.tsx';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { Empty, FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { useLinkEvents, useUnlinkAlert, useUnlinkEvent } from '../api/cases.ts';

export function CaseAlerts({ caseId, alerts }: { caseId: string; alerts: Alert[] }) {
  const unlink = useUnlinkAlert(caseId);
  return (
    <section className="card panel" aria-labelledby="case-alerts-title">
      <header className="panel-head"><h2 id="case-alerts-title">Alerts</h2><span className="muted">{alerts.length}</span></header>
      {alerts.length === 0 ? <Empty>No alert linked. Add alerts from their detail page.</Empty> : (
        <div className="table-wrap">
          <table className="table" data-testid="case-alerts">
            <thead><tr><th>Severity</th><th>Alert</th><th>Status</th><th>Assignee</th><th>Raised</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td><SeverityBadge severity={a.severity} /></td>
                  <td><Link to={`/alerts/${a.id}`}>{a.title}</Link></td>
                  <td><StatusBadge status={a.status} /></td>
                  <td>{a.assignee ?? '—'}</td>
                  <td className="nowrap">{formatRelative(a.created_at)}</td>
                  <td><ConfirmButton label="Unlink" onConfirm={() => unlink.mutate(a.id)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError message={unlink.error ? errorMessage(unlink.error) : null} />
    </section>
  );
}

export function CaseEvents({ caseId, events, eventIds }: { caseId: string; events: LogEvent[]; eventIds: string[] }) {
  const [ids, setIds] = useState('');
  const link = useLinkEvents(caseId);
  const unlink = useUnlinkEvent(caseId);
  const stored = new Set(events.map((e) => e.id));
  const gone = eventIds.filter((id) => !stored.has(id));
  const error = link.error ?? unlink.error;
  return (
    <section className="card panel" aria-labelledby="case-events-title">
      <header className="panel-head"><h2 id="case-events-title">Log events</h2><span className="muted">{eventIds.length}</span></header>
      {eventIds.length === 0 ? <Empty>No event linked.</Empty> : (
        <div className="table-wrap">
          <table className="table" data-testid="case-events">
            <thead><tr><th>Time</th><th>Type</th><th>Source</th><th>User</th><th>Host</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="mono nowrap">{formatDateTime(e.timestamp)}</td>
                  <td>{e.event_type ?? '—'}</td>
                  <td className="mono">{e.source_ip ?? '—'}</td>
                  <td>{e.username ?? '—'}</td>
                  <td>{e.hostname ?? '—'}</td>
                  <td><ConfirmButton label="Unlink" onConfirm={() => unlink.mutate(e.id)} /></td>
                </tr>
              ))}
              {gone.map((id) => (
                <tr key={id}><td colSpan={5} className="muted mono">{id} (no longer stored)</td><td><ConfirmButton label="Unlink" onConfirm={() => unlink.mutate(id)} /></td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="inline-form" aria-label="Link events" onSubmit={(e) => {
        e.preventDefault();
        const list = ids.split(/[\s,]+/).filter(Boolean).slice(0, 100);
        if (list.length) link.mutate(list, { onSuccess: () => setIds('') });
      }}>
        <div className="field field-grow">
          <label htmlFor="case-link-events">Event ids (from the Logs page), separated by spaces or commas</label>
          <input id="case-link-events" value={ids} maxLength={3000} onChange={(e) => setIds(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-small" disabled={link.isPending || !ids.trim()}>Link events</button>
      </form>
      <FormError message={error ? errorMessage(error) : null} />
    </section>
  );
}
