// The status buttons of an alert. The server accepts every transition; this
// offers the ones that make sense from where the alert is on the intended flow
// new -> acknowledged -> investigating -> resolved | false positive, plus reopening.
import { useState } from 'react';
import type { AlertStatus } from '@siem/contracts';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { useUpdateAlertStatus } from '../api/update-alert-status.ts';

export interface StatusAction {
  to: AlertStatus;
  label: string;
  tone?: 'primary' | 'danger';
}

const ACK: StatusAction = { to: 'acknowledged', label: 'Acknowledge', tone: 'primary' };
const INVESTIGATE: StatusAction = { to: 'investigating', label: 'Investigate' };
const RESOLVE: StatusAction = { to: 'resolved', label: 'Resolve', tone: 'primary' };
const FALSE_POSITIVE: StatusAction = { to: 'false_positive', label: 'False positive' };
const REOPEN: StatusAction = { to: 'new', label: 'Reopen' };

export function nextActions(status: AlertStatus): StatusAction[] {
  switch (status) {
    case 'new':
      return [ACK, INVESTIGATE, RESOLVE, FALSE_POSITIVE];
    case 'acknowledged':
      return [INVESTIGATE, RESOLVE, FALSE_POSITIVE];
    case 'investigating':
      return [RESOLVE, FALSE_POSITIVE];
    case 'resolved':
    case 'false_positive':
      return [REOPEN, INVESTIGATE];
  }
}

export function StatusActions({ alertId, status }: { alertId: string; status: AlertStatus }) {
  const [notes, setNotes] = useState('');
  const mutation = useUpdateAlertStatus(alertId);
  const act = (to: AlertStatus) =>
    mutation.mutate({ status: to, ...(notes.trim() ? { notes: notes.trim() } : {}) }, { onSuccess: () => setNotes('') });
  return (
    <section className="card panel" aria-labelledby="actions-title">
      <header className="panel-head">
        <h2 id="actions-title">Triage</h2>
      </header>
      <div className="field">
        <label htmlFor="alert-notes">Notes (saved with the next status change)</label>
        <textarea id="alert-notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={10_000} />
      </div>
      <div className="actions" role="group" aria-label="Change status">
        {nextActions(status).map((a) => (
          <button
            key={a.to}
            type="button"
            className={`btn${a.tone === 'primary' ? ' btn-primary' : ''}`}
            disabled={mutation.isPending}
            onClick={() => act(a.to)}
          >
            {mutation.isPending && mutation.variables?.status === a.to ? `${a.label}…` : a.label}
          </button>
        ))}
      </div>
      <FormError message={mutation.error ? errorMessage(mutation.error) : null} />
    </section>
  );
}
