// One predicate: a field and its value tests (usually one; several tests on one field are
// one operator object), the `cased` and `of: all` modifiers, and its error. A value the
// builder cannot show as tests (a list mixing strings and operators, a bare number) is
// edited as JSON text in place.
import { useState } from 'react';
import type { Predicate } from '../utils/filter-tree.ts';
import { OPERATORS, isKnownOperator, operatorInfo } from '../utils/operators.ts';
import { addTest, hasListOperand, removeTest, setCased, setOfAll, setOp, setRawText, setValues, valuesOf } from '../utils/predicate-edit.ts';
import { useBuilderNote } from './builder-notes.ts';
import { FieldInput } from './field-picker.tsx';
import { ListPicker } from './list-picker.tsx';
import { ValueInput } from './value-input.tsx';

interface Props {
  pred: Predicate;
  /** Position in the tree, for labels: "3.1". */
  label: string;
  onChange: (next: Predicate) => void;
  onRemove: () => void;
  error?: string | undefined;
}

const POSITIVE = OPERATORS.filter((o) => !o.negated);
const NEGATED = OPERATORS.filter((o) => o.negated);

function OperatorSelect({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (op: string) => void }) {
  return (
    <select id={id} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {!isKnownOperator(value) && <option value={value}>{value}</option>}
      <optgroup label="Holds when">{POSITIVE.map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}</optgroup>
      <optgroup label="Negated (a missing field holds)">{NEGATED.map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}</optgroup>
    </select>
  );
}

function RawValue({ id, label, pred, onChange }: { id: string; label: string; pred: Predicate; onChange: (p: Predicate) => void }) {
  const [text, setText] = useState(() => JSON.stringify(pred.raw));
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="raw-value">
      <input id={id} aria-label={label} className="mono" value={text} aria-invalid={error ? true : undefined} onChange={(e) => {
        setText(e.target.value);
        const r = setRawText(pred, e.target.value);
        setError(r.error);
        if (!r.error) onChange(r.pred);
      }} />
      <small className={error ? 'field-error' : 'field-hint'}>{error ?? 'Kept as written (JSON): the builder has no rows for this value.'}</small>
    </div>
  );
}

export function PredicateRow({ pred, label, onChange, onRemove, error }: Props) {
  const id = `pred-${pred.id}`;
  const errorId = `${id}-error`;
  const stringTests = pred.tests.some((t) => (operatorInfo(t.op)?.operand ?? 'strings') === 'strings');
  const exact = pred.shape === 'string' || pred.shape === 'list';
  const note = useBuilderNote(pred.id);
  return (
    <div className={`pred${error ? ' field-invalid' : ''}`} role="group" aria-label={`Condition ${label}`} data-testid="predicate">
      <FieldInput id={`${id}-field`} aria-label={`Field ${label}`} placeholder="field" value={pred.field} aria-invalid={error ? true : undefined}
        onChange={(e) => onChange({ ...pred, field: e.target.value })} />
      <div className="pred-tests">
        {pred.shape === 'raw' ? (
          <RawValue id={`${id}-raw`} label={`Value ${label}`} pred={pred} onChange={onChange} />
        ) : (
          pred.tests.map((t, i) => {
            const info = operatorInfo(t.op);
            const n = pred.tests.length > 1 ? `${label}/${i + 1}` : label;
            return (
              <div className="pred-test" key={i}>
                <OperatorSelect id={`${id}-op-${i}`} label={`Operator ${n}`} value={t.op} onChange={(op) => onChange(setOp(pred, i, op))} />
                <div className="pred-value">
                  <ValueInput id={`${id}-value-${i}`} label={`Value ${n}`} kind={info?.operand ?? 'strings'} values={valuesOf(t)} placeholder={info?.hint}
                    invalid={!!error} describedBy={error ? errorId : undefined} onChange={(values) => onChange(setValues(pred, i, values))} />
                  {info?.operand === 'lists' && (
                    <ListPicker label={`Shared list for ${n}`} chosen={valuesOf(t)} onPick={(name) => onChange(setValues(pred, i, [...valuesOf(t), name]))} />
                  )}
                </div>
                {pred.tests.length > 1 && (
                  <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove test ${n}`} onClick={() => onChange(removeTest(pred, i))}>−</button>
                )}
              </div>
            );
          })
        )}
      </div>
      <div className="pred-mods">
        {pred.shape !== 'raw' && stringTests && (
          <label className="check" title={exact ? 'A plain value is an exact, case-sensitive match' : 'Compare case-sensitively'}>
            <input type="checkbox" checked={pred.cased === true} onChange={(e) => onChange(setCased(pred, e.target.checked))} /> cased
          </label>
        )}
        {pred.shape !== 'raw' && hasListOperand(pred) && (
          <label className="check" title="Every listed value must hold (default: one is enough)">
            <input type="checkbox" checked={pred.of === 'all'} onChange={(e) => onChange(setOfAll(pred, e.target.checked))} /> of: all
          </label>
        )}
        {pred.shape !== 'raw' && (
          <button type="button" className="btn btn-ghost btn-small" title="Another test on the same field" onClick={() => onChange(addTest(pred))}>+ test</button>
        )}
        <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove condition ${label}`} onClick={onRemove}>✕</button>
      </div>
      {error && <small id={errorId} className="field-error pred-error" role="alert">{error}</small>}
      {!error && note && <small className="field-warning pred-error" data-testid="predicate-note">{note}</small>}
    </div>
  );
}
