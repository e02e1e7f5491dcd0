// Sigma test helpers: a rule document from its detection (JSON is YAML), translated alone.
import assert from 'node:assert/strict';
import { translateSigma, type DocumentResult } from '../../../src/engine/sigma/index.ts';

export const WIN_PROC = { product: 'windows', category: 'process_creation' };

export function sigmaDoc(detection: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ title: 'Test rule', id: '00000000-0000-4000-8000-000000000001', logsource: {}, level: 'high', detection, ...extra });
}

export function translateOne(text: string): DocumentResult {
  const results = translateSigma([{ name: 'test.yml', content: text }]);
  assert.equal(results.length, 1);
  return results[0]!;
}

/** The event_filter of a translated rule (fails the test when refused). */
export function filterOf(detection: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const r = translateOne(sigmaDoc(detection, extra));
  assert.equal(r.outcome, 'translated', r.outcome === 'refused' ? r.reason : '');
  return (r as DocumentResult & { outcome: 'translated' }).rule.conditions.event_filter as Record<string, unknown>;
}

/** The refusal of a document (fails the test when it translated). */
export function refusalOf(detection: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const r = translateOne(sigmaDoc(detection, extra));
  assert.equal(r.outcome, 'refused', 'expected a refusal');
  return r as DocumentResult & { outcome: 'refused' };
}
