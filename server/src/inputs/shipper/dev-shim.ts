// TEMPORARY (never committed): an Intake over the existing ingest service until the lead's lands.
import type { IngestService } from '../../services/ingest.ts';
import type { Intake, IntakeOutcome } from '../../services/intake-types.ts';
export function shimIntake(ingest: IngestService): Intake {
  const run = async (items: Record<string, unknown>[], bytes?: number): Promise<IntakeOutcome> => {
    const { result } = await ingest.ingestBulk(items, { bytes });
    const r = result as unknown as { accepted: number; rejected: number; errors?: { index: number; message?: string }[] };
    return { accepted: r.accepted, rejected: r.rejected, errors: (r.errors ?? []).map((e) => ({ index: e.index, message: String(e.message ?? 'refused') })) };
  };
  return {
    lines: (lines, ctx) => run(lines.map((l) => ({ source_type: 'generic', message: l, hostname: ctx.hint?.host ?? undefined })), ctx.bytes),
    documents: (docs, ctx) => run(docs.map((d) => ({ source_type: 'generic', message: typeof d.doc.message === 'string' ? d.doc.message : JSON.stringify(d.doc), hostname: d.host ?? undefined, metadata: { index: d.index ?? null } })), ctx.bytes),
    hasRoom: () => true,
    waitForRoom: async () => {},
  };
}
