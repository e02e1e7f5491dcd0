// The field picker: a text input (free text is allowed: a rule may name a field before
// the first event carrying it arrives) suggesting the names stored events carry, from
// GET /v1/fields, through one shared <datalist>. Each suggestion says where the field
// comes from, how many recent events carry it and an example value.
import type { InputHTMLAttributes } from 'react';
import { RULE_EVENT_FIELDS } from '@siem/contracts';
import type { FieldInfo } from '@siem/contracts';
import { useFields } from '../api/fields.ts';

export const FIELD_LIST_ID = 'rule-fields';

function describe(f: FieldInfo): string {
  const where = f.origin === 'column' ? 'column' : f.origin === 'normalized' ? 'normalized' : 'parsed';
  const seen = f.count > 0 ? `${f.count} recent event${f.count === 1 ? '' : 's'}` : 'not in recent events';
  const example = f.example ? ` · e.g. ${f.example.length > 40 ? `${f.example.slice(0, 40)}…` : f.example}` : '';
  return `${where} · ${seen}${example}`;
}

/** Rendered once per form; every field input points at it. */
export function FieldSuggestions() {
  const fields = useFields();
  const list: FieldInfo[] = fields.data ?? RULE_EVENT_FIELDS.map((name) => ({ name, origin: 'column', count: 0, types: [], example: null }));
  return (
    <datalist id={FIELD_LIST_ID} data-testid="field-suggestions">
      {list.map((f) => <option key={f.name} value={f.name} label={describe(f)} />)}
    </datalist>
  );
}

export function FieldInput(props: Omit<InputHTMLAttributes<HTMLInputElement>, 'list'>) {
  return <input {...props} list={FIELD_LIST_ID} autoComplete="off" spellCheck={false} className={`mono${props.className ? ` ${props.className}` : ''}`} />;
}
