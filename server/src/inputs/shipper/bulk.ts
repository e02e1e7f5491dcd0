// The Elasticsearch _bulk body: NDJSON pairs of an action line and, for index and create,
// the document. Pure: text in, operations out. A malformed action line makes the whole
// request a 400 like Elasticsearch answers it (the pairing after it is unknowable); a bad
// document only fails its own item.

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface BulkOp {
  action: BulkAction;
  index: string | null;
  id: string | null;
  /** The document of index/create; null when its line was missing or not a JSON object. */
  doc: Record<string, unknown> | null;
  /** Why the item fails (document line not JSON, no index...). */
  error: { type: string; reason: string } | null;
}

export type BulkParse =
  | { ok: true; ops: BulkOp[] }
  | { ok: false; status: 400 | 413; type: string; reason: string };

const ACTIONS = new Set<string>(['index', 'create', 'update', 'delete']);
const MAX_NAME_CHARS = 255;

function readName(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value.slice(0, MAX_NAME_CHARS);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function parseObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * Parses a _bulk body. `pathIndex` is the index named in the URL (`/<index>/_bulk`), the
 * default for actions that name none; `maxItems` bounds the operations (413 beyond).
 */
export function parseBulk(text: string, opts: { pathIndex: string | null; maxItems: number }): BulkParse {
  const ops: BulkOp[] = [];
  const lines = text.split('\n');
  let i = 0;
  const next = (): string | null => {
    while (i < lines.length) {
      const line = lines[i++]!;
      if (!isBlank(line)) return line;
    }
    return null;
  };
  for (let line = next(); line !== null; line = next()) {
    const actionLine = parseObject(line);
    const keys = actionLine ? Object.keys(actionLine) : [];
    const action = keys[0];
    if (!actionLine || keys.length !== 1 || action === undefined || !ACTIONS.has(action)) {
      return { ok: false, status: 400, type: 'illegal_argument_exception', reason: `Malformed action/metadata line [${i}], expected one of index, create, update, delete` };
    }
    if (ops.length >= opts.maxItems) {
      return { ok: false, status: 413, type: 'illegal_argument_exception', reason: `A bulk request takes at most ${opts.maxItems} operations; split it` };
    }
    const meta = actionLine[action];
    const metaObject = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
    const op: BulkOp = {
      action: action as BulkAction,
      index: readName(metaObject._index) ?? opts.pathIndex,
      id: readName(metaObject._id),
      doc: null,
      error: null,
    };
    if (op.action !== 'delete') {
      const source = next();
      if (source === null) {
        op.error = { type: 'action_request_validation_exception', reason: `Validation Failed: the ${op.action} action on line [${i}] has no document line` };
      } else {
        op.doc = parseObject(source);
        if (!op.doc) op.error = { type: 'mapper_parsing_exception', reason: `failed to parse: the document on line [${i}] is not a JSON object` };
      }
    }
    if (!op.error && op.index === null) op.error = { type: 'action_request_validation_exception', reason: 'Validation Failed: 1: index is missing;' };
    ops.push(op);
  }
  return { ok: true, ops };
}
