// One filter (the event filter, a sequence step's, an exception) as a tree builder, with
// each node's error placed by the path the serialized filter gives it.
import type { Group } from '../utils/filter-tree.ts';
import { FilterGroup } from './filter-group.tsx';

interface Props {
  root: Group;
  onChange: (next: Group) => void;
  /** Prefix of every label inside ("Step 2", "Exception 1"); "" for the event filter. */
  labelPrefix: string;
  errors: Map<string, string>;
}

export function FilterBuilder({ root, onChange, labelPrefix, errors }: Props) {
  return <FilterGroup group={root} parentOp={null} label="" labelPrefix={labelPrefix} depth={0} onChange={onChange} errors={errors} />;
}
