// One list: its description and items (one per line) and the rules that use it. Engineers
// save (the items replace the list); analysts read. Refused items are shown at their line.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import type { List } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { ErrorState, FormError, Loading } from '../../../components/ui/states.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { useList } from '../api/list.ts';
import { useUpdateList } from '../api/update-list.ts';
import { checkItemLines, lineMessages, parseItemLines } from '../utils/item-lines.ts';
import { ItemErrors } from './item-errors.tsx';

export function ListEditor({ id, canEdit, onClose }: { id: string; canEdit: boolean; onClose: () => void }) {
  const { data, error, isPending, refetch } = useList(id);
  if (isPending) return <Loading label="Loading list…" />;
  if (error || !data) return <ErrorState error={error} onRetry={() => void refetch()} title="Could not load this list" />;
  return <ListForm key={data.id} list={data} canEdit={canEdit} onClose={onClose} />;
}

function ListForm({ list, canEdit, onClose }: { list: List; canEdit: boolean; onClose: () => void }) {
  const update = useUpdateList();
  const [description, setDescription] = useState(list.description);
  const [text, setText] = useState(list.items.join('\n'));
  const [itemErrors, setItemErrors] = useState<string[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseItemLines(text);
    const local = checkItemLines(list.kind, parsed);
    setItemErrors(local);
    setFormError(null);
    setSaved(false);
    if (local.length > 0) return;
    update.mutate({ id: list.id, description, items: parsed.items }, {
      onSuccess: (saved) => {
        // What the server kept: trimmed, de-duplicated, addresses lower-cased.
        setText(saved.items.join('\n'));
        setDescription(saved.description);
        setSaved(true);
      },
      onError: (err) => {
        if (isApiError(err) && err.details.length > 0) {
          setItemErrors(lineMessages(err.details, parsed.lines));
          setFormError(err.message);
        } else setFormError(errorMessage(err));
      },
    });
  };

  return (
    <form className="card panel form" onSubmit={submit} aria-labelledby="list-edit-title" data-testid="list-editor">
      <header className="panel-head">
        <h2 id="list-edit-title">{list.name} <span className="muted small">{list.kind}, {list.item_count} {list.item_count === 1 ? 'item' : 'items'}</span></h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>Close</button>
      </header>
      <p className="muted small">
        Used by: {list.used_by.length === 0 ? 'no rule' : list.used_by.map((u, i) => <span key={u.rule_id}>{i > 0 && ', '}<Link to={`/rules/${u.rule_id}`}>{u.rule_name}</Link></span>)}
        {list.updated_by && <> · last changed by {list.updated_by}</>}
      </p>
      <Field label="Description">
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} readOnly={!canEdit} />
      </Field>
      <Field label="Items, one per line">
        <textarea className="mono" rows={14} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} readOnly={!canEdit} />
      </Field>
      <ItemErrors messages={itemErrors} />
      <FormError message={formError} />
      {canEdit && (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={update.isPending}>{update.isPending ? 'Saving…' : 'Save list'}</button>
          {saved && <span className="muted" role="status">Saved. Rules using it apply the change at once.</span>}
        </div>
      )}
    </form>
  );
}
