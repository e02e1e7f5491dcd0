// GET /v1/logs/export: the matches of a log filter as CSV or NDJSON, streamed. Rows are read
// newest first in chunks (keyset on (ts, seq), each chunk one bounded statement) and only
// when the client has taken the previous ones (the stream is pulled, so a slow client holds
// no more than a chunk in memory). Stops at the row limit, at EXPORT_LIMITS.maxBytes, or when
// the client goes away; every export is logged with who asked for what and how it ended.
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { CSV_COLUMNS, EXPORT_LIMITS, type ExportFormat, type ExportQuery } from '@siem/contracts';
import { csvLine } from '../engine/search/csv.ts';
import type { EventFilters } from '../store/events-repo.ts';
import type { CsvRow, EventsToolsRepo, ExportCursor } from '../store/events-tools-repo.ts';
import { eventFiltersOf } from './logs.ts';
import type { BoundedRead } from './search-bounded.ts';

/** Rows one statement reads: large enough to amortize a round trip, small enough to stay quick. */
export const EXPORT_CHUNK_ROWS = 2000;

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Readable;
}

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

/** `logs-20260301T123456Z.csv`: the time of the export, in UTC. */
export function exportFilename(format: ExportFormat, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `logs-${stamp}.${format}`;
}

function csvCells(row: CsvRow, fields: string[]): unknown[] {
  const ts = row.ts instanceof Date ? row.ts.toISOString() : new Date(row.ts).toISOString();
  const parsed = row.fields ?? {};
  const base = [ts, row.severity, row.source_type, row.event_type, row.source_ip, row.dest_ip, row.hostname, row.username, row.message, row.id];
  return fields.length === 0 ? base : [...base, ...fields.map((f) => parsed[f])];
}

export function createLogExportService(deps: {
  repo: EventsToolsRepo;
  read: BoundedRead;
  log: Logger;
  chunkRows?: number;
  maxBytes?: number;
  now?: () => number;
}) {
  const chunkRows = deps.chunkRows ?? EXPORT_CHUNK_ROWS;
  const maxBytes = deps.maxBytes ?? EXPORT_LIMITS.maxBytes;
  const now = deps.now ?? Date.now;

  /** One chunk of lines, already encoded. */
  async function readChunk(format: ExportFormat, filters: EventFilters, fields: string[], cursor: ExportCursor | null, n: number, signal: AbortSignal | undefined) {
    if (format === 'ndjson') {
      const { events, next } = await deps.read((s) => deps.repo.exportEvents(s, filters, cursor, n), signal);
      return { lines: events.map((e) => `${JSON.stringify(e)}\n`), next };
    }
    const { rows, next } = await deps.read((s) => deps.repo.exportCsvRows(s, filters, cursor, n, fields.length > 0), signal);
    return { lines: rows.map((r) => csvLine(csvCells(r, fields))), next };
  }

  return {
    /**
     * Reads the first chunk before answering (so a timeout is still a clean 503), then
     * returns the file whose body reads the rest as the client takes it.
     */
    async open(query: ExportQuery, who: { id: string; username: string }, signal?: AbortSignal): Promise<ExportFile> {
      const { format, limit, fields: fieldList, ...filterInput } = query;
      const fields = format === 'csv' ? (fieldList ?? []) : [];
      const filters = eventFiltersOf(filterInput);
      const startedAt = now();
      const first = await readChunk(format, filters, fields, null, Math.min(chunkRows, limit), signal);
      const stats = { rows: 0, bytes: 0, end: 'complete' as 'complete' | 'row_limit' | 'byte_limit' | 'client_gone' | 'failed' };

      async function* lines(): AsyncGenerator<Buffer> {
        try {
          if (format === 'csv') {
            const header = Buffer.from(csvLine([...CSV_COLUMNS, ...fields]));
            stats.bytes += header.length;
            yield header;
          }
          let chunk = first;
          for (;;) {
            const parts: Buffer[] = [];
            for (const line of chunk.lines) {
              const buf = Buffer.from(line);
              if (stats.bytes + buf.length > maxBytes) {
                stats.end = 'byte_limit';
                break;
              }
              parts.push(buf);
              stats.bytes += buf.length;
              stats.rows++;
            }
            if (parts.length > 0) yield Buffer.concat(parts);
            if (stats.end === 'byte_limit') return;
            if (!chunk.next) return;
            if (stats.rows >= limit) {
              stats.end = 'row_limit';
              return;
            }
            if (signal?.aborted) {
              stats.end = 'client_gone';
              return;
            }
            chunk = await readChunk(format, filters, fields, chunk.next, Math.min(chunkRows, limit - stats.rows), signal);
          }
        } catch (err) {
          stats.end = signal?.aborted ? 'client_gone' : 'failed';
          if (stats.end === 'failed') throw err;
        } finally {
          // Runs however the stream ends: completed, destroyed by a client gone, or failed.
          if (signal?.aborted && stats.end === 'complete') stats.end = 'client_gone';
          deps.log.info(
            { audit: 'log_export', user_id: who.id, username: who.username, format, filters, fields, limit, rows: stats.rows, bytes: stats.bytes, end: stats.end, ms: now() - startedAt },
            'log export',
          );
        }
      }

      return { filename: exportFilename(format, startedAt), contentType: CONTENT_TYPES[format], body: Readable.from(lines(), { objectMode: false }) };
    },
  };
}
export type LogExportService = ReturnType<typeof createLogExportService>;
