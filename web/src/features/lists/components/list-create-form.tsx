// New list: name, kind, description and the first items (one per line). Items are checked
// here with the server's own rules first; what the server still refuses comes back at its line.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { LIST_KINDS } from '@siem/contracts';
import type { ListKind } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { useCreateList } from '../api/create-list.ts';
import { checkItemLines, lineMessages, parseItemLines } from '../utils/item-lines.ts';
import { ItemErrors } from './item-errors.tsx';

export const KIND_LABELS: Record<ListKind, string> = {
  ip: 'Addresses and networks',
  user: 'User names',
  host: 'Host names',
  process: 'Process names',
  domain: 'Domains',
  text: 'Free text',
};

export function ListCreateForm({ onCreated }: { onCreated: (id: string) => void }) {
  const create = useCreateList();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ListKind>('ip');
  const [description, setDescription] = useState('');
  const [text, setText] = useState('');
  const [itemErrors, setItemErrors] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseItemLines(text);
    const local = checkItemLines(kind, parsed);
    setItemErrors(local);
    setFieldErrors({});
    if (local.length > 0) return;
    create.mutate({ name: name.trim(), kind, description, items: parsed.items }, {
      onSuccess: (list) => onCreated(list.id),
      onError: (err) => {
        if (!isApiError(err)) return setFieldErrors({ _form: errorMessage(err) });
        const items = err.details.filter((d) => d.field.startsWith('items'));
        const others = err.details.filter((d) => !d.field.startsWith('items'));
        setItemErrors(lineMessages(items, parsed.lines));
        const fields: Record<string, string> = {};
        for (const d of others) fields[d.field || '_form'] ??= d.message;
        if (err.status === 409) fields.name = err.message;
        if (err.details.length === 0 && err.status !== 409) fields._form = err.message;
        setFieldErrors(fields);
      },
    });
  };

  return (
    <form className="card panel form" onSubmit={submit} aria-labelledby="new-list-title" data-testid="list-create-form">
      <header className="panel-head"><h2 id="new-list-title">New list</h2></header>
      <div className="form-grid">
        <Field label="Name" error={fieldErrors.name} hint="Lowercase letters, digits, _ . -; rules name it in in_list">
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
        </Field>
        <Field label="Kind" error={fieldErrors.kind}>
          <select value={kind} onChange={(e) => setKind(e.target.value as ListKind)}>
            {LIST_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
          </select>
        </Field>
      </div>
      <Field label="Description" error={fieldErrors.description}>
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
      </Field>
      <Field label="Items, one per line" hint="Duplicates are collapsed; addresses may be networks (10.0.0.0/8)">
        <textarea className="mono" rows={8} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <ItemErrors messages={itemErrors} />
      <FormError message={fieldErrors._form} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create list'}</button>
      </div>
    </form>
  );
}
