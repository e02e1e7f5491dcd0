// Recent deliveries with their attempts (outcome, HTTP status, latency, error), filterable
// by channel and status; refreshed every 5 s.
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { DELIVERY_STATUSES } from '@siem/contracts';
import type { Channel, DeliveryStatus } from '@siem/contracts';
import { SeverityBadge } from '../../../components/ui/badges.tsx';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useDeliveries } from '../api/deliveries.ts';

export function DeliveriesTable({ channels }: { channels: Channel[] }) {
  const [channelId, setChannelId] = useState('');
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [open, setOpen] = useState<string | null>(null);
  const { data, error, isPending, refetch } = useDeliveries({ channelId, status });
  return (
    <section className="card panel" aria-labelledby="deliveries-title">
      <header className="panel-head">
        <h2 id="deliveries-title">Deliveries</h2>
        <div className="notify-toolbar">
          <label className="sr-only" htmlFor="deliveries-channel">Channel</label>
          <select id="deliveries-channel" value={channelId} onChange={(e) => setChannelId(e.target.value)}>
            <option value="">All channels</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
          <label className="sr-only" htmlFor="deliveries-status">Status</label>
          <select id="deliveries-status" value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}>
            <option value="">Any status</option>
            {DELIVERY_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </header>
      {isPending ? <Loading label="Loading deliveries…" /> : error && !data ? <ErrorState error={error} onRetry={() => void refetch()} /> : !data?.length ? (
        <Empty>No deliveries yet. They appear when an alert matches a channel's routing.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="deliveries-table">
            <thead><tr><th>Queued</th><th>Channel</th><th>Alert</th><th>Status</th><th className="num">Attempts</th><th className="hide-narrow">Last error</th><th><span className="sr-only">Attempts</span></th></tr></thead>
            <tbody>
              {data.map((d) => (
                <Fragment key={d.id}>
                  <tr>
                    <td className="nowrap">{formatDateTime(d.created_at)}</td>
                    <td>{d.channel_name ?? <span className="muted">deleted</span>}</td>
                    <td><SeverityBadge severity={d.severity} /> <Link to={`/alerts/${d.alert_id}`}>{d.alert_title}</Link></td>
                    <td><span className={`notify-status notify-status-${d.status}`}>{d.status}</span>{d.status === 'pending' && d.next_attempt_at && <div className="muted small">next {formatDateTime(d.next_attempt_at)}</div>}</td>
                    <td className="num">{d.attempt_count}</td>
                    <td className="small clamp hide-narrow">{d.last_error ?? ''}</td>
                    <td>{d.attempts.length > 0 && <button type="button" className="btn btn-small" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>Attempts</button>}</td>
                  </tr>
                  {open === d.id && (
                    <tr className="notify-attempts">
                      <td colSpan={7}>
                        <ol className="small">
                          {d.attempts.map((a, i) => (
                            <li key={i}>{formatDateTime(a.at)}: {a.ok ? 'sent' : 'failed'}{a.status_code !== null ? `, HTTP ${a.status_code}` : ''}, {a.latency_ms} ms{a.error ? ` — ${a.error}` : ''}</li>
                          ))}
                        </ol>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
