// Edits one event_filter: rows of field, operator and value. Errors under the filter's
// path (e.g. `conditions.event_filter.source_ip.cidr`) are shown on that field's row.
import { RULE_EVENT_FIELDS } from '@siem/contracts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { FILTER_OPS } from '../utils/rule-draft.ts';
import type { FilterOp, FilterRow } from '../utils/rule-draft.ts';

const OP_LABELS: Record<FilterOp, string> = {
  eq: 'equals', in: 'is one of', not: 'is not', exists: 'exists', contains: 'contains', startswith: 'starts with',
  endswith: 'ends with', gt: '>', gte: '≥', lt: '<', lte: '≤', cidr: 'in network',
};
const PLACEHOLDER: Partial<Record<FilterOp, string>> = { in: 'a, b, c', exists: 'true or false', cidr: '10.0.0.0/8' };

export function rowError(errors: FieldErrors, prefix: string, key: string): string | undefined {
  const at = `${prefix}.${key}`;
  const hit = Object.entries(errors).find(([k]) => k === at || k.startsWith(`${at}.`));
  return hit?.[1];
}

interface Props {
  idPrefix: string;
  legend: string;
  rows: FilterRow[];
  onChange: (rows: FilterRow[]) => void;
  errors: FieldErrors;
  /** Form key of this filter, e.g. `conditions.event_filter`. */
  path: string;
}

export function FilterEditor({ idPrefix, legend, rows, onChange, errors, path }: Props) {
  const update = (i: number, patch: Partial<FilterRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const whole = errors[path];
  return (
    <fieldset className="filter-editor">
      <legend>{legend}</legend>
      {rows.length === 0 && <p className="muted">No conditions: every event matches.</p>}
      {rows.map((row, i) => {
        const err = rowError(errors, path, row.key);
        const id = `${idPrefix}-${i}`;
        return (
          <div className={`filter-row${err ? ' field-invalid' : ''}`} key={i}>
            <label className="sr-only" htmlFor={`${id}-key`}>Field {i + 1}</label>
            <input id={`${id}-key`} list="rule-fields" value={row.key} placeholder="field" aria-invalid={err ? true : undefined}
              onChange={(e) => update(i, { key: e.target.value })} />
            <label className="sr-only" htmlFor={`${id}-op`}>Operator {i + 1}</label>
            <select id={`${id}-op`} value={row.op} onChange={(e) => update(i, { op: e.target.value as FilterOp })}>
              {FILTER_OPS.map((op) => <option key={op} value={op}>{OP_LABELS[op]}</option>)}
            </select>
            <label className="sr-only" htmlFor={`${id}-value`}>Value {i + 1}</label>
            {row.op === 'exists' ? (
              <select id={`${id}-value`} value={row.value === 'false' ? 'false' : 'true'} onChange={(e) => update(i, { value: e.target.value })}>
                <option value="true">yes</option>
                <option value="false">no</option>
              </select>
            ) : (
              <input id={`${id}-value`} value={row.value} placeholder={PLACEHOLDER[row.op] ?? 'value'} aria-invalid={err ? true : undefined}
                aria-describedby={err ? `${id}-error` : undefined} onChange={(e) => update(i, { value: e.target.value })} />
            )}
            <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove condition ${i + 1}`}>
              ✕
            </button>
            {err && <small id={`${id}-error`} className="field-error" role="alert">{err}</small>}
          </div>
        );
      })}
      <button type="button" className="btn btn-small" onClick={() => onChange([...rows, { key: '', op: 'eq', value: '' }])}>
        + Add condition
      </button>
      {whole && <small className="field-error" role="alert">{whole}</small>}
    </fieldset>
  );
}

/** The field names a rule can use, offered as suggestions in every field input. */
export function RuleFieldOptions() {
  return (
    <datalist id="rule-fields">
      {RULE_EVENT_FIELDS.map((f) => <option key={f} value={f} />)}
      {['normalized.action', 'normalized.result', 'normalized.query', 'normalized.url', 'normalized.command_line', 'normalized.process_name', 'normalized.signature_name'].map((f) => (
        <option key={f} value={f} />
      ))}
    </datalist>
  );
}
