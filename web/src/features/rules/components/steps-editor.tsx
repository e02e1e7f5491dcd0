// A sequence's steps: each a filter and a count, in order unless `ordered` is off ("all
// of these within the window").
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { MAX_SEQUENCE_STEPS } from '@siem/contracts';
import { newStep } from '../utils/rule-draft.ts';
import type { StepDraft } from '../utils/rule-draft.ts';
import { Field } from '../../../components/ui/field.tsx';
import { FilterBuilder } from './filter-builder.tsx';

interface Props {
  steps: StepDraft[];
  ordered: boolean | undefined;
  onSteps: (steps: StepDraft[]) => void;
  onOrdered: (ordered: boolean | undefined) => void;
  errors: FieldErrors;
  nodeErrors: Map<string, string>;
}

export function StepsEditor({ steps, ordered, onSteps, onOrdered, errors, nodeErrors }: Props) {
  const set = (i: number, patch: Partial<StepDraft>) => onSteps(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <div className="steps">
      <label className="check">
        <input type="checkbox" checked={ordered !== false} onChange={(e) => onOrdered(e.target.checked ? undefined : false)} />
        Steps must happen in this order (off: all of them, in any order, within the window)
      </label>
      {errors['conditions.ordered'] && <small className="field-error" role="alert">{errors['conditions.ordered']}</small>}
      {steps.map((step, i) => (
        <section className="step card" key={step.id} role="group" aria-label={`Step ${i + 1}`}>
          <FilterBuilder root={step.filter} labelPrefix={`Step ${i + 1}`} errors={nodeErrors} onChange={(filter) => set(i, { filter })} />
          <div className="step-foot">
            <Field label={`Step ${i + 1} count`} error={errors[`conditions.steps.${i}.count`]} hint="Events needed for this step">
              <input inputMode="numeric" value={step.count} onChange={(e) => set(i, { count: e.target.value })} />
            </Field>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => onSteps(steps.filter((_, j) => j !== i))}>Remove step {i + 1}</button>
          </div>
        </section>
      ))}
      <button type="button" className="btn btn-small" disabled={steps.length >= MAX_SEQUENCE_STEPS} onClick={() => onSteps([...steps, newStep()])}>+ Add step</button>
      {errors['conditions.steps'] && <small className="field-error" role="alert">{errors['conditions.steps']}</small>}
    </div>
  );
}
