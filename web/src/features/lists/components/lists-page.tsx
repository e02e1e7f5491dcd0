// Shared lists: every list with its kind, size and the rules using it; engineers and admins
// create, edit (items one per line) and delete them (a list in use answers with the rules
// that use it); analysts read.
import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { Empty, ErrorState, FormError, Loading } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useCanEditRules } from '../../../lib/session.ts';
import { useDeleteList } from '../api/delete-list.ts';
import { useLists } from '../api/lists.ts';
import { KIND_LABELS, ListCreateForm } from './list-create-form.tsx';
import { ListEditor } from './list-editor.tsx';

export default function ListsPage() {
  const { data, error, isPending, refetch } = useLists();
  const remove = useDeleteList();
  const canEdit = useCanEditRules();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <div className="page">
      <header className="page-head">
        <h1>Lists</h1>
        {canEdit && <button type="button" className="btn btn-primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>New list</button>}
      </header>
      <p className="muted">Addresses, users, hosts, process names, domains or text that rules match with <code>in_list</code> / <code>not_in_list</code>. A change applies to every rule using the list at once.</p>
      {!canEdit && <p className="muted" data-testid="lists-read-only">Changing shared lists needs the engineer or admin role; you can read them.</p>}
      {creating && <ListCreateForm onCreated={(id) => { setCreating(false); setOpen(id); }} />}
      <FormError message={remove.error ? errorMessage(remove.error) : null} />
      {isPending ? <Loading label="Loading lists…" /> : error && !data ? <ErrorState error={error} onRetry={() => void refetch()} /> : !data?.length ? (
        <Empty>No lists yet.</Empty>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="lists-table">
            <thead>
              <tr><th>Name</th><th>Kind</th><th className="num">Items</th><th>Used by</th><th className="hide-narrow">Updated</th><th><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {data.map((l) => (
                <tr key={l.id}>
                  <td>
                    <span className="mono">{l.name}</span>
                    {l.description && <div className="muted small clamp">{l.description}</div>}
                  </td>
                  <td>{KIND_LABELS[l.kind]}</td>
                  <td className="num">{l.item_count}</td>
                  <td>{l.used_by.length === 0 ? <span className="muted">—</span> : l.used_by.map((u, i) => <span key={u.rule_id}>{i > 0 && ', '}<Link to={`/rules/${u.rule_id}`}>{u.rule_name}</Link></span>)}</td>
                  <td className="hide-narrow nowrap">{formatDateTime(l.updated_at)}</td>
                  <td className="row-actions">
                    <button type="button" className="btn btn-small" aria-expanded={open === l.id} onClick={() => setOpen(open === l.id ? null : l.id)}>{canEdit ? 'Edit' : 'View'}</button>
                    {canEdit && <ConfirmButton label="Delete" confirmLabel={`Delete ${l.name}`} onConfirm={() => { remove.reset(); remove.mutate(l.id, { onSuccess: () => open === l.id && setOpen(null) }); }} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && <ListEditor key={open} id={open} canEdit={canEdit} onClose={() => setOpen(null)} />}
    </div>
  );
}
