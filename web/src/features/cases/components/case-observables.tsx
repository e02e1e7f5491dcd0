// Observables: the table, a form to add one by hand, and one button per linked alert
// that adds the observables of its matched events.
import { useState } from 'react';
import { OBSERVABLE_TYPES } from '@siem/contracts';
import type { Alert, CaseObservable, ObservableType } from '@siem/contracts';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { Empty, FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { toast } from '../../../lib/toast.ts';
import { useAddObservable, useObservablesFromAlert, useRemoveObservable } from '../api/cases.ts';

export function CaseObservables({ caseId, observables, alerts }: { caseId: string; observables: CaseObservable[]; alerts: Alert[] }) {
  const [type, setType] = useState<ObservableType>('ip');
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const add = useAddObservable(caseId);
  const fromAlert = useObservablesFromAlert();
  const remove = useRemoveObservable(caseId);
  const error = add.error ?? fromAlert.error ?? remove.error;
  return (
    <section className="card panel" aria-labelledby="case-observables-title">
      <header className="panel-head"><h2 id="case-observables-title">Observables</h2></header>
      {observables.length === 0 ? <Empty>No observables yet.</Empty> : (
        <div className="table-wrap">
          <table className="table" data-testid="case-observables">
            <thead><tr><th>Type</th><th>Value</th><th>Note</th><th>Added by</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {observables.map((o) => (
                <tr key={o.id}>
                  <td>{o.type}</td>
                  <td className="mono">{o.value}</td>
                  <td>{o.note ?? ''}</td>
                  <td>{o.added_by}</td>
                  <td><ConfirmButton label="Remove" onConfirm={() => remove.mutate(o.id)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="inline-form" aria-label="Add an observable" onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ type, value: value.trim(), note: note.trim() || null }, { onSuccess: () => { setValue(''); setNote(''); } });
      }}>
        <div className="field">
          <label htmlFor="obs-type">Type</label>
          <select id="obs-type" value={type} onChange={(e) => setType(e.target.value as ObservableType)}>
            {OBSERVABLE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
        <div className="field field-grow">
          <label htmlFor="obs-value">Value</label>
          <input id="obs-value" value={value} maxLength={1024} onChange={(e) => setValue(e.target.value)} />
        </div>
        <div className="field field-grow">
          <label htmlFor="obs-note">Note</label>
          <input id="obs-note" value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-small btn-primary" disabled={add.isPending || !value.trim()}>Add observable</button>
      </form>
      {alerts.length > 0 && (
        <div className="actions" aria-label="Observables from alerts">
          {alerts.slice(0, 10).map((a) => (
            <button key={a.id} type="button" className="btn btn-small" disabled={fromAlert.isPending}
              onClick={() => fromAlert.mutate({ caseId, alertId: a.id }, { onSuccess: (r) => toast.success(`${r.added.length} observable(s) added`) })}>
              From alert: {a.title.length > 40 ? `${a.title.slice(0, 39)}…` : a.title}
            </button>
          ))}
        </div>
      )}
      <FormError message={error ? errorMessage(error) : null} />
    </section>
  );
}
