// /rules/new and /rules/:ruleId: the form (and, for a stored rule, its test panel and its
// change history). Analysts see a stored rule read-only and cannot open /rules/new.
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useCanEditRules } from '../../../lib/session.ts';
import { toast } from '../../../lib/toast.ts';
import { useCreateRule } from '../api/create-rule.ts';
import { ruleWarnings } from '../api/rule-answer.ts';
import type { RuleWarningNote } from '../api/rule-answer.ts';
import { useRule } from '../api/rule.ts';
import { useUpdateRule } from '../api/update-rule.ts';
import { bodyToDraft, emptyDraft, ruleToDraft } from '../utils/rule-draft.ts';
import { RuleForm } from './rule-form.tsx';
import { RuleHistory } from './rule-history.tsx';
import { RuleTestPanel } from './rule-test-panel.tsx';

export default function RuleEditPage() {
  const { ruleId } = useParams();
  const navigate = useNavigate();
  const rule = useRule(ruleId);
  const create = useCreateRule();
  const update = useUpdateRule(ruleId ?? '');
  const canEdit = useCanEditRules();
  // A new rule's warnings arrive with the navigation to its page; a save's replace them.
  const location = useLocation();
  const [warnings, setWarnings] = useState<RuleWarningNote[]>(() => (location.state as { warnings?: RuleWarningNote[] } | null)?.warnings ?? []);
  // "Create detection" on the Logs page arrives with a draft rule body made from the search.
  const [prefill] = useState(() => (location.state as { draft?: Record<string, unknown> } | null)?.draft);
  const readOnlyNote = <p className="muted" data-testid="rule-read-only">Changing detection rules needs the engineer or admin role.</p>;

  if (!ruleId && !canEdit) {
    return (
      <div className="page">
        <nav className="crumbs" aria-label="Breadcrumb"><Link to="/rules">Rules</Link> / <span>New</span></nav>
        <header className="page-head"><h1>New rule</h1></header>
        {readOnlyNote}
      </div>
    );
  }
  if (!ruleId) {
    return (
      <div className="page">
        <nav className="crumbs" aria-label="Breadcrumb"><Link to="/rules">Rules</Link> / <span>New</span></nav>
        <header className="page-head"><h1>New rule</h1></header>
        <RuleForm mode="create" initial={prefill ? bodyToDraft(prefill) : emptyDraft()} submitLabel="Create rule" onSubmit={async (body) => {
          const r = await create.mutateAsync(body);
          toast.success(`Rule "${r.name}" created`);
          navigate(`/rules/${r.id}`, { state: { warnings: ruleWarnings(r) } });
        }} />
      </div>
    );
  }
  if (rule.isPending) return <div className="page"><Loading label="Loading rule…" /></div>;
  if (rule.error || !rule.data) return <div className="page"><ErrorState error={rule.error} onRetry={() => void rule.refetch()} /></div>;
  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to="/rules">Rules</Link> / <span>{rule.data.name}</span></nav>
      <header className="page-head"><h1>{rule.data.name}</h1></header>
      {!canEdit && readOnlyNote}
      {/* A disabled fieldset disables every input and button of the form at once. */}
      <fieldset className="plain-fieldset" disabled={!canEdit}>
        <RuleForm key={rule.data.id} mode="edit" initial={ruleToDraft(rule.data)} submitLabel="Save changes" warnings={warnings} onSubmit={async (body) => {
          const r = await update.mutateAsync(body);
          setWarnings(ruleWarnings(r));
          toast.success(`Rule "${r.name}" saved`);
        }} />
      </fieldset>
      <RuleTestPanel ruleId={rule.data.id} />
      <RuleHistory ruleId={rule.data.id} />
    </div>
  );
}
