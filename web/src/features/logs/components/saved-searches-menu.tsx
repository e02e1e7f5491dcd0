// The Saved searches menu: save the current filters under a name (optionally shared with
// everyone), load one, delete one's own.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../../../lib/api-client.ts';
import { useToasts } from '../../../lib/toast.ts';
import type { LogFilters } from '../api/filters.ts';
import { filtersToSaved, savedToFilters, useDeleteSavedSearch, useSaveSearch, useSavedSearches } from '../api/saved-searches.ts';
import './search-tools.css';
import { useDismiss } from './use-dismiss.ts';

interface Props {
  filters: LogFilters;
  onLoad: (f: LogFilters) => void;
}

export function SavedSearchesMenu({ filters, onLoad }: Props) {
  const menu = useRef<HTMLDetailsElement>(null);
  useDismiss(menu);
  const [opened, setOpened] = useState(false);
  const list = useSavedSearches(opened);
  const save = useSaveSearch();
  const remove = useDeleteSavedSearch();
  const push = useToasts((s) => s.push);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    save.mutate(
      { name: name.trim(), shared, params: filtersToSaved(filters) },
      {
        onSuccess: (s) => {
          push('success', `Saved “${s.name}”`);
          setName('');
          setShared(false);
        },
      },
    );
  };

  return (
    <details className="tool-menu" ref={menu} onToggle={(e) => setOpened((e.currentTarget as HTMLDetailsElement).open)}>
      <summary className="btn btn-small">Saved searches</summary>
      <div className="tool-menu-panel" aria-label="Saved searches">
        <form className="saved-form" onSubmit={submit}>
          <label htmlFor="saved-name" className="small muted">Save the current search as</label>
          <div className="row">
            <input id="saved-name" value={name} maxLength={120} placeholder="Name" onChange={(e) => setName(e.target.value)} />
            <button type="submit" className="btn btn-small btn-primary" disabled={save.isPending || !name.trim()}>Save</button>
          </div>
          <label className="row small">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> Shared with everyone
          </label>
          {save.error && <p className="field-error small" role="alert">{errorMessage(save.error)}</p>}
        </form>
        {list.isPending ? (
          <p className="muted small">Loading…</p>
        ) : list.error ? (
          <p className="muted small">{errorMessage(list.error)}</p>
        ) : list.data.length === 0 ? (
          <p className="muted small">No saved searches yet.</p>
        ) : (
          <ul className="saved-list" data-testid="saved-list">
            {list.data.map((s) => (
              <li key={s.id}>
                <button type="button" className="saved-load" title={s.description || `Load “${s.name}”`} onClick={() => {
                  onLoad(savedToFilters(s.params));
                  if (menu.current) menu.current.open = false;
                }}>
                  {s.name}
                </button>
                {s.shared && <span className="tag" title={s.owner ? `Shared by ${s.owner}` : 'Shared'}>shared</span>}
                {s.editable && (
                  <button type="button" className="btn btn-small btn-ghost" aria-label={`Delete “${s.name}”`} disabled={remove.isPending}
                    onClick={() => remove.mutate(s.id, { onError: (e) => push('error', errorMessage(e)) })}>
                    ✕
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
