// The Export menu: downloads the current filter's matches (newest first, up to 10,000 rows)
// as CSV or NDJSON.
import { useRef, useState } from 'react';
import type { ExportFormat } from '@siem/contracts';
import { errorMessage } from '../../../lib/api-client.ts';
import { useToasts } from '../../../lib/toast.ts';
import { EXPORT_ROWS, downloadExport } from '../api/export.ts';
import type { LogFilters } from '../api/filters.ts';
import './search-tools.css';
import { useDismiss } from './use-dismiss.ts';

export function ExportMenu({ filters, enabled }: { filters: LogFilters; enabled: boolean }) {
  const menu = useRef<HTMLDetailsElement>(null);
  useDismiss(menu);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const push = useToasts((s) => s.push);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const name = await downloadExport(filters, format);
      push('success', `Exported ${name}`);
      if (menu.current) menu.current.open = false;
    } catch (e) {
      push('error', errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <details className="tool-menu" ref={menu}>
      <summary className="btn btn-small" aria-disabled={!enabled}>Export</summary>
      <div className="tool-menu-panel" role="menu" aria-label="Export">
        {!enabled && <p className="muted small">Export takes the filters, not a text search: clear the search box first.</p>}
        <p className="muted small">The newest {EXPORT_ROWS.toLocaleString('en-US')} matching events, with the current filters.</p>
        <button type="button" role="menuitem" className="btn btn-small" disabled={!enabled || busy !== null} onClick={() => void run('csv')}>
          {busy === 'csv' ? 'Exporting…' : 'CSV (spreadsheet)'}
        </button>
        <button type="button" role="menuitem" className="btn btn-small" disabled={!enabled || busy !== null} onClick={() => void run('ndjson')}>
          {busy === 'ndjson' ? 'Exporting…' : 'NDJSON (one event per line)'}
        </button>
      </div>
    </details>
  );
}
