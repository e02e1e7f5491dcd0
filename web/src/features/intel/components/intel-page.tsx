// Threat intel: indicator lists with their size, feed and last import; engineers and admins
// create lists (manual, or a watched path on the server), upload feed files and edit
// indicators; analysts read. Events matching an indicator are tagged and raise an alert.
import { useState } from 'react';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { Empty, ErrorState, FormError, Loading } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatCount, formatDateTime } from '../../../lib/format.ts';
import { useCanEditRules } from '../../../lib/session.ts';
import { useDeleteIntelList } from '../api/delete-intel-list.ts';
import { useIntelLists } from '../api/intel-lists.ts';
import { IntelListCreateForm } from './intel-list-create-form.tsx';
import { IntelListDetail } from './intel-list-detail.tsx';

export default function IntelPage() {
  const { data, error, isPending, refetch } = useIntelLists();
  const remove = useDeleteIntelList();
  const canEdit = useCanEditRules();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const opened = data?.find((l) => l.id === open) ?? null;

  return (
    <div className="page">
      <header className="page-head">
        <h1>Threat intel</h1>
        {canEdit && <button type="button" className="btn btn-primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>New indicator list</button>}
      </header>
      <p className="muted">Addresses, networks, domains, URLs and file hashes from threat feeds (CSV, STIX 2.1, MISP). An event carrying one is tagged <code>threat-intel-match</code> when it is stored and raises a <em>Threat intel indicator match</em> alert naming the list and the indicator.</p>
      {!canEdit && <p className="muted" data-testid="intel-read-only">Changing indicator lists needs the engineer or admin role; you can read them.</p>}
      {creating && <IntelListCreateForm onCreated={(id) => { setCreating(false); setOpen(id); }} />}
      <FormError message={remove.error ? errorMessage(remove.error) : null} />
      {isPending ? <Loading label="Loading indicator lists…" /> : error && !data ? <ErrorState error={error} onRetry={() => void refetch()} /> : !data?.length ? (
        <Empty>No indicator lists yet.</Empty>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="intel-lists">
            <thead>
              <tr><th>Name</th><th>Feed</th><th className="num">Indicators</th><th className="hide-narrow">Last import</th><th><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {data.map((l) => (
                <tr key={l.id}>
                  <td>
                    <span className="mono">{l.name}</span>{!l.enabled && <span className="muted"> (disabled)</span>}
                    {(l.source || l.description) && <div className="muted small clamp">{[l.source, l.description].filter(Boolean).join(' · ')}</div>}
                  </td>
                  <td>{l.feed_kind === 'watched' ? <span>Watched <span className="mono small">{l.path}</span> ({l.format})</span> : 'Manual and uploads'}</td>
                  <td className="num">{formatCount(l.indicator_count)}</td>
                  <td className="hide-narrow small">
                    {l.last_import ? (
                      <span title={l.last_import.errors.join('\n')}>
                        {formatDateTime(l.last_import.at)} · {l.last_import.format} · {formatCount(l.last_import.imported)} imported
                        {l.last_import.rejected > 0 && <span className="warn-text">, {l.last_import.rejected} refused</span>}
                      </span>
                    ) : <span className="muted">—</span>}
                  </td>
                  <td className="row-actions">
                    <button type="button" className="btn btn-small" aria-expanded={open === l.id} onClick={() => setOpen(open === l.id ? null : l.id)}>Open</button>
                    {canEdit && <ConfirmButton label="Delete" confirmLabel={`Delete ${l.name}`} onConfirm={() => { remove.reset(); remove.mutate(l.id, { onSuccess: () => open === l.id && setOpen(null) }); }} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {opened && <IntelListDetail key={opened.id} list={opened} canEdit={canEdit} onClose={() => setOpen(null)} />}
    </div>
  );
}
