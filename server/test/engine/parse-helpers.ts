// Shared by the parse-*.test.ts files: a fixed receipt time and a subset matcher, so each
// table row states only the fields it is about.
import assert from 'node:assert/strict';
import { parseLine } from '../../src/engine/parse/index.ts';
import type { ParseOptions, ParseResult } from '../../src/engine/parse/index.ts';

export const REF = Date.UTC(2026, 2, 15, 12, 0, 0); // 2026-03-15T12:00:00Z
export const OPTS: ParseOptions = { referenceMs: REF };

export interface Expect {
  parser?: string | null;
  source_type?: string;
  event_type?: string | null;
  count?: number;
  host?: string | null;
  program?: string | null;
  pid?: number | null;
  fields?: Record<string, string | number>;
  /** Field names that must be absent. */
  absent?: string[];
}

export function check(result: ParseResult, expect: Expect, label: string): void {
  for (const key of ['parser', 'source_type', 'event_type', 'count', 'host', 'program', 'pid'] as const) {
    if (expect[key] !== undefined) assert.equal(result[key], expect[key], `${label}: ${key}`);
  }
  for (const [name, value] of Object.entries(expect.fields ?? {})) {
    assert.deepEqual(result.fields[name], value, `${label}: field ${name} in ${JSON.stringify(result.fields)}`);
  }
  for (const name of expect.absent ?? []) assert.equal(result.fields[name], undefined, `${label}: ${name} should be absent`);
}

export function runTable(rows: ReadonlyArray<{ name: string; line: string; expect: Expect }>, opts: ParseOptions = OPTS): void {
  for (const row of rows) check(parseLine(row.line, opts), row.expect, row.name);
}
