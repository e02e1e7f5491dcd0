// The case's editable fields: title, description, severity, status (closing asks for a
// resolution), assignee. Each change is one PATCH; the server records it in the timeline.
import { useState } from 'react';
import { CASE_RESOLUTIONS, CASE_STATUSES, SEVERITIES } from '@siem/contracts';
import type { Case, CaseResolution, CaseStatus, CaseUpdate, Severity } from '@siem/contracts';
import { SeverityBadge } from '../../../components/ui/badges.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatDateTime, humanize } from '../../../lib/format.ts';
import { useUpdateCase } from '../api/cases.ts';
import { CaseStatusBadge, UserInput } from './case-bits.tsx';

export function CaseHeader({ c }: { c: Case }) {
  const update = useUpdateCase(c.id);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(c.title);
  const [description, setDescription] = useState(c.description);
  const [closing, setClosing] = useState(false);
  const [resolution, setResolution] = useState<CaseResolution>('true_positive');
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const save = (body: CaseUpdate, then?: () => void) => update.mutate(body, { onSuccess: () => then?.() });

  return (
    <section className="card panel" aria-labelledby="case-title">
      <header className="panel-head">
        {editing ? (
          <form className="inline-form" style={{ flex: 1 }} onSubmit={(e) => { e.preventDefault(); save({ title: title.trim(), description }, () => setEditing(false)); }}>
            <div className="field" style={{ flex: '1 1 300px' }}>
              <label htmlFor="case-edit-title">Title</label>
              <input id="case-edit-title" value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
            </div>
            <div className="field" style={{ flex: '1 1 100%' }}>
              <label htmlFor="case-edit-description">Description</label>
              <textarea id="case-edit-description" rows={4} value={description} maxLength={10_000} onChange={(e) => setDescription(e.target.value)} />
            </div>
            <button type="submit" className="btn btn-primary btn-small" disabled={update.isPending || !title.trim()}>Save</button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => { setEditing(false); setTitle(c.title); setDescription(c.description); }}>Cancel</button>
          </form>
        ) : (
          <>
            <h1 id="case-title"><SeverityBadge severity={c.severity} /> <span data-testid="case-title">{c.title}</span></h1>
            <span><CaseStatusBadge status={c.status} /> <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>Edit</button></span>
          </>
        )}
      </header>
      {!editing && <p className="pre-wrap">{c.description || <span className="muted">No description.</span>}</p>}
      <div className="case-head-fields">
        <div className="field">
          <label htmlFor="case-severity-edit">Severity</label>
          <select id="case-severity-edit" value={c.severity} disabled={update.isPending} onChange={(e) => save({ severity: e.target.value as Severity })}>
            {SEVERITIES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="case-status-edit">Status</label>
          <select
            id="case-status-edit"
            value={closing ? 'closed' : c.status}
            disabled={update.isPending}
            onChange={(e) => {
              const next = e.target.value as CaseStatus;
              if (next === 'closed' && c.status !== 'closed') setClosing(true);
              else { setClosing(false); save({ status: next }); }
            }}
          >
            {CASE_STATUSES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="case-assignee-edit">Assignee: <strong data-testid="case-assignee">{c.assignee ?? 'nobody'}</strong></label>
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (assignee.trim()) save({ assignee: assignee.trim() }, () => setAssignee('')); }}>
            <UserInput id="case-assignee-edit" value={assignee} onChange={setAssignee} placeholder="username" />
            <button type="submit" className="btn btn-small" disabled={update.isPending || !assignee.trim()}>Assign</button>
            <button type="button" className="btn btn-small btn-ghost" disabled={update.isPending} onClick={() => save({ assignee: 'me' })}>Me</button>
            {c.assignee && <button type="button" className="btn btn-small btn-ghost" disabled={update.isPending} onClick={() => save({ assignee: null })}>Clear</button>}
          </form>
        </div>
      </div>
      {closing && (
        <form className="inline-form" aria-label="Close the case" onSubmit={(e) => { e.preventDefault(); save({ status: 'closed', resolution, resolution_note: note.trim() || null }, () => setClosing(false)); }}>
          <div className="field">
            <label htmlFor="case-resolution">Resolution</label>
            <select id="case-resolution" value={resolution} onChange={(e) => setResolution(e.target.value as CaseResolution)}>
              {CASE_RESOLUTIONS.map((r) => <option key={r} value={r}>{humanize(r)}</option>)}
            </select>
          </div>
          <div className="field field-grow">
            <label htmlFor="case-resolution-note">Note</label>
            <input id="case-resolution-note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </div>
          <button type="submit" className="btn btn-primary btn-small" disabled={update.isPending}>Close case</button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setClosing(false)}>Cancel</button>
        </form>
      )}
      <dl className="kv">
        {c.resolution && <><dt>Resolution</dt><dd>{humanize(c.resolution)}{c.resolution_note ? ` — ${c.resolution_note}` : ''}</dd></>}
        <dt>Created</dt><dd>{formatDateTime(c.created_at)} by {c.created_by}</dd>
        <dt>Updated</dt><dd>{formatDateTime(c.updated_at)}</dd>
        {c.closed_at && <><dt>Closed</dt><dd>{formatDateTime(c.closed_at)}</dd></>}
      </dl>
      <FormError message={update.error ? errorMessage(update.error) : null} />
    </section>
  );
}
