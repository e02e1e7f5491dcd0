// One Sigma detection rule -> a `single` rule: the logsource's filter entries AND the
// detection. An unknown logsource adds nothing (the rule runs on its detection alone) and
// says so in the warnings.
import { detectionNode } from './detection.ts';
import { toFilter } from './emit.ts';
import { logsourceFilter } from './logsource.ts';
import { readLogsource, readMetadata } from './metadata.ts';
import { and, type Node, type TranslatedRule } from './types.ts';

export function translateDetection(doc: Record<string, unknown>, warnings: string[]): TranslatedRule {
  const logsource = readLogsource(doc);
  const meta = readMetadata(doc, logsource, warnings);
  const ctx = { logsource, warnings, fallbacks: new Map<string, string>() };
  const detection = detectionNode(doc.detection, ctx);
  if (ctx.fallbacks.size > 0) {
    const list = [...ctx.fallbacks].map(([sigma, ours]) => `${sigma} -> ${ours}`).join(', ');
    warnings.push(`fields with no mapping, matched where our parsers keep them: ${list}`);
  }
  const source = logsourceFilter(logsource);
  if (source.unknown.length > 0) {
    warnings.push(`logsource ${source.unknown.join(', ')} has no mapping to our events: the rule matches on its detection alone`);
  }
  const sourceNodes: Node[] = Object.entries(source.filter).map(([field, test]) => ({ kind: 'test', field, test: test as Record<string, unknown> }));
  const event_filter = toFilter(and([...sourceNodes, detection]));
  return { ...meta, rule_type: 'single', conditions: { event_filter } };
}
