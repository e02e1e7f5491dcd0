// Upload a feed file into a list (CSV, STIX 2.1 bundle, MISP event), or add one indicator by
// hand. The import's outcome (imported, refused with their lines or objects) stays shown.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { INTEL_FORMATS } from '@siem/contracts';
import type { ImportStats, IndicatorList, IntelFormat } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { useImportIntel } from '../api/import-intel.ts';
import { useAddIndicator } from '../api/indicator-changes.ts';

const guessFormat = (name: string): IntelFormat | null => (/\.(csv|txt)$/i.test(name) ? 'csv' : null);

export function IntelUploadForm({ list }: { list: IndicatorList }) {
  const upload = useImportIntel();
  const add = useAddIndicator();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<IntelFormat>('csv');
  const [replace, setReplace] = useState(false);
  const [result, setResult] = useState<ImportStats | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [value, setValue] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setResult(null);
    setProblems([]);
    const text = await file.text();
    upload.mutate({ id: list.id, format, text, replace }, {
      onSuccess: setResult,
      onError: (err) => setProblems(isApiError(err) && err.details.length ? [err.message, ...err.details.map((d) => d.message)] : [errorMessage(err)]),
    });
  };

  const addOne = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ id: list.id, body: { value: value.trim() } }, { onSuccess: () => setValue('') });
  };

  return (
    <div>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="intel-upload">
        <div className="form-grid">
          <Field label="Feed file">
            <input type="file" accept=".csv,.txt,.json" onChange={(e) => { const f = e.target.files?.[0] ?? null; setFile(f); const g = f && guessFormat(f.name); if (g) setFormat(g); }} />
          </Field>
          <Field label="Format">
            <select value={format} onChange={(e) => setFormat(e.target.value as IntelFormat)} data-testid="intel-format">
              {INTEL_FORMATS.map((f) => <option key={f} value={f}>{f === 'stix' ? 'STIX 2.1 bundle' : f === 'misp' ? 'MISP event' : 'CSV'}</option>)}
            </select>
          </Field>
          <label className="check"><input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace the list with the file</label>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!file || upload.isPending}>{upload.isPending ? 'Importing…' : 'Import'}</button>
        </div>
      </form>
      {result && (
        <p role="status" data-testid="intel-import-result">
          {result.imported} imported{result.rejected > 0 ? `, ${result.rejected} refused` : ''}{result.truncated > 0 ? `, ${result.truncated} over the limit` : ''} in {result.duration_ms} ms.
        </p>
      )}
      {(result?.errors.length ?? 0) > 0 && <ul className="small warn-text" data-testid="intel-import-errors">{result!.errors.map((m) => <li key={m}>{m}</li>)}</ul>}
      {problems.length > 0 && <div className="error-summary" role="alert" data-testid="intel-import-problems"><ul>{problems.map((m) => <li key={m}>{m}</li>)}</ul></div>}
      <form className="form" onSubmit={addOne}>
        <Field label="Add one indicator" error={add.error ? errorMessage(add.error) : undefined} hint="Address, network, domain, URL or hash; the type is recognised">
          <input className="mono" value={value} onChange={(e) => setValue(e.target.value)} maxLength={2048} data-testid="intel-add-value" />
        </Field>
        <div className="form-actions"><button type="submit" className="btn" disabled={!value.trim() || add.isPending}>Add</button></div>
      </form>
    </div>
  );
}
