// The event drawer: normalized fields, the fields the parsers extracted, the raw JSON, one-click pivots on addresses,
// user and host, and a preview of other events sharing the source address.
import type { LogEvent } from '@siem/contracts';
import { SeverityBadge, Tag } from '../../../components/ui/badges.tsx';
import { Drawer } from '../../../components/ui/drawer.tsx';
import { AddressFacts, GeoAttribution } from '../../../components/ui/address-facts.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { PivotLink } from '../../../components/ui/pivot-link.tsx';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatDateTime, formatTime } from '../../../lib/format.ts';
import { mitreUrl } from '../../../lib/mitre.ts';
import { useLogEvent } from '../api/log-event.ts';
import { PIVOT_PREVIEW, usePivot } from '../api/pivot.ts';
import { ThreatMatches } from '../../../components/ui/threat-matches.tsx';

function Related({ event, onClose }: { event: LogEvent; onClose: () => void }) {
  const { data, isPending, error } = usePivot('ip', event.source_ip);
  if (!event.source_ip) return null;
  return (
    <section className="related" aria-labelledby="related-title">
      <h3 id="related-title">Recent events from {event.source_ip}</h3>
      {isPending ? <Loading /> : error ? <ErrorState error={error} /> : (
        <ul className="related-list">
          {data!.map((e) => (
            <li key={e.id} className={e.id === event.id ? 'is-current' : undefined}>
              <span className="mono">{formatTime(e.timestamp)}</span> <SeverityBadge severity={e.severity} /> {e.event_type ?? e.source_type}
            </li>
          ))}
          {data!.length >= PIVOT_PREVIEW && (
            <li><PivotLink field="source_ip" value={event.source_ip} onNavigate={onClose} /> — show all</li>
          )}
        </ul>
      )}
    </section>
  );
}

export function EventDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { data: e, error, isPending, refetch } = useLogEvent(id);
  return (
    <Drawer title="Event" onClose={onClose}>
      {isPending ? <Loading label="Loading event…" /> : error || !e ? <ErrorState error={error} onRetry={() => void refetch()} /> : (
        <>
          <dl className="kv" data-testid="event-fields">
            <dt>Time</dt><dd className="mono">{formatDateTime(e.timestamp)}</dd>
            <dt>Severity</dt><dd><SeverityBadge severity={e.severity} /></dd>
            <dt>Source type</dt><dd>{e.source_type}</dd>
            <dt>Event type</dt><dd>{e.event_type ?? '—'}</dd>
            <dt>Source</dt><dd><PivotLink field="source_ip" value={e.source_ip} onNavigate={onClose} />{e.source_port !== null && <span className="muted">:{e.source_port}</span>}<AddressFacts fields={e.fields} side="source" /></dd>
            <dt>Destination</dt><dd><PivotLink field="dest_ip" value={e.dest_ip} onNavigate={onClose} />{e.dest_port !== null && <span className="muted">:{e.dest_port}</span>}<AddressFacts fields={e.fields} side="destination" /></dd>
            <dt>User</dt><dd><PivotLink field="username" value={e.username} onNavigate={onClose} /></dd>
            <dt>Host</dt><dd><PivotLink field="hostname" value={e.hostname} onNavigate={onClose} /></dd>
            <dt>MITRE</dt>
            <dd className="tags">
              {[e.mitre_tactic, e.mitre_technique].filter((m): m is string => !!m).map((m) => <Tag key={m} href={mitreUrl(m)}>{m}</Tag>)}
              {!e.mitre_tactic && !e.mitre_technique && '—'}
            </dd>
            {Object.entries(e.normalized).map(([k, v]) => (
              <FragmentRow key={k} label={k} value={v} />
            ))}
            <dt>Id</dt><dd className="mono small">{e.id}</dd>
          </dl>
          <GeoAttribution fields={e.fields} />
          <ThreatMatches fields={e.fields} />
          {e.fields && Object.keys(e.fields).length > 0 && (
            <section aria-labelledby="parsed-fields-title">
              <h3 id="parsed-fields-title">Parsed fields</h3>
              <dl className="kv" data-testid="parsed-fields">
                {Object.entries(e.fields).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => (
                  <FragmentRow key={k} label={k} value={v} />
                ))}
              </dl>
            </section>
          )}
          <JsonView label="Raw event" value={e.raw} />
          {Object.keys(e.metadata).length > 0 && <JsonView label="Metadata" value={e.metadata} />}
          <Related event={e} onClose={onClose} />
        </>
      )}
    </Drawer>
  );
}

function FragmentRow({ label, value }: { label: string; value: unknown }) {
  return (
    <>
      <dt className="normalized-key">{label}</dt>
      <dd className="mono">{value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
    </>
  );
}
