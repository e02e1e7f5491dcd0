// New indicator list: name, source, default confidence, and how it is filled (by hand and
// uploads, or a file or directory on the server under INTEL_WATCH_ROOT, re-read on change).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { INTEL_FORMATS } from '@siem/contracts';
import type { IntelFeedKind, IntelFormat } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { useCreateIntelList } from '../api/create-intel-list.ts';

export function IntelListCreateForm({ onCreated }: { onCreated: (id: string) => void }) {
  const create = useCreateIntelList();
  const [name, setName] = useState('');
  const [source, setSource] = useState('');
  const [confidence, setConfidence] = useState('50');
  const [feedKind, setFeedKind] = useState<IntelFeedKind>('manual');
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<IntelFormat>('csv');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    const watched = feedKind === 'watched';
    create.mutate({ name: name.trim(), source, default_confidence: confidence, feed_kind: feedKind, path: watched ? path : null, format: watched ? format : null }, {
      onSuccess: (list) => onCreated(list.id),
      onError: (err) => {
        if (!isApiError(err)) return setErrors({ _form: errorMessage(err) });
        const fields: Record<string, string> = {};
        for (const d of err.details) fields[d.field || '_form'] ??= d.message;
        if (err.status === 409) fields.name = err.message;
        else if (err.details.length === 0) fields[watched ? 'path' : '_form'] = err.message;
        setErrors(fields);
      },
    });
  };

  return (
    <form className="card panel form" onSubmit={submit} aria-labelledby="new-intel-title" data-testid="intel-create-form">
      <header className="panel-head"><h2 id="new-intel-title">New indicator list</h2></header>
      <div className="form-grid">
        <Field label="Name" error={errors.name} hint="Named in alert titles">
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
        </Field>
        <Field label="Source" error={errors.source} hint="The feed or provider, for analysts">
          <input value={source} onChange={(e) => setSource(e.target.value)} maxLength={200} />
        </Field>
        <Field label="Default confidence (0-100)" error={errors.default_confidence}>
          <input type="number" min={0} max={100} value={confidence} onChange={(e) => setConfidence(e.target.value)} />
        </Field>
        <Field label="Filled by" error={errors.feed_kind}>
          <select value={feedKind} onChange={(e) => setFeedKind(e.target.value as IntelFeedKind)}>
            <option value="manual">Hand and uploads</option>
            <option value="watched">A watched path on the server</option>
          </select>
        </Field>
        {feedKind === 'watched' && (
          <>
            <Field label="Path" error={errors.path} hint="A file or directory under INTEL_WATCH_ROOT">
              <input className="mono" value={path} onChange={(e) => setPath(e.target.value)} maxLength={1024} required />
            </Field>
            <Field label="Format" error={errors.format}>
              <select value={format} onChange={(e) => setFormat(e.target.value as IntelFormat)}>
                {INTEL_FORMATS.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </Field>
          </>
        )}
      </div>
      <FormError message={errors._form} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create list'}</button>
      </div>
    </form>
  );
}
