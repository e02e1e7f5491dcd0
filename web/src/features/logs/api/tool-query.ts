// The query parameters the search tools (histogram, field statistics, export) send: the
// same filters the log list sends, with relative ranges resolved now.
import { TEXT_FILTERS, timeBounds } from './filters.ts';
import type { LogFilters } from './filters.ts';

export type ToolQuery = Record<string, string | undefined>;

export function toolQuery(f: LogFilters, now = Date.now()): ToolQuery {
  const q: ToolQuery = { ...timeBounds(f, now) };
  if (f.source_type) q.source_type = f.source_type;
  if (f.severity) q.severity = f.severity;
  for (const k of TEXT_FILTERS) if (f[k]) q[k] = f[k] ?? undefined;
  // The query text of the search bar, when the list takes it as `query` too.
  const text = (f as LogFilters & { query?: string | null }).query;
  if (text) q.query = text;
  return q;
}

/**
 * Whether the tools describe what the list shows: a literal text search (`q`) runs on its
 * own endpoint, which the tools do not take.
 */
export const toolsApply = (f: LogFilters) => !f.q;
