// The rule list: test; for engineers and admins also enable/disable in place, edit and delete
// (analysts see the same list read-only: the server would refuse their changes). Each
// enabled rule shows what the live correlation did with it (matched, alerts, errors).
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SeverityBadge, Tag } from '../../../components/ui/badges.tsx';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import type { CorrelationRuleStats } from '@siem/contracts';
import { formatCount, formatDateTime, humanize } from '../../../lib/format.ts';
import { mitreUrl } from '../../../lib/mitre.ts';
import { useCanEditRules } from '../../../lib/session.ts';
import { useCorrelationRules } from '../api/correlation-rules.ts';
import { useDeleteRule } from '../api/delete-rule.ts';
import { useRules } from '../api/rules.ts';
import { useToggleRule } from '../api/update-rule.ts';
import { RuleTestPanel } from './rule-test-panel.tsx';
import { ruleHasTechnique } from '../utils/technique-filter.ts';

/** Matched / alerts / errors of one rule; the last error (or why it cannot run) on hover. */
function RuleActivity({ stats }: { stats: CorrelationRuleStats | undefined }) {
  if (!stats) return <span className="muted">—</span>;
  const title = stats.last_error ? `${stats.last_error}${stats.last_error_at ? ` (${formatDateTime(stats.last_error_at)})` : ''}` : undefined;
  const failing = stats.errors > 0 || stats.last_error !== null;
  return (
    <span className="small" data-testid="rule-activity" title={title}>
      {formatCount(stats.events_matched)} matched · {formatCount(stats.alerts)} alerts
      {failing && <> · <span className="warn-text">{stats.errors > 0 ? `${formatCount(stats.errors)} errors` : 'cannot run'}</span></>}
    </span>
  );
}

export default function RulesPage() {
  const { data, error, isPending, refetch } = useRules();
  // Optional figures: the list works without them (an older server, a failed request).
  const activity = useCorrelationRules();
  const statsById = new Map((activity.data?.rules ?? []).map((s) => [s.rule_id, s]));
  const toggle = useToggleRule();
  const remove = useDeleteRule();
  const [testing, setTesting] = useState<string | null>(null);
  const canEdit = useCanEditRules();
  // `?technique=T1110` (from the coverage view) lists the rules naming it or a sub-technique.
  const [params, setParams] = useSearchParams();
  const technique = params.get('technique')?.trim() ?? '';
  const rows = technique ? data?.filter((r) => ruleHasTechnique(r, technique)) : data;
  return (
    <div className="page">
      <header className="page-head">
        <h1>Rules</h1>
        {canEdit && (
          <div className="actions">
            <Link className="btn" to="/rules/import">Import Sigma</Link>
            <Link className="btn btn-primary" to="/rules/new">New rule</Link>
          </div>
        )}
      </header>
      {!canEdit && <p className="muted" data-testid="rules-read-only">Changing detection rules needs the engineer or admin role; you can read and test them.</p>}
      {technique && (
        <p className="notice" data-testid="technique-filter">
          Rules for technique <span className="mono">{technique}</span> and its sub-techniques.{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setParams({})}>Show all rules</button>
        </p>
      )}
      {isPending ? <Loading label="Loading rules…" /> : error && !data ? <ErrorState error={error} onRetry={() => void refetch()} /> : !rows?.length ? (
        <Empty>{technique ? 'No rule names this technique.' : <>No rules yet.{canEdit && <> <Link to="/rules/new">Create the first one.</Link></>}</>}</Empty>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="rules-table">
            <thead>
              <tr><th>Enabled</th><th>Name</th><th>Type</th><th>Severity</th><th title="Since the correlating process started counting">Activity</th><th>MITRE</th><th><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <button type="button" role="switch" aria-checked={r.enabled} className={`switch${r.enabled ? ' on' : ''}`} disabled={!canEdit}
                      aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`} onClick={() => toggle.mutate({ id: r.id, enabled: !r.enabled })}>
                      <span className="switch-knob" />
                    </button>
                  </td>
                  <td>
                    <Link to={`/rules/${r.id}`}>{r.name}</Link>
                    {r.description && <div className="muted small clamp">{r.description}</div>}
                    {(r.tags ?? []).length > 0 && (
                      <div className="tags" style={{ marginTop: ".25rem" }} data-testid="rule-row-tags">{(r.tags ?? []).map((t) => <Tag key={t}>{t}</Tag>)}</div>
                    )}
                  </td>
                  <td>{humanize(r.rule_type)}</td>
                  <td><SeverityBadge severity={r.severity} /></td>
                  <td>{r.enabled ? <RuleActivity stats={statsById.get(r.id)} /> : <span className="muted">off</span>}</td>
                  <td>
                    <div className="tags">
                      {[r.mitre_tactic, r.mitre_technique].filter((m): m is string => !!m).map((m) => <Tag key={m} href={mitreUrl(m)}>{m}</Tag>)}
                    </div>
                  </td>
                  <td className="row-actions">
                    <button type="button" className="btn btn-small" aria-expanded={testing === r.id} onClick={() => setTesting(testing === r.id ? null : r.id)}>Test</button>
                    <Link className="btn btn-small" to={`/rules/${r.id}`}>{canEdit ? 'Edit' : 'View'}</Link>
                    {canEdit && <ConfirmButton label="Delete" confirmLabel={`Delete ${r.name}`} onConfirm={() => remove.mutate(r.id)} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {testing && <RuleTestPanel key={testing} ruleId={testing} />}
    </div>
  );
}
