// "Never alert on this value for this rule…": the alert's group field(s) and value(s),
// prefilled from the rule's group_by and the alert's group_value (values joined by " / "),
// added to the rule's exceptions or, for one field, to a shared list of the person's choice.
// Analysts see the button disabled: the server would refuse them.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Alert } from '@siem/contracts';
import { Drawer } from '../../../components/ui/drawer.tsx';
import { ErrorState, FormError, Loading } from '../../../components/ui/states.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { useCanEditRules } from '../../../lib/session.ts';
import { useAddRuleException, useAlertRule, useExceptionLists } from '../api/rule-exception.ts';

export interface FieldValue {
  field: string;
  value: string;
}

/** The rule's group_by fields paired with the alert's group values. */
export function prefill(groupBy: unknown, groupValue: string | null): FieldValue[] {
  const fields = typeof groupBy === 'string' ? [groupBy] : Array.isArray(groupBy) ? groupBy.filter((f): f is string => typeof f === 'string') : [];
  if (fields.length === 0) return [{ field: '', value: groupValue ?? '' }];
  const values = groupValue === null ? [] : fields.length === 1 ? [groupValue] : groupValue.split(' / ');
  // A value that itself holds " / " makes the split ambiguous: leave the rest for a person to fix.
  return fields.map((field, i) => ({ field, value: values.length === fields.length ? values[i]! : i === 0 ? (groupValue ?? '') : '' }));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const exceptionCount = (conditions: Record<string, unknown>) => (Array.isArray(conditions.exceptions) ? conditions.exceptions.length : 0);

export function ExceptionButton({ alert }: { alert: Alert }) {
  const canEdit = useCanEditRules();
  const [open, setOpen] = useState(false);
  return (
    <div className="exception-action">
      <button type="button" className="btn" disabled={!canEdit} onClick={() => setOpen(true)} aria-describedby={canEdit ? undefined : 'exception-hint'}>
        Never alert on this value for this rule…
      </button>
      {!canEdit && <p id="exception-hint" className="muted small" data-testid="exception-hint">Adding an exception changes the rule: it needs the engineer or admin role.</p>}
      {open && <ExceptionDialog alert={alert} onClose={() => setOpen(false)} />}
    </div>
  );
}

function ExceptionDialog({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const rule = useAlertRule(alert.rule_id, true);
  return (
    <Drawer title="Never alert on this value" onClose={onClose}>
      {rule.isPending ? <Loading label="Loading the rule…" /> : rule.error || !rule.data ? (
        <ErrorState error={rule.error} onRetry={() => void rule.refetch()} title="Could not load the rule" />
      ) : (
        <ExceptionForm alert={alert} ruleName={rule.data.name} initial={prefill(rule.data.conditions.group_by, alert.group_value)} />
      )}
    </Drawer>
  );
}

function ExceptionForm({ alert, ruleName, initial }: { alert: Alert; ruleName: string; initial: FieldValue[] }) {
  const [pairs, setPairs] = useState(initial);
  const [target, setTarget] = useState<'rule' | 'list'>('rule');
  const [listName, setListName] = useState('');
  const lists = useExceptionLists(target === 'list');
  const add = useAddRuleException(alert.rule_id);
  const [done, setDone] = useState<string | null>(null);
  const single = pairs.length === 1;

  const set = (i: number, key: keyof FieldValue, value: string) => setPairs(pairs.map((p, j) => (j === i ? { ...p, [key]: value } : p)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const values = Object.fromEntries(pairs.map((p) => [p.field.trim(), p.value]));
    add.mutate(target === 'list' ? { values, list: listName } : { values }, {
      onSuccess: (result) => setDone(result.list
        ? `Added to list ${result.list.name} (${result.list.item_count} items); rule ${result.rule.name} ignores its values.`
        : `Rule ${result.rule.name} now ignores this value (${plural(exceptionCount(result.rule.conditions), 'exception')}).`),
    });
  };
  const details = isApiError(add.error) ? add.error.details.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`) : [];

  return (
    <form className="form" onSubmit={submit} data-testid="exception-form">
      <p className="muted">Events of rule <strong>{ruleName}</strong> with exactly these values will no longer raise alerts.</p>
      {pairs.map((p, i) => (
        <div className="form-grid" key={i}>
          <div className="field">
            <label htmlFor={`exc-field-${i}`}>Field</label>
            <input id={`exc-field-${i}`} className="mono" value={p.field} onChange={(e) => set(i, 'field', e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor={`exc-value-${i}`}>Value</label>
            <input id={`exc-value-${i}`} className="mono" value={p.value} onChange={(e) => set(i, 'value', e.target.value)} required />
          </div>
        </div>
      ))}
      <fieldset className="field">
        <legend>Where</legend>
        <label><input type="radio" name="exc-target" checked={target === 'rule'} onChange={() => setTarget('rule')} /> Add to this rule's exceptions</label>
        <label>
          <input type="radio" name="exc-target" checked={target === 'list'} disabled={!single} onChange={() => setTarget('list')} /> Add to a shared list
          {!single && <span className="muted small"> (one field only)</span>}
        </label>
      </fieldset>
      {target === 'list' && (
        lists.isPending ? <Loading label="Loading lists…" /> : (
          <div className="field">
            <label htmlFor="exc-list">List</label>
            <select id="exc-list" value={listName} onChange={(e) => setListName(e.target.value)} required>
              <option value="">Choose a list…</option>
              {(lists.data ?? []).map((l) => <option key={l.id} value={l.name}>{l.name} ({l.kind}, {l.item_count})</option>)}
            </select>
          </div>
        )
      )}
      <FormError message={add.error ? errorMessage(add.error) : null} />
      {details.length > 0 && <ul className="form-error">{details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
      {done && <p className="notice" role="status" data-testid="exception-done">{done}</p>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending || (target === 'list' && !listName)}>{add.isPending ? 'Adding…' : 'Add exception'}</button>
      </div>
    </form>
  );
}
