// Create / edit a rule: common fields, the conditions form of its rule type, and a JSON
// view of the same body. Errors, local (shared contracts) or from the server (422
// details, 409 name), are shown at their field and summed up above the buttons.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { RULE_TYPES, SEVERITIES } from '@siem/contracts';
import type { RuleType, Severity } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { detailsToFieldErrors, submitErrors } from '../../../lib/form-errors.ts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { humanize } from '../../../lib/format.ts';
import { bodyToDraft, draftToBody, emptyDraft, ruleFieldKey, validateBody } from '../utils/rule-draft.ts';
import type { RuleDraft } from '../utils/rule-draft.ts';
import { FilterEditor, RuleFieldOptions } from './filter-editor.tsx';

interface Props {
  mode: 'create' | 'edit';
  initial: RuleDraft;
  submitLabel: string;
  onSubmit: (body: Record<string, unknown>) => Promise<unknown>;
}

export function RuleForm({ mode, initial, submitLabel, onSubmit }: Props) {
  const [draft, setDraft] = useState(initial);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const text = (k: 'name' | 'description' | 'mitre_tactic' | 'mitre_technique' | 'cooldown_seconds' | 'threshold' | 'window_seconds' | 'group_by' | 'aggregation_field') =>
    ({ value: draft[k], onChange: (e: { target: { value: string } }) => set(k, e.target.value) });

  const parseJson = (): Record<string, unknown> | null => {
    try {
      const v: unknown = JSON.parse(json);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      setErrors({ _json: 'The JSON must be an object' });
    } catch (e) {
      setErrors({ _json: `Not valid JSON: ${(e as Error).message}` });
    }
    return null;
  };

  const switchTab = (next: 'form' | 'json') => {
    if (next === tab) return;
    if (next === 'json') {
      setJson(JSON.stringify(draftToBody(draft, mode), null, 2));
      setErrors({});
    } else {
      const body = parseJson();
      if (!body) return;
      // rule_type cannot change on edit: the JSON view cannot change it either.
      setDraft(bodyToDraft(mode === 'edit' ? { ...body, rule_type: draft.rule_type } : body, draft));
      setErrors({});
    }
    setTab(next);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let body: Record<string, unknown> | null = tab === 'json' ? parseJson() : draftToBody(draft, mode);
    if (!body) return;
    if (mode === 'edit') body = { ...body, rule_type: undefined };
    const ruleType = (tab === 'json' && mode === 'create' ? (body.rule_type as RuleType) : draft.rule_type) ?? draft.rule_type;
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

  const summary = Object.entries(errors).filter(([k]) => k !== '_json');
  return (
    <form className="form rule-form" onSubmit={submit} noValidate>
      <RuleFieldOptions />
      <div className="tabs" role="tablist" aria-label="Editor">
        <button type="button" role="tab" aria-selected={tab === 'form'} className="tab" onClick={() => switchTab('form')}>Form</button>
        <button type="button" role="tab" aria-selected={tab === 'json'} className="tab" onClick={() => switchTab('json')}>JSON</button>
      </div>
      {tab === 'json' ? (
        <Field label="Rule as JSON" error={errors._json} hint="The body sent to the API. Switch back to the form to see it as fields.">
          <textarea className="mono json-editor" rows={22} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} />
        </Field>
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
              <select value={draft.rule_type} disabled={mode === 'edit'} onChange={(e) => set('rule_type', e.target.value as RuleType)}>
                {RULE_TYPES.map((t) => <option key={t} value={t}>{humanize(t)}</option>)}
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
          <Field label="Description" error={errors.description}><textarea rows={2} {...text('description')} /></Field>
          <fieldset className="conditions">
            <legend>Conditions ({draft.rule_type})</legend>
            {draft.rule_type === 'sequence' ? (
              <>
                {draft.steps.map((step, i) => (
                  <div className="step card" key={i}>
                    <FilterEditor idPrefix={`step-${i}`} legend={`Step ${i + 1}`} rows={step.filter} errors={errors} path={`conditions.steps.${i}.event_filter`}
                      onChange={(rows) => set('steps', draft.steps.map((s, j) => (j === i ? { ...s, filter: rows } : s)))} />
                    <div className="step-foot">
                      <Field label={`Step ${i + 1} count`} error={errors[`conditions.steps.${i}.count`]}>
                        <input inputMode="numeric" value={step.count} onChange={(e) => set('steps', draft.steps.map((s, j) => (j === i ? { ...s, count: e.target.value } : s)))} />
                      </Field>
                      <button type="button" className="btn btn-small btn-ghost" onClick={() => set('steps', draft.steps.filter((_, j) => j !== i))}>Remove step {i + 1}</button>
                    </div>
                  </div>
                ))}
                <button type="button" className="btn btn-small" onClick={() => set('steps', [...draft.steps, { filter: [{ key: 'event_type', op: 'eq', value: '' }], count: '1' }])}>+ Add step</button>
                {errors['conditions.steps'] && <small className="field-error" role="alert">{errors['conditions.steps']}</small>}
              </>
            ) : (
              <FilterEditor idPrefix="filter" legend="Events that count" rows={draft.filter} errors={errors} path="conditions.event_filter" onChange={(rows) => set('filter', rows)} />
            )}
            <div className="form-grid">
              {draft.rule_type === 'aggregation' && (
                <Field label="Distinct values of" error={errors['conditions.aggregation_field'] ?? errors['conditions.aggregation']}><input list="rule-fields" {...text('aggregation_field')} /></Field>
              )}
              {draft.rule_type !== 'sequence' && (
                <Field label={draft.rule_type === 'aggregation' ? 'Fires at distinct values' : 'Fires at events'} error={errors['conditions.threshold']}><input inputMode="numeric" {...text('threshold')} /></Field>
              )}
              <Field label="Window (seconds)" error={errors['conditions.window_seconds']}><input inputMode="numeric" {...text('window_seconds')} /></Field>
              <Field label="Group by" error={errors['conditions.group_by']} hint="One alert per value of this field"><input list="rule-fields" {...text('group_by')} /></Field>
            </div>
          </fieldset>
        </>
      )}
      {summary.length > 0 && (
        <div className="error-summary" role="alert">
          <strong>Please fix:</strong>
          <ul>{summary.map(([k, m]) => <li key={k}>{k === '_form' ? m : `${k.replace(/^conditions\./, '')}: ${m}`}</li>)}</ul>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
      </div>
    </form>
  );
}

export { emptyDraft };
