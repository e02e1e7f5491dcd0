// YAML text -> plain documents, within bounds: the text's size, the number of documents,
// alias expansion (yaml's maxAliasCount stops "billion laughs") and nesting depth. A
// document that does not parse is reported on its own; the others still translate.
import { parseAllDocuments } from 'yaml';

export const SIGMA_LIMITS = { maxBytes: 5 * 1024 * 1024, maxDocuments: 2000, maxAliasCount: 100, maxDepth: 64 } as const;

/** A bound of the whole import was crossed: nothing is translated (413 for size, 422 otherwise). */
export class SigmaBoundsError extends Error {
  readonly kind: 'too_large' | 'too_many_documents';
  constructor(kind: 'too_large' | 'too_many_documents', message: string) {
    super(message);
    this.name = 'SigmaBoundsError';
    this.kind = kind;
  }
}

export type ParsedDocument = { index: number; value: unknown; error: null } | { index: number; value: null; error: string };

function depthOf(value: unknown, limit: number): number {
  // Iterative so a hostile document cannot exhaust the stack.
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, d + 1]);
  }
  return max;
}

/** Flow collections nest without indentation: bound them before the parser sees the text. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if ((c === 93 || c === 125) && depth > 0) depth--;
    else if (c === 10) depth = 0;
  }
  return max;
}

export function parseDocuments(text: string): ParsedDocument[] {
  if (Buffer.byteLength(text, 'utf8') > SIGMA_LIMITS.maxBytes) {
    throw new SigmaBoundsError('too_large', `Sigma text larger than ${SIGMA_LIMITS.maxBytes / 1024 / 1024} MB`);
  }
  if (flowDepth(text) > SIGMA_LIMITS.maxDepth) {
    return [{ index: 1, value: null, error: `YAML nests deeper than ${SIGMA_LIMITS.maxDepth} levels` }];
  }
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > SIGMA_LIMITS.maxDocuments) {
    throw new SigmaBoundsError('too_many_documents', `more than ${SIGMA_LIMITS.maxDocuments} YAML documents`);
  }
  const out: ParsedDocument[] = [];
  list.forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length > 0) {
      out.push({ index, value: null, error: `YAML: ${doc.errors[0]!.message.split('\n')[0]}` });
      return;
    }
    try {
      const value: unknown = doc.toJS({ maxAliasCount: SIGMA_LIMITS.maxAliasCount });
      if (value === null || value === undefined) return; // an empty document (a trailing "---")
      if (depthOf(value, SIGMA_LIMITS.maxDepth) > SIGMA_LIMITS.maxDepth) {
        out.push({ index, value: null, error: `YAML nests deeper than ${SIGMA_LIMITS.maxDepth} levels` });
      } else out.push({ index, value, error: null });
    } catch (err) {
      out.push({ index, value: null, error: `YAML: ${(err as Error).message.split('\n')[0]}` });
    }
  });
  return out;
}
