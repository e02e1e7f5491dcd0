// The conditions of the rule's type: the event filter (or the steps of a sequence), the
// counting keys (threshold, distinct-value field, window), group_by and the exceptions.
import { Field } from '../../../components/ui/field.tsx';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { inputError } from '../utils/error-placement.ts';
import type { RuleDraft } from '../utils/rule-draft.ts';
import { ExceptionsEditor } from './exceptions-editor.tsx';
import { FieldInput } from './field-picker.tsx';
import { FilterBuilder } from './filter-builder.tsx';
import { GroupByInput } from './group-by-input.tsx';
import { StepsEditor } from './steps-editor.tsx';

interface Props {
  draft: RuleDraft;
  set: <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => void;
  errors: FieldErrors;
  nodeErrors: Map<string, string>;
}

const TYPE_HINT: Record<RuleDraft['rule_type'], string> = {
  single: 'Fires on each matching event (once per group and cooldown when grouped).',
  threshold: 'Fires when enough matching events of one group fall inside the window.',
  aggregation: 'Fires when the matching events of one group carry enough distinct values of a field inside the window.',
  sequence: 'Fires when the steps happen for one group inside the window.',
};

export function RuleConditions({ draft, set, errors, nodeErrors }: Props) {
  const type = draft.rule_type;
  const text = (k: 'threshold' | 'window_seconds' | 'aggregation_field') => ({ value: draft[k], onChange: (e: { target: { value: string } }) => set(k, e.target.value) });
  return (
    <fieldset className="conditions">
      <legend>Conditions ({type})</legend>
      <p className="muted small">{TYPE_HINT[type]}</p>
      {type === 'sequence' ? (
        <StepsEditor steps={draft.steps} ordered={draft.ordered} errors={errors} nodeErrors={nodeErrors}
          onSteps={(steps) => set('steps', steps)} onOrdered={(ordered) => set('ordered', ordered)} />
      ) : (
        <FilterBuilder root={draft.filter} labelPrefix="" errors={nodeErrors} onChange={(filter) => set('filter', filter)} />
      )}
      <div className="form-grid">
        {type === 'aggregation' && (
          <Field label="Distinct values of" error={inputError(errors, 'conditions.aggregation_field') ?? errors['conditions.aggregation']}>
            <FieldInput {...text('aggregation_field')} />
          </Field>
        )}
        {(type === 'threshold' || type === 'aggregation') && (
          <Field label={type === 'aggregation' ? 'Fires at distinct values' : 'Fires at events'} error={errors['conditions.threshold']}>
            <input inputMode="numeric" {...text('threshold')} />
          </Field>
        )}
        {type !== 'single' && (
          <Field label="Window (seconds)" error={errors['conditions.window_seconds']} hint="1 to 604800 (a week)">
            <input inputMode="numeric" {...text('window_seconds')} />
          </Field>
        )}
        <GroupByInput values={draft.group_by} required={type !== 'single'} error={inputError(errors, 'conditions.group_by')}
          onChange={(values) => set('group_by', values)} />
      </div>
      <ExceptionsEditor exceptions={draft.exceptions} nodeErrors={nodeErrors} error={errors['conditions.exceptions']}
        onChange={(next) => set('exceptions', next)} />
    </fieldset>
  );
}
