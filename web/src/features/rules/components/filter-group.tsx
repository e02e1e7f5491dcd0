// A group of the condition tree: all / any / not of its children, each a predicate row or
// a nested group. The root of a filter is an implicit "all" (the filter object itself);
// nesting stops at the language's depth, a group at its item limit.
import type { Group, Node, Predicate } from '../utils/filter-tree.ts';
import { newGroup, newPredicate } from '../utils/filter-tree.ts';
import { TREE_LIMITS } from '../utils/operators.ts';
import { PredicateRow } from './predicate-row.tsx';

const OP_LABEL: Record<Group['op'], string> = { all: 'All of', any: 'Any of', not: 'Not (all of)' };
const OP_HINT: Record<Group['op'], string> = {
  all: 'every condition below holds',
  any: 'at least one condition below holds',
  not: 'the conditions below do not all hold',
};

interface Props {
  group: Group;
  /** The enclosing group's operator (null for the root). */
  parentOp: Group['op'] | null;
  /** Position for labels ("" for the root, "3" or "3.2" below), prefixed by the filter's name. */
  label: string;
  labelPrefix: string;
  depth: number;
  onChange: (next: Group) => void;
  onRemove?: () => void;
  errors: Map<string, string>;
}

export function FilterGroup({ group, parentOp, label, labelPrefix, depth, onChange, onRemove, errors }: Props) {
  const root = parentOp === null;
  const error = errors.get(group.id);
  const setChild = (i: number, next: Node | null) =>
    onChange({ ...group, children: next ? group.children.map((c, j) => (j === i ? next : c)) : group.children.filter((_, j) => j !== i) });
  const add = (node: Node) => onChange({ ...group, children: [...group.children, node] });
  const full = group.children.length >= TREE_LIMITS.maxGroupItems;
  const childLabel = (i: number) => (label ? `${label}.${i + 1}` : String(i + 1));
  const setOp = (op: Group['op']) => {
    const next: Group = { ...group, op };
    // An "all" inside an "any" list is written as one filter object ({a, b}).
    if (op === 'all' && parentOp === 'any') next.inline = true;
    else delete next.inline;
    onChange(next);
  };
  return (
    <fieldset className={`fgroup fgroup-${group.op}${root ? ' fgroup-root' : ''}${error ? ' field-invalid' : ''}`} data-testid="filter-group">
      <legend>
        {root ? (
          <span>{labelPrefix ? `${labelPrefix}: ` : ''}events where all of these hold</span>
        ) : (
          <select aria-label={`${labelPrefix} group ${label} combines`.trim()} value={group.op} onChange={(e) => setOp(e.target.value as Group['op'])}>
            {(['all', 'any', 'not'] as const).map((op) => <option key={op} value={op}>{OP_LABEL[op]}</option>)}
          </select>
        )}
        {!root && <span className="muted small"> {OP_HINT[group.op]}</span>}
      </legend>
      {group.children.length === 0 && <p className="muted small">{root ? 'No conditions: every event matches.' : 'Empty group.'}</p>}
      {group.children.map((child, i) =>
        child.kind === 'pred' ? (
          <PredicateRow key={child.id} pred={child} label={`${labelPrefix} ${childLabel(i)}`.trim()} error={errors.get(child.id)}
            onChange={(next: Predicate) => setChild(i, next)} onRemove={() => setChild(i, null)} />
        ) : (
          <FilterGroup key={child.id} group={child} parentOp={group.op} label={childLabel(i)} labelPrefix={labelPrefix} depth={depth + 1}
            errors={errors} onChange={(next) => setChild(i, next)} onRemove={() => setChild(i, null)} />
        ),
      )}
      <div className="fgroup-actions">
        <button type="button" className="btn btn-small" disabled={full} onClick={() => add(newPredicate())}>+ Condition</button>
        <button type="button" className="btn btn-small" disabled={full || depth + 1 >= TREE_LIMITS.maxDepth} onClick={() => add(newGroup('any', group.op))}>+ Any-group</button>
        <button type="button" className="btn btn-small" disabled={full || depth + 1 >= TREE_LIMITS.maxDepth} onClick={() => add(newGroup('not', group.op))}>+ Not-group</button>
        {onRemove && <button type="button" className="btn btn-ghost btn-small" onClick={onRemove}>Remove group {label}</button>}
      </div>
      {error && <small className="field-error" role="alert">{error}</small>}
    </fieldset>
  );
}
