// /rules/import (engineers and admins): Sigma rules pasted as YAML or picked as .yml/.yaml
// files (read in the browser), tried with "Dry run" or stored with "Import"; the results
// table says what became of every document.
import { useState } from 'react';
import type { ChangeEvent } from 'react';
import { Link } from 'react-router';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { toast } from '../../../lib/toast.ts';
import { IMPORT_LIMITS, useImportRules } from '../api/import-rules.ts';
import type { ImportRequest } from '../api/import-rules.ts';
import { ImportResults } from './import-results.tsx';
import './rule-builder.css';

interface PickedFile {
  name: string;
  content: string;
}

async function readFiles(list: FileList): Promise<PickedFile[]> {
  const files = [...list].filter((f) => /\.ya?ml$/i.test(f.name)).slice(0, IMPORT_LIMITS.maxFiles);
  return Promise.all(files.map(async (f) => ({ name: f.name, content: await f.text() })));
}

export default function RuleImportPage() {
  const [pasted, setPasted] = useState('');
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [enabled, setEnabled] = useState(true);
  const [lastDryRun, setLastDryRun] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const run = useImportRules();

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    if (!e.target.files) return;
    const picked = await readFiles(e.target.files);
    setFiles(picked);
    setLocalError(picked.length === 0 ? 'Pick .yml or .yaml files' : null);
  };

  const send = (dryRun: boolean) => {
    const all = [...files, ...(pasted.trim() ? [{ name: 'pasted.yml', content: pasted }] : [])];
    if (all.length === 0) return setLocalError('Paste Sigma YAML or pick files first');
    const bytes = all.reduce((n, f) => n + new Blob([f.content]).size, 0);
    if (bytes > IMPORT_LIMITS.maxBytes) return setLocalError(`At most ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB of YAML per import; this is ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    setLocalError(null);
    setLastDryRun(dryRun);
    const body: ImportRequest = { files: all, enabled, dry_run: dryRun };
    run.mutate(body, {
      onSuccess: (r) => {
        if (!dryRun) toast.success(`${r.created} created, ${r.updated} updated, ${r.refused} refused`);
      },
    });
  };

  const error = run.error;
  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to="/rules">Rules</Link> / <span>Import Sigma</span></nav>
      <header className="page-head"><h1>Import Sigma rules</h1></header>
      <section className="card panel form">
        <p className="muted">
          Paste one or more Sigma rules (YAML documents separated by <code>---</code>) or pick .yml / .yaml files. A rule already imported
          (same Sigma id) is updated in place. Try a dry run first: it reports what would happen and stores nothing.
        </p>
        <div className="field">
          <label htmlFor="sigma-yaml">Sigma YAML</label>
          <textarea id="sigma-yaml" className="mono code-editor" rows={14} spellCheck={false} value={pasted} onChange={(e) => setPasted(e.target.value)}
            placeholder={'title: Encoded PowerShell\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  selection:\n    CommandLine|contains: " -enc "\n  condition: selection\nlevel: high'} />
        </div>
        <div className="field">
          <label htmlFor="sigma-files">Files</label>
          <input id="sigma-files" type="file" accept=".yml,.yaml" multiple onChange={(e) => void pick(e)} />
          {files.length > 0 && <small className="field-hint">{files.length} file{files.length === 1 ? '' : 's'}: {files.map((f) => f.name).join(', ')}</small>}
        </div>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> New rules start enabled
        </label>
        <FormError message={localError ?? (error ? errorMessage(error) : null)} />
        {error && isApiError(error) && error.details.length > 0 && (
          <ul className="error-summary small">{error.details.map((d, i) => <li key={i}>{d.field ? `${d.field}: ` : ''}{d.message}</li>)}</ul>
        )}
        <div className="form-actions">
          <button type="button" className="btn" disabled={run.isPending} onClick={() => send(true)}>{run.isPending && lastDryRun ? 'Checking…' : 'Dry run'}</button>
          <button type="button" className="btn btn-primary" disabled={run.isPending} onClick={() => send(false)}>{run.isPending && !lastDryRun ? 'Importing…' : 'Import'}</button>
        </div>
      </section>
      {run.data && <ImportResults result={run.data} dryRun={run.data.dry_run ?? lastDryRun} />}
    </div>
  );
}
