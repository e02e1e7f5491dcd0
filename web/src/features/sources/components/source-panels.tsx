// The side panels of the Sources page: reporting hosts, recognized formats, and the latest
// lines no parser knew (what needs a parser), shown verbatim in monospace.
import type { SourcesSnapshot } from '@siem/contracts';
import { Link } from 'react-router';
import { Empty } from '../../../components/ui/states.tsx';
import { formatCount, formatDateTime, formatRelative } from '../../../lib/format.ts';

export function TopHostsPanel({ hosts, now }: { hosts: SourcesSnapshot['top_hosts']; now: number }) {
  const max = Math.max(1, ...hosts.map((h) => h.events));
  return (
    <section className="card panel" aria-labelledby="hosts-title" data-testid="top-hosts">
      <header className="panel-head"><h2 id="hosts-title">Top reporting hosts</h2></header>
      {hosts.length === 0 ? <Empty>No host names seen yet.</Empty> : (
        <ol className="bar-list host-list">
          {hosts.map((h) => (
            <li key={h.host}>
              <Link to={`/logs?hostname=${encodeURIComponent(h.host)}`} className="mono clamp" title={`Events from ${h.host}, last ${formatDateTime(h.last_seen)}`}>{h.host}</Link>
              <span className="bar" style={{ width: `${(h.events / max) * 100}%` }} aria-hidden="true" />
              <span className="num">{formatCount(h.events)}</span>
              <span className="muted small nowrap">{formatRelative(h.last_seen, now)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function TopFormatsPanel({ formats }: { formats: SourcesSnapshot['top_formats'] }) {
  const max = Math.max(1, ...formats.map((f) => f.events));
  return (
    <section className="card panel" aria-labelledby="formats-title" data-testid="top-formats">
      <header className="panel-head"><h2 id="formats-title">Formats</h2></header>
      {formats.length === 0 ? <Empty>No events yet.</Empty> : (
        <ol className="bar-list">
          {formats.map((f) => (
            <li key={f.format}>
              <span className="mono">{f.format}</span>
              <span className="bar" style={{ width: `${(f.events / max) * 100}%` }} aria-hidden="true" />
              <span className="num">{formatCount(f.events)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function UnparsedPanel({ samples, now }: { samples: SourcesSnapshot['unparsed_samples']; now: number }) {
  return (
    <section className="card panel" aria-labelledby="unparsed-title" data-testid="unparsed-samples">
      <header className="panel-head">
        <h2 id="unparsed-title">Unparsed lines</h2>
        <span className="muted small">The latest lines no parser recognized: they are stored as generic events with their message.</span>
      </header>
      {samples.length === 0 ? <Empty>No unparsed lines so far.</Empty> : (
        <ol className="sample-list">
          {samples.map((s, i) => (
            <li key={`${s.at}-${i}`}>
              <div className="sample-meta small muted">
                <span>{s.input}</span>
                {s.peer && <span className="mono">from {s.peer}</span>}
                <time dateTime={s.at} title={formatDateTime(s.at)}>{formatRelative(s.at, now)}</time>
              </div>
              <pre className="sample-line">{s.line}</pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
