// Sigma import, pure: files of YAML text in, one result per document out (a rule of ours,
// or a located refusal). Detection rules translate first, so correlations can inline the
// rules they name from anywhere in the batch. Stages: documents.ts (YAML, bounds) ->
// detection-rule.ts (metadata, logsource, detection, condition, emit) -> correlation.ts.
import { parseDocuments, SigmaBoundsError, SIGMA_LIMITS } from './documents.ts';
import { translateCorrelation, type Referenceable } from './correlation.ts';
import { translateDetection } from './detection-rule.ts';
import { SigmaRefusal, type DocumentResult } from './types.ts';

export { SigmaBoundsError, SIGMA_LIMITS } from './documents.ts';
export type { DocumentResult, TranslatedRule, SigmaOrigin } from './types.ts';

export interface SigmaFile {
  name: string;
  content: string;
}

interface Pending {
  file: string;
  document: number;
  doc: Record<string, unknown>;
  warnings: string[];
  ref: Referenceable | null;
  /** Why the detection rule was refused (pass 1). */
  refusal: SigmaRefusal | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function refused(base: Omit<DocumentResult, 'outcome' | 'warnings'>, err: unknown, warnings: string[]): DocumentResult {
  if (err instanceof SigmaRefusal) {
    return { ...base, outcome: 'refused', reason: err.message, ...(err.field ? { field: err.field } : {}), ...(err.modifier ? { modifier: err.modifier } : {}), warnings };
  }
  throw err;
}

export function translateSigma(files: readonly SigmaFile[]): DocumentResult[] {
  const total = files.reduce((n, f) => n + Buffer.byteLength(f.content, 'utf8'), 0);
  if (total > SIGMA_LIMITS.maxBytes) throw new SigmaBoundsError('too_large', `Sigma text larger than ${SIGMA_LIMITS.maxBytes / 1024 / 1024} MB`);
  const results: DocumentResult[] = [];
  const slots: (DocumentResult | Pending)[] = [];
  let documents = 0;
  for (const file of files) {
    for (const parsed of parseDocuments(file.content)) {
      if (++documents > SIGMA_LIMITS.maxDocuments) throw new SigmaBoundsError('too_many_documents', `more than ${SIGMA_LIMITS.maxDocuments} YAML documents`);
      const base = { file: file.name, document: parsed.index, title: null, sigma_id: null };
      if (parsed.error !== null) {
        slots.push({ ...base, outcome: 'refused', reason: parsed.error, warnings: [] });
        continue;
      }
      const v = parsed.value;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        slots.push({ ...base, outcome: 'refused', reason: 'a Sigma rule is a YAML map', warnings: [] });
        continue;
      }
      slots.push({ file: file.name, document: parsed.index, doc: v as Record<string, unknown>, warnings: [], ref: null, refusal: null });
    }
  }
  const isPending = (s: DocumentResult | Pending): s is Pending => 'doc' in s;
  const batch: Referenceable[] = [];
  // Pass 1: detection rules.
  for (const s of slots) {
    if (!isPending(s) || s.doc.correlation !== undefined) continue;
    const ref: Referenceable = { name: str(s.doc.name), id: str(s.doc.id), title: str(s.doc.title) ?? '', doc: s.doc, rule: null, refusal: null };
    s.ref = ref;
    batch.push(ref);
    try {
      if (s.doc.detection === undefined) throw new SigmaRefusal('neither detection nor correlation: not a Sigma rule', { field: 'detection' });
      ref.rule = translateDetection(s.doc, s.warnings);
    } catch (err) {
      if (!(err instanceof SigmaRefusal)) throw err;
      ref.refusal = err.message;
      s.refusal = err;
    }
  }
  // Pass 2: correlations, which mark the rules they inline (unless `generate: true`).
  const included = new Map<Referenceable, string>();
  const corrResults = new Map<Pending, DocumentResult>();
  for (const s of slots) {
    if (!isPending(s) || s.doc.correlation === undefined) continue;
    const base = { file: s.file, document: s.document, title: str(s.doc.title), sigma_id: str(s.doc.id) };
    try {
      const { rule, used } = translateCorrelation(s.doc, batch, s.warnings);
      if ((s.doc.correlation as Record<string, unknown>).generate !== true) for (const r of used) included.set(r, rule.name);
      corrResults.set(s, { ...base, outcome: 'translated', rule, warnings: s.warnings });
    } catch (err) {
      corrResults.set(s, refused(base, err, s.warnings));
    }
  }
  for (const s of slots) {
    if (!isPending(s)) {
      results.push(s);
      continue;
    }
    const base = { file: s.file, document: s.document, title: str(s.doc.title), sigma_id: str(s.doc.id) };
    const corr = corrResults.get(s);
    if (corr) results.push(corr);
    else if (s.ref?.rule && included.has(s.ref)) {
      results.push({ ...base, outcome: 'included', reason: `inlined by the correlation rule '${included.get(s.ref)}'`, warnings: s.warnings });
    } else if (s.ref?.rule) results.push({ ...base, outcome: 'translated', rule: s.ref.rule, warnings: s.warnings });
    else results.push(refused(base, s.refusal, s.warnings));
  }
  return results;
}
