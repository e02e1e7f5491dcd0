// The rule as text, JSON or YAML, editable. The form parses it when the tab is left or
// the rule is saved; a parse error is shown here, with its line, and keeps the tab open.
import { Field } from '../../../components/ui/field.tsx';
import type { CodeFormat } from '../utils/code-format.ts';

interface Props {
  format: CodeFormat;
  text: string;
  onChange: (text: string) => void;
  error?: string | undefined;
}

export function ConditionsCodeView({ format, text, onChange, error }: Props) {
  const name = format === 'json' ? 'JSON' : 'YAML';
  return (
    <Field label={`Rule as ${name}`} error={error}
      hint={`The body sent to the API (conditions included). Edit it here; the builder shows the same rule.`}>
      <textarea className={`mono code-editor ${format}-editor`} rows={24} spellCheck={false} value={text} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}
