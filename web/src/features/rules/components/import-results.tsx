// The per-document outcome of an import: file, title, status, the rule it became (a link),
// the reason and location of a refusal, and warnings.
import { Link } from 'react-router';
import type { ImportItem, ImportResult } from '../api/import-rules.ts';

const STATUS_CLASS: Record<string, string> = { created: 'ok', updated: 'ok', unchanged: 'muted', included: 'muted', refused: 'bad' };

function Location({ location }: { location: ImportItem['location'] }) {
  if (!location || (!location.field && !location.modifier)) return null;
  return (
    <div className="muted small">
      at <span className="mono">{location.field ?? ''}{location.modifier ? `|${location.modifier}` : ''}</span>
    </div>
  );
}

export function ImportResults({ result, dryRun }: { result: ImportResult; dryRun: boolean }) {
  const { created, updated, unchanged, refused } = result;
  return (
    <section className="card panel" aria-labelledby="import-results" data-testid="import-results">
      <header className="panel-head">
        <h2 id="import-results">{dryRun ? 'Dry run: nothing was stored' : 'Imported'}</h2>
        <p className="muted small" role="status">
          {created} {dryRun ? 'would be ' : ''}created · {updated} {dryRun ? 'would be ' : ''}updated · {unchanged} unchanged · {refused} refused
        </p>
      </header>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>File</th><th>Title</th><th>Status</th><th>Rule</th><th>Reason</th><th>Warnings</th></tr></thead>
          <tbody>
            {result.results.map((r, i) => (
              <tr key={`${r.file}-${r.document ?? i}-${i}`} data-status={r.status}>
                <td className="mono small">{r.file}{r.document && r.document > 1 ? ` #${r.document}` : ''}</td>
                <td>{r.title ?? <span className="muted">untitled</span>}{r.sigma_id && <div className="muted small mono">{r.sigma_id}</div>}</td>
                <td><span className={`import-status import-${STATUS_CLASS[r.status] ?? 'muted'}`}>{dryRun && (r.status === 'created' || r.status === 'updated') ? `would be ${r.status}` : r.status}</span></td>
                <td>{r.rule_id ? <Link to={`/rules/${r.rule_id}`}>{r.rule_type ?? 'open'}</Link> : r.rule_type ? <span className="muted">{r.rule_type}</span> : null}</td>
                <td>{r.reason}<Location location={r.location} /></td>
                <td>{r.warnings.length > 0 && <ul className="plain-list small">{r.warnings.map((w) => <li key={w}>{w}</li>)}</ul>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
