// The alert detail's assignment and case panel: who the alert is assigned to (assign to
// me, to someone, or clear), the cases it belongs to, and "New case" / "Add to case".
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Alert, AlertCaseRef } from '@siem/contracts';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { useSession } from '../../../lib/session.ts';
import { toast } from '../../../lib/toast.ts';
import { useAssignAlert, useCases, useCreateCase, useLinkAlerts } from '../api/cases.ts';
import { CaseStatusBadge, UserInput } from './case-bits.tsx';

function AssignControl({ alert }: { alert: Alert }) {
  const me = useSession((s) => s.user?.username);
  const [name, setName] = useState('');
  const assign = useAssignAlert(alert.id);
  const current = alert.assignee ?? null;
  return (
    <div className="form" data-testid="alert-assign">
      <p>
        Assigned to: <strong data-testid="alert-assignee">{current ?? 'nobody'}</strong>
      </p>
      <div className="inline-form">
        {current !== me && (
          <button type="button" className="btn btn-small btn-primary" disabled={assign.isPending} onClick={() => assign.mutate('me')}>
            Assign to me
          </button>
        )}
        <UserInput label="Assign to user" value={name} onChange={setName} placeholder="username" />
        <button
          type="button"
          className="btn btn-small"
          disabled={assign.isPending || !name.trim()}
          onClick={() => assign.mutate(name.trim(), { onSuccess: () => setName('') })}
        >
          Assign
        </button>
        {current && (
          <button type="button" className="btn btn-small btn-ghost" disabled={assign.isPending} onClick={() => assign.mutate(null)}>
            Unassign
          </button>
        )}
      </div>
      <FormError message={assign.error ? errorMessage(assign.error) : null} />
    </div>
  );
}

function NewCaseForm({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const [title, setTitle] = useState(alert.title);
  const create = useCreateCase();
  const navigate = useNavigate();
  return (
    <form
      className="form"
      aria-label="New case"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ title: title.trim(), alert_ids: [alert.id] }, {
          onSuccess: (c) => {
            onDone();
            toast.success('Case created');
            void navigate(`/cases/${c.id}`);
          },
        });
      }}
    >
      <div className="field">
        <label htmlFor="new-case-title">Case title</label>
        <input id="new-case-title" value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={create.isPending || !title.trim()}>Create case</button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onDone}>Cancel</button>
      </div>
      <FormError message={create.error ? errorMessage(create.error) : null} />
    </form>
  );
}

function AddToCaseForm({ alert, cases, onDone }: { alert: Alert; cases: AlertCaseRef[]; onDone: () => void }) {
  const open = useCases({ status: 'active', page: 1 });
  const [caseId, setCaseId] = useState('');
  const link = useLinkAlerts();
  const member = new Set(cases.map((c) => c.id));
  const choices = (open.data?.items ?? []).filter((c) => !member.has(c.id));
  return (
    <form
      className="inline-form"
      aria-label="Add to case"
      onSubmit={(e) => {
        e.preventDefault();
        if (caseId) link.mutate({ caseId, alertIds: [alert.id] }, { onSuccess: () => { toast.success('Alert added to the case'); onDone(); } });
      }}
    >
      <div className="field">
        <label htmlFor="add-to-case">Open case</label>
        <select id="add-to-case" value={caseId} onChange={(e) => setCaseId(e.target.value)}>
          <option value="">{open.isPending ? 'Loading…' : choices.length ? 'Choose a case' : 'No other open case'}</option>
          {choices.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
        </select>
      </div>
      <button type="submit" className="btn btn-small btn-primary" disabled={!caseId || link.isPending}>Add</button>
      <button type="button" className="btn btn-small btn-ghost" onClick={onDone}>Cancel</button>
      <FormError message={link.error ? errorMessage(link.error) : null} />
    </form>
  );
}

export function AlertCaseActions({ alert, cases = [] }: { alert: Alert; cases?: AlertCaseRef[] }) {
  const [mode, setMode] = useState<'none' | 'new' | 'add'>('none');
  return (
    <section className="card panel" aria-labelledby="alert-cases-title" data-testid="alert-case-actions">
      <header className="panel-head"><h2 id="alert-cases-title">Assignment and cases</h2></header>
      <AssignControl alert={alert} />
      <div>
        <h3 className="small muted">Cases</h3>
        {cases.length === 0 ? (
          <p className="muted">In no case yet.</p>
        ) : (
          <ul data-testid="alert-cases">
            {cases.map((c) => (
              <li key={c.id}><Link to={`/cases/${c.id}`}>{c.title}</Link> <CaseStatusBadge status={c.status} /></li>
            ))}
          </ul>
        )}
      </div>
      {mode === 'new' ? (
        <NewCaseForm alert={alert} onDone={() => setMode('none')} />
      ) : mode === 'add' ? (
        <AddToCaseForm alert={alert} cases={cases} onDone={() => setMode('none')} />
      ) : (
        <div className="actions">
          <button type="button" className="btn btn-small btn-primary" onClick={() => setMode('new')}>New case</button>
          <button type="button" className="btn btn-small" onClick={() => setMode('add')}>Add to case</button>
        </div>
      )}
    </section>
  );
}
