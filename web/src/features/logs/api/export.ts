// GET /v1/logs/export: downloads the current filter's matches as a file. The request carries
// the bearer token, so it is fetched and handed to the browser as a blob (bounded by the
// server's row limit) rather than opened as a plain link.
import type { ExportFormat } from '@siem/contracts';
import { ApiError, buildUrl } from '../../../lib/api-client.ts';
import { getToken } from '../../../lib/session.ts';
import type { LogFilters } from './filters.ts';
import { toolQuery } from './tool-query.ts';

export const EXPORT_ROWS = 10_000;

/** Fetches the export and saves it under the server's file name; resolves with that name. */
export async function downloadExport(f: LogFilters, format: ExportFormat, limit = EXPORT_ROWS): Promise<string> {
  const token = getToken();
  const res = await fetch(buildUrl('/logs/export', { ...toolQuery(f), format, limit }), {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) {
    let message = `The export failed (${res.status})`;
    try {
      message = ((await res.json()) as { message?: string }).message ?? message;
    } catch {
      // Not a JSON error body: keep the generic sentence.
    }
    throw new ApiError(res.status, 'ExportError', message);
  }
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `logs.${format}`;
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}
