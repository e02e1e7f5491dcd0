// Suppression of a rule: the key fields (one to five, named like group_by) and the duration.
// A repeat with the same key values while the rule's alert for them is open, and seen
// within the duration, is counted on that alert (×N) instead of raising a new one.
import { SUPPRESSION_LIMITS } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import type { SuppressionDraft } from '../utils/rule-draft.ts';
import { FieldInput } from './field-picker.tsx';

interface Props {
  value: SuppressionDraft;
  onChange: (value: SuppressionDraft) => void;
  errors: FieldErrors;
}

export function SuppressionSection({ value, onChange, errors }: Props) {
  const set = (patch: Partial<SuppressionDraft>) => onChange({ ...value, ...patch });
  const fields = value.fields.length > 0 ? value.fields : [''];
  const listError = errors['suppression.fields'] ?? errors.suppression;
  return (
    <fieldset className="conditions suppression-section" data-testid="suppression-section">
      <legend>Suppression</legend>
      <label className="check">
        <input type="checkbox" checked={value.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        {' '}Count repeats on the open alert instead of raising new ones
      </label>
      {value.enabled && (
        <>
          <div className={`field group-by${listError ? ' field-invalid' : ''}`} role="group" aria-labelledby="suppression-fields-label">
            <span id="suppression-fields-label" className="label">Key fields</span>
            <div className="group-by-list">
              {fields.map((f, i) => {
                const error = errors[`suppression.fields.${i}`];
                return (
                  <span className="group-by-item" key={i}>
                    <FieldInput aria-label={`Suppression key field ${i + 1}`} value={f} placeholder="field" aria-invalid={error ? true : undefined}
                      onChange={(e) => set({ fields: fields.map((x, j) => (j === i ? e.target.value : x)) })} />
                    {fields.length > 1 && (
                      <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove suppression key field ${i + 1}`}
                        onClick={() => set({ fields: fields.filter((_, j) => j !== i) })}>✕</button>
                    )}
                    {error && <small className="field-error" role="alert">{error}</small>}
                  </span>
                );
              })}
              {fields.length < SUPPRESSION_LIMITS.maxFields && (
                <button type="button" className="btn btn-small" onClick={() => set({ fields: [...fields, ''] })}>+ field</button>
              )}
            </div>
            {listError ? <small className="field-error" role="alert">{listError}</small> : (
              <small className="field-hint">Values read from the event that fires the rule; a missing value counts as its own value.</small>
            )}
          </div>
          <Field label="Suppression duration (seconds)" error={errors['suppression.duration_seconds']}
            hint={`${SUPPRESSION_LIMITS.minDurationSeconds} to ${SUPPRESSION_LIMITS.maxDurationSeconds} (7 days), counted from the alert's last repeat`}>
            <input inputMode="numeric" value={value.duration_seconds} onChange={(e) => set({ duration_seconds: e.target.value })} />
          </Field>
        </>
      )}
    </fieldset>
  );
}
