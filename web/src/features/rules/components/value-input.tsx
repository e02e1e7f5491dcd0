// An operand editor: one value per line for string operands (a list is several lines),
// a number, or yes/no. The text being typed is kept as typed (a trailing new line
// included) and only its non-empty lines are passed up.
import { useState } from 'react';
import type { OperandKind } from '../utils/operators.ts';

interface Props {
  id: string;
  label: string;
  kind: OperandKind;
  values: string[];
  onChange: (values: string[]) => void;
  placeholder?: string | undefined;
  invalid?: boolean;
  describedBy?: string | undefined;
}

const linesOf = (text: string) => text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function ValueInput({ id, label, kind, values, onChange, placeholder, invalid, describedBy }: Props) {
  const [text, setText] = useState(values.join('\n'));
  // A change from outside (the JSON view, an operator switch) replaces what is shown.
  const shown = same(linesOf(text), values) ? text : values.join('\n');
  const aria = { 'aria-label': label, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy };
  if (kind === 'boolean') {
    return (
      <select id={id} {...aria} value={values[0] === 'false' ? 'false' : 'true'} onChange={(e) => onChange([e.target.value])}>
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    );
  }
  if (kind === 'number') {
    return <input id={id} {...aria} inputMode="decimal" value={values[0] ?? ''} placeholder="number" onChange={(e) => onChange(e.target.value === '' ? [] : [e.target.value])} />;
  }
  const rows = Math.min(8, Math.max(1, shown.split('\n').length));
  return (
    <textarea
      id={id}
      {...aria}
      className="value-lines mono"
      rows={rows}
      spellCheck={false}
      value={shown}
      placeholder={placeholder ?? 'value (one per line)'}
      onChange={(e) => {
        setText(e.target.value);
        onChange(linesOf(e.target.value));
      }}
    />
  );
}
