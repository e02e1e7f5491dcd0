// `exceptions`: filters that make the rule ignore an event, each edited with the builder.
import { parseFilter } from '../utils/filter-tree.ts';
import type { Group } from '../utils/filter-tree.ts';
import { newPredicate } from '../utils/filter-tree.ts';
import { TREE_LIMITS } from '../utils/operators.ts';
import { FilterBuilder } from './filter-builder.tsx';

interface Props {
  exceptions: Group[];
  onChange: (next: Group[]) => void;
  nodeErrors: Map<string, string>;
  error?: string | undefined;
}

export function ExceptionsEditor({ exceptions, onChange, nodeErrors, error }: Props) {
  const add = () => onChange([...exceptions, { ...parseFilter({}), children: [newPredicate()] }]);
  return (
    <fieldset className="exceptions">
      <legend>Exceptions</legend>
      <p className="muted small">An event matching any of these filters is ignored by this rule.</p>
      {exceptions.map((ex, i) => (
        <div className="exception" key={ex.id}>
          <FilterBuilder root={ex} labelPrefix={`Exception ${i + 1}`} errors={nodeErrors} onChange={(next) => onChange(exceptions.map((e, j) => (j === i ? next : e)))} />
          <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange(exceptions.filter((_, j) => j !== i))}>Remove exception {i + 1}</button>
        </div>
      ))}
      <button type="button" className="btn btn-small" disabled={exceptions.length >= TREE_LIMITS.maxExceptions} onClick={add}>+ Add exception</button>
      {error && <small className="field-error" role="alert">{error}</small>}
    </fieldset>
  );
}
