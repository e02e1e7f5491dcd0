// The case list with its filters in the URL, a form for a case with no alert yet, and
// "My cases" (the open and in-progress cases assigned to the caller).
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CASE_STATUSES, SEVERITIES } from '@siem/contracts';
import type { Severity } from '@siem/contracts';
import { SeverityBadge } from '../../../components/ui/badges.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { Empty, ErrorState, FormError, Loading } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatRelative, humanize } from '../../../lib/format.ts';
import { caseFiltersFromParams, useCases, useCreateCase } from '../api/cases.ts';
import type { CaseFilters } from '../api/cases.ts';
import { CaseStatusBadge } from './case-bits.tsx';

function CasesTable({ filters, onPage, emptyText }: { filters: CaseFilters; onPage: (p: number) => void; emptyText: string }) {
  const { data, error, isPending, refetch } = useCases(filters);
  if (isPending) return <Loading label="Loading cases…" />;
  if (error && !data) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!data || data.items.length === 0) return <Empty>{emptyText}</Empty>;
  return (
    <>
      <div className="table-wrap card">
        <table className="table" data-testid="cases-table">
          <thead>
            <tr><th>Severity</th><th>Case</th><th>Status</th><th>Assignee</th><th className="num">Alerts</th><th>Updated</th></tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={c.id}>
                <td><SeverityBadge severity={c.severity} /></td>
                <td><Link to={`/cases/${c.id}`}>{c.title}</Link></td>
                <td><CaseStatusBadge status={c.status} />{c.resolution && <span className="muted small"> {humanize(c.resolution)}</span>}</td>
                <td>{c.assignee ?? <span className="muted">—</span>}</td>
                <td className="num">{c.alert_count}</td>
                <td className="nowrap" title={c.updated_at}>{formatRelative(c.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={data.page} pages={data.pages} total={data.total} onPage={onPage} />
    </>
  );
}

function NewCase({ onDone }: { onDone: () => void }) {
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('medium');
  const create = useCreateCase();
  const navigate = useNavigate();
  return (
    <form
      className="card panel form"
      aria-label="New case"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ title: title.trim(), severity }, { onSuccess: (c) => { onDone(); void navigate(`/cases/${c.id}`); } });
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor="case-new-title">Title</label>
          <input id="case-new-title" value={title} required maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="case-new-severity">Severity</label>
          <select id="case-new-severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
            {SEVERITIES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !title.trim()}>Create case</button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>Cancel</button>
      </div>
      <FormError message={create.error ? errorMessage(create.error) : null} />
    </form>
  );
}

export default function CasesPage() {
  const [params, setParams] = useSearchParams();
  const filters = caseFiltersFromParams(params);
  const [creating, setCreating] = useState(false);
  const [q, setQ] = useState(filters.q ?? '');
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: key !== 'page' });
  };
  const filtered = Object.keys(filters).length > 1;
  return (
    <div className="page">
      <header className="page-head">
        <h1>Cases</h1>
        {!creating && <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New case</button>}
      </header>
      {creating && <NewCase onDone={() => setCreating(false)} />}
      <div className="filters card" role="search" aria-label="Case filters">
        <div className="field">
          <label htmlFor="case-status">Status</label>
          <select id="case-status" value={filters.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any status</option>
            <option value="active">Active (open, in progress)</option>
            {CASE_STATUSES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="case-severity">Severity</label>
          <select id="case-severity" value={filters.severity ?? ''} onChange={(e) => set('severity', e.target.value)}>
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="case-assignee">Assignee</label>
          <select id="case-assignee" value={filters.assignee === 'me' ? 'me' : ''} onChange={(e) => set('assignee', e.target.value)}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="case-mentioned">Mentions</label>
          <select id="case-mentioned" value={filters.mentioned === 'me' ? 'me' : ''} onChange={(e) => set('mentioned', e.target.value)}>
            <option value="">Any</option>
            <option value="me">Mentioned me</option>
          </select>
        </div>
        <form className="field field-grow" onSubmit={(e) => { e.preventDefault(); set('q', q.trim()); }}>
          <label htmlFor="case-q">Search title and description</label>
          <input id="case-q" type="search" value={q} maxLength={200} onChange={(e) => setQ(e.target.value)} onBlur={() => set('q', q.trim())} />
        </form>
      </div>
      <CasesTable filters={filters} onPage={(p) => set('page', String(p))} emptyText={filtered ? 'No case matches these filters.' : 'No cases yet. Create one here or from an alert.'} />
    </div>
  );
}

export function MyCasesPage() {
  const [page, setPage] = useState(1);
  return (
    <div className="page">
      <header className="page-head"><h1>My cases</h1><Link to="/cases">All cases</Link></header>
      <p className="muted">Open and in-progress cases assigned to you.</p>
      <CasesTable filters={{ assignee: 'me', status: 'active', page }} onPage={setPage} emptyText="No open case is assigned to you." />
    </div>
  );
}
