// Adds a shared list's name to an in_list / not_in_list test: the lists that exist, with
// their kind and size, so a rule names one that does (a missing list is refused on save).
import { useListNames } from '../api/list-names.ts';

export function ListPicker({ label, chosen, onPick }: { label: string; chosen: string[]; onPick: (name: string) => void }) {
  const lists = useListNames();
  const names = (lists.data ?? []).filter((l) => !chosen.includes(l.name));
  if (!lists.data) return null;
  return (
    <select aria-label={label} className="list-picker" value="" onChange={(e) => e.target.value && onPick(e.target.value)}>
      <option value="">{lists.data.length === 0 ? 'No shared lists yet' : names.length === 0 ? 'Every list is chosen' : '+ shared list…'}</option>
      {names.map((l) => <option key={l.id} value={l.name}>{l.name} ({l.kind}, {l.item_count})</option>)}
    </select>
  );
}
