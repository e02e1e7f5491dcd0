// group_by: one field, or up to five (events are correlated per combination of values).
import { TREE_LIMITS } from '../utils/operators.ts';
import { FieldInput } from './field-picker.tsx';

interface Props {
  values: string[];
  onChange: (values: string[]) => void;
  error?: string | undefined;
  required: boolean;
}

export function GroupByInput({ values, onChange, error, required }: Props) {
  const shown = values.length > 0 ? values : [''];
  return (
    <div className={`field group-by${error ? ' field-invalid' : ''}`} role="group" aria-labelledby="group-by-label">
      <span id="group-by-label" className="label">Group by{required ? '' : ' (optional)'}</span>
      <div className="group-by-list">
        {shown.map((v, i) => (
          <span className="group-by-item" key={i}>
            <FieldInput aria-label={`Group by field ${i + 1}`} value={v} aria-invalid={error ? true : undefined} placeholder="field"
              onChange={(e) => onChange(shown.map((x, j) => (j === i ? e.target.value : x)))} />
            {shown.length > 1 && (
              <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove group by field ${i + 1}`} onClick={() => onChange(shown.filter((_, j) => j !== i))}>✕</button>
            )}
          </span>
        ))}
        {shown.length < TREE_LIMITS.maxGroupBy && (
          <button type="button" className="btn btn-small" onClick={() => onChange([...shown, ''])}>+ field</button>
        )}
      </div>
      {error ? <small className="field-error" role="alert">{error}</small> : (
        <small className="field-hint">One alert per value{shown.length > 1 ? ' combination' : ''}; events missing a field are skipped.</small>
      )}
    </div>
  );
}
