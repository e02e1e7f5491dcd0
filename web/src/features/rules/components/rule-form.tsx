// Create / edit a rule: common fields, the conditions builder of its rule type, and the
// same body as editable JSON or YAML. Errors, local (shared contracts) or from the server
// (422 details, 409 name), are shown at their input or condition row; what maps to none
// is summed up above the buttons. Server warnings after a save are notes, not errors.
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { RULE_TYPES, SEVERITIES } from '@siem/contracts';
import type { Severity } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { detailsToFieldErrors, submitErrors } from '../../../lib/form-errors.ts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { humanize } from '../../../lib/format.ts';
import { formatBody, parseBody } from '../utils/code-format.ts';
import type { CodeFormat } from '../utils/code-format.ts';
import { inputError, placeErrors } from '../utils/error-placement.ts';
import { serializeFilterWithPaths } from '../utils/filter-tree.ts';
import { EDITOR_RULE_TYPES, bodyToDraft, draftToBody, editPatch, emptyDraft, parseTagsText, ruleFieldKey, validateBody } from '../utils/rule-draft.ts';
import type { EditorRuleType, RuleDraft } from '../utils/rule-draft.ts';
import type { RuleWarningNote } from '../api/rule-answer.ts';
import { BuilderNotes } from './builder-notes.ts';
import { ConditionsCodeView } from './conditions-code-view.tsx';
import { FieldSuggestions } from './field-picker.tsx';
import { RuleConditions } from './rule-conditions.tsx';
import { SuppressionSection } from './suppression-section.tsx';
import './rule-builder.css';

type Tab = 'form' | CodeFormat;

interface Props {
  mode: 'create' | 'edit';
  initial: RuleDraft;
  submitLabel: string;
  onSubmit: (body: Record<string, unknown>) => Promise<unknown>;
  /** Notes from the server's last answer (unknown fields, ...): shown at their row and listed. */
  warnings?: RuleWarningNote[] | undefined;
}

/** Rule types offered on create: the server's, plus those the editor knows it is learning. */
const typeChoices = (): string[] => [...new Set([...EDITOR_RULE_TYPES.filter((t) => t === 'single' || (RULE_TYPES as readonly string[]).includes(t)), ...RULE_TYPES])];

/** Every filter tree of the draft with its nodes' form paths. */
function treePaths(d: RuleDraft) {
  const trees = d.rule_type === 'sequence'
    ? d.steps.map((s, i) => serializeFilterWithPaths(s.filter, `conditions.steps.${i}.event_filter`).paths)
    : [serializeFilterWithPaths(d.filter, 'conditions.event_filter').paths];
  return [...trees, ...d.exceptions.map((e, i) => serializeFilterWithPaths(e, `conditions.exceptions.${i}`).paths)];
}

export function RuleForm({ mode, initial, submitLabel, onSubmit, warnings }: Props) {
  const [draft, setDraft] = useState(initial);
  const [tab, setTab] = useState<Tab>('form');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const text = (k: 'name' | 'description' | 'mitre_tactic' | 'mitre_technique' | 'cooldown_seconds' | 'tags') =>
    ({ value: draft[k], onChange: (e: { target: { value: string } }) => set(k, e.target.value) });
  const paths = useMemo(() => treePaths(draft), [draft]);
  const placed = useMemo(() => placeErrors(errors, draft, paths), [errors, draft, paths]);
  const notes = useMemo(
    () => placeErrors(Object.fromEntries((warnings ?? []).filter((w) => w.field).map((w) => [`conditions.${w.field}`, w.message])), draft, paths).byNode,
    [warnings, draft, paths],
  );

  /** The code view's body, or null with the parse error shown. */
  const parseCode = (format: CodeFormat): Record<string, unknown> | null => {
    const r = parseBody(code, format);
    if (r.ok) return r.body;
    setErrors({ _code: r.error });
    return null;
  };
  // rule_type cannot change on edit: the code view cannot change it either.
  const toDraft = (body: Record<string, unknown>) => bodyToDraft(mode === 'edit' ? { ...body, rule_type: draft.rule_type } : body, draft);

  const switchTab = (next: Tab) => {
    if (next === tab) return;
    let current = draft;
    if (tab !== 'form') {
      const body = parseCode(tab);
      if (!body) return;
      current = toDraft(body);
      setDraft(current);
    }
    if (next !== 'form') setCode(formatBody(draftToBody(current, mode), next));
    setErrors({});
    setTab(next);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let body: Record<string, unknown> | null = tab === 'form' ? draftToBody(draft, mode) : parseCode(tab);
    if (!body) return;
    if (mode === 'edit') body = editPatch({ ...body, rule_type: undefined }, draftToBody(initial, 'edit'));
    const ruleType = tab !== 'form' && mode === 'create' && typeof body.rule_type === 'string' ? body.rule_type : draft.rule_type;
    const local = validateBody(body, mode, ruleType);
    if (local.length > 0) {
      setErrors(detailsToFieldErrors(local, ruleFieldKey));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(body);
    } catch (err) {
      setErrors(submitErrors(err, { mapField: ruleFieldKey, byStatus: { 409: 'name' } }));
    } finally {
      setBusy(false);
    }
  };

  // In the code views every error is a summary line (there are no inputs to put it at).
  const summary = Object.entries(errors).filter(([k]) => k !== '_code' && (tab !== 'form' || !placed.placed.has(k)));
  const shownAtFields = tab === 'form' ? placed.placed.size : 0;
  const tabButton = (t: Tab, label: string) => (
    <button type="button" role="tab" aria-selected={tab === t} className="tab" onClick={() => switchTab(t)}>{label}</button>
  );
  return (
    <form className="form rule-form" onSubmit={submit} noValidate>
      <FieldSuggestions />
      <div className="tabs" role="tablist" aria-label="Editor">
        {tabButton('form', 'Builder')}
        {tabButton('json', 'JSON')}
        {tabButton('yaml', 'YAML')}
      </div>
      {tab !== 'form' ? (
        <ConditionsCodeView format={tab} text={code} onChange={setCode} error={errors._code} />
      ) : (
        <>
          <div className="form-grid">
            <Field label="Name" error={errors.name}><input {...text('name')} /></Field>
            <Field label="Severity of its alerts" error={errors.severity}>
              <select value={draft.severity} onChange={(e) => set('severity', e.target.value as Severity)}>
                {SEVERITIES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
              </select>
            </Field>
            <Field label="Rule type" error={errors.rule_type} hint={mode === 'edit' ? 'Fixed once the rule exists' : undefined}>
              <select value={draft.rule_type} disabled={mode === 'edit'} onChange={(e) => set('rule_type', e.target.value as EditorRuleType)}>
                {typeChoices().map((t) => <option key={t} value={t}>{humanize(t)}</option>)}
              </select>
            </Field>
            <Field label="Enabled" error={errors.enabled}>
              <select value={draft.enabled ? 'yes' : 'no'} onChange={(e) => set('enabled', e.target.value === 'yes')}>
                <option value="yes">Yes: runs live</option>
                <option value="no">No</option>
              </select>
            </Field>
            <Field label="MITRE tactic" error={errors.mitre_tactic} hint="e.g. TA0006"><input className="mono" {...text('mitre_tactic')} /></Field>
            <Field label="MITRE technique" error={errors.mitre_technique} hint="e.g. T1110.001"><input className="mono" {...text('mitre_technique')} /></Field>
            <Field label="Cooldown (seconds)" error={errors.cooldown_seconds} hint="Empty: the server default"><input inputMode="numeric" {...text('cooldown_seconds')} /></Field>
          </div>
          <Field label="Tags" error={inputError(errors, 'tags')} hint="Separated by commas or spaces: a-z, 0-9, . _ : - (at most 20); channels can route on them">
            <input className="mono" data-testid="rule-tags" placeholder="threat-intel, pci" {...text('tags')} />
          </Field>
          {parseTagsText(draft.tags).length > 0 && (
            <div className="tags rule-tags" aria-label="Tags">
              {[...new Set(parseTagsText(draft.tags).map((t) => t.toLowerCase()))].map((t) => <span key={t} className="tag">{t}</span>)}
            </div>
          )}
          <Field label="Description" error={errors.description}><textarea rows={2} {...text('description')} /></Field>
          <BuilderNotes.Provider value={notes}>
            <RuleConditions draft={draft} set={set} errors={errors} nodeErrors={placed.byNode} />
          </BuilderNotes.Provider>
          <SuppressionSection value={draft.suppression} onChange={(v) => set('suppression', v)} errors={errors} />
        </>
      )}
      {(summary.length > 0 || shownAtFields > 0) && (
        <div className="error-summary" role="alert" data-testid="rule-errors">
          <strong>Please fix{shownAtFields > 0 ? ` the ${shownAtFields} problem${shownAtFields === 1 ? '' : 's'} marked above` : ''}{summary.length > 0 && shownAtFields > 0 ? ' and' : ''}{summary.length > 0 ? ':' : '.'}</strong>
          {summary.length > 0 && <ul>{summary.map(([k, m]) => <li key={k}>{k === '_form' ? m : `${k.replace(/^conditions\./, '')}: ${m}`}</li>)}</ul>}
        </div>
      )}
      {warnings && warnings.length > 0 && (
        <div className="notice" role="status" data-testid="rule-warnings">
          <strong>Saved, with notes:</strong>
          <ul>{warnings.map((w, i) => <li key={i}>{w.message}{w.field ? <span className="muted small mono"> ({w.field})</span> : null}</li>)}</ul>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
      </div>
    </form>
  );
}

export { emptyDraft };
