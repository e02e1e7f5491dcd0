// Playbook loading: YAML text -> validated Playbook, every problem located by
// file, event index, field and line (STYLE rule 11). Each event is checked against the same
// ingest schema and normalization the runner will feed it to, so a run never dies halfway
// on an event the loader let through. The directory helpers list, parse and resolve names.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { IngestEventSchema, SOURCE_TYPES, type PlaybookError, type PlaybookInfo, type SourceType } from '@siem/contracts';
import { checkJsonShape, DEFAULT_SHAPE_LIMITS, normalizeEvent } from '../engine/normalize/index.ts';
import { zodDetails } from '../lib/zod-details.ts';

export type { PlaybookError } from '@siem/contracts';

export interface PlaybookEvent {
  /** Pause before this event, seconds (relative to the previous emission). */
  delay_seconds: number;
  /** The event as it enters ingest: the entry's keys minus delay_seconds, null-valued keys
   *  dropped, source_type defaulted to 'generic' and event_type to ''. */
  fields: Record<string, unknown>;
}

export interface Playbook {
  name: string;
  description: string;
  mitre_tactics: string[];
  mitre_techniques: string[];
  events: PlaybookEvent[];
}

export type ParseResult = { ok: true; playbook: Playbook } | { ok: false; errors: PlaybookError[] };

export interface PlaybookEntry {
  filename: string;
  info: PlaybookInfo;
  /** Present only when the file is valid. */
  playbook?: Playbook;
  errors: PlaybookError[];
}

/** Limits that keep one file from costing the catalogue more than a moment. */
export const PLAYBOOK_LIMITS = Object.freeze({
  maxBytes: 1_048_576,
  maxEvents: 10_000,
  /** One delay above a day is a typo; it would also overflow setTimeout at low speeds. */
  maxDelaySeconds: 86_400,
  maxNameLength: 200,
  /** Past this many findings the rest are summarised: the file needs rewriting anyway. */
  maxErrors: 200,
  maxAliasCount: 100,
});

export const PLAYBOOK_EXTENSION = '.yml';
const TOP_LEVEL_DEFAULTS = 'name, description, mitre_tactics, mitre_techniques, events';
const SOURCE_TYPE_SET: ReadonlySet<string> = new Set(SOURCE_TYPES);

type Path = readonly (string | number)[];
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Collects located errors, resolving lines from the document's node ranges. */
class Problems {
  readonly list: PlaybookError[] = [];
  private dropped = 0;

  constructor(
    private readonly file: string,
    private readonly doc: Document | null = null,
    private readonly lines: LineCounter | null = null,
  ) {}

  add(message: string, where: { path?: Path; event_index?: number; field?: string; line?: number } = {}): void {
    if (this.list.length >= PLAYBOOK_LIMITS.maxErrors) {
      this.dropped++;
      return;
    }
    const error: PlaybookError = { file: this.file, message };
    if (where.event_index !== undefined) error.event_index = where.event_index;
    if (where.field !== undefined && where.field !== '') error.field = where.field;
    const line = where.line ?? (where.path ? this.lineOf(where.path) : undefined);
    if (line !== undefined) error.line = line;
    this.list.push(error);
  }

  /** In file order (stable; errors without a line first), then the overflow summary. */
  finish(): PlaybookError[] {
    this.list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (this.dropped > 0) this.list.push({ file: this.file, message: `${this.dropped} more problems not listed` });
    return this.list;
  }

  /** The 1-based line of the deepest node of `path` that exists (a key's line for a pair). */
  private lineOf(p: Path): number | undefined {
    if (!this.doc || !this.lines) return undefined;
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node);
    for (const key of p) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(key));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

/** "events.3.delay_seconds" style for messages (PlaybookInfo.errors). */
export function formatPlaybookError(e: PlaybookError): string {
  const where = [e.event_index !== undefined ? `events[${e.event_index}]` : '', e.field ?? ''].filter(Boolean).join('.');
  const line = e.line !== undefined ? ` (line ${e.line})` : '';
  return `${where === '' ? e.file : `${e.file}: ${where}`}${line}: ${e.message}`;
}

/** The YAML problem's first line without the " at line N, column M:" tail (line is kept apart). */
function yamlMessage(err: { message: string; code: string }): string {
  const first = err.message.split('\n')[0] ?? err.code;
  return `invalid YAML (${err.code}): ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

/** null/undefined mean "absent" (playbooks drop null keys), so they take the default. */
const isAbsent = (v: unknown) => v === null || v === undefined;

function readText(root: Record<string, unknown>, key: 'name' | 'description', problems: Problems): string | undefined {
  const value = root[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') {
    problems.add(`${key} must be text, got ${describe(value)}`, { field: key, path: [key] });
    return undefined;
  }
  if (key === 'name' && (value.trim() === '' || value.length > PLAYBOOK_LIMITS.maxNameLength)) {
    problems.add(`name must be 1 to ${PLAYBOOK_LIMITS.maxNameLength} characters`, { field: key, path: [key] });
    return undefined;
  }
  return value;
}

function readStringList(root: Record<string, unknown>, key: 'mitre_tactics' | 'mitre_techniques', problems: Problems): string[] {
  const value = root[key];
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) {
    problems.add(`${key} must be a list of strings, got ${describe(value)}`, { field: key, path: [key] });
    return [];
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string') out.push(item);
    else problems.add(`${key}[${i}] must be a string, got ${describe(item)}`, { field: `${key}[${i}]`, path: [key, i] });
  });
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `text '${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  return `${typeof v} ${String(v)}`;
}

/** Values ingest could not store as JSON, found anywhere in an event. */
function findUnstorable(value: unknown, at: string, out: { field: string; message: string }[]): void {
  if (typeof value === 'number' && !Number.isFinite(value)) out.push({ field: at, message: `${value} is not a finite number` });
  else if (typeof value === 'bigint') out.push({ field: at, message: 'integer too large' });
  else if (Array.isArray(value)) value.forEach((item, i) => findUnstorable(item, `${at}.${i}`, out));
  else if (typeof value === 'object' && value !== null) {
    if (!isPlainObject(value)) {
      out.push({ field: at, message: 'only mappings, lists, text, numbers, booleans and null are allowed' });
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      // yaml stores such a key as an own property, but a later spread would turn it into a prototype.
      if (key === '__proto__') out.push({ field: at === '' ? key : `${at}.${key}`, message: "the key '__proto__' is not allowed" });
      else findUnstorable(child, at === '' ? key : `${at}.${key}`, out);
    }
  }
}

function readEvent(entry: unknown, index: number, problems: Problems): PlaybookEvent | null {
  const at = (field?: string): { event_index: number; field?: string; path: Path } =>
    field === undefined ? { event_index: index, path: ['events', index] } : { event_index: index, field, path: ['events', index, field.split('.')[0]!] };
  if (!isPlainObject(entry)) {
    problems.add(`each event must be a mapping of fields, got ${describe(entry)}`, at());
    return null;
  }
  const before = problems.list.length;
  let delay = 0;
  const rawDelay = entry.delay_seconds;
  if (!isAbsent(rawDelay)) {
    if (typeof rawDelay !== 'number' || !Number.isFinite(rawDelay)) {
      problems.add(`delay_seconds must be a number of seconds, got ${describe(rawDelay)}`, at('delay_seconds'));
    } else if (rawDelay < 0 || rawDelay > PLAYBOOK_LIMITS.maxDelaySeconds) {
      problems.add(`delay_seconds must be between 0 and ${PLAYBOOK_LIMITS.maxDelaySeconds}, got ${rawDelay}`, at('delay_seconds'));
    } else {
      delay = rawDelay;
    }
  }

  const fields: Record<string, unknown> = { source_type: 'generic', event_type: '' };
  for (const [key, value] of Object.entries(entry)) {
    if (key !== 'delay_seconds' && value !== null) fields[key] = value;
  }
  const sourceType = fields.source_type;
  const knownType = typeof sourceType === 'string' && SOURCE_TYPE_SET.has(sourceType);
  if (!knownType) {
    problems.add(`unknown source_type ${describe(sourceType)}; valid: ${SOURCE_TYPES.join(', ')}`, at('source_type'));
  }

  const report = (d: { field: string; message: string }) => problems.add(d.message, at(d.field));
  // The shape walk is iterative and bounds the depth, so the recursive walk below is safe.
  const shape = checkJsonShape(fields, DEFAULT_SHAPE_LIMITS);
  const unstorable: { field: string; message: string }[] = [];
  if (shape.length === 0) findUnstorable(fields, '', unstorable);
  [...shape, ...unstorable].forEach(report);
  if (shape.length === 0 && unstorable.length === 0) checkAsIngest(knownType ? fields : { ...fields, source_type: 'generic' as SourceType }, report);
  return problems.list.length === before ? { delay_seconds: delay, fields } : null;
}

/** The checks of ingest's prepare after the shape check (schema, normalization), at load time. */
function checkAsIngest(fields: Record<string, unknown>, report: (d: { field: string; message: string }) => void): void {
  let raw = fields;
  let parsed = IngestEventSchema.safeParse(raw);
  if (!parsed.success) {
    const details = zodDetails(parsed.error, raw);
    details.forEach(report);
    // Without the fields the schema refused, the rest still gets the normalization checks
    // (addresses, time), so one pass reports everything wrong with the event.
    raw = { ...raw };
    for (const d of details) delete raw[d.field.split('.')[0]!];
    parsed = IngestEventSchema.safeParse(raw);
    if (!parsed.success) return;
  }
  // The time only matters for events without a timestamp, which cannot fail on it.
  const normalized = normalizeEvent({ raw, fields: parsed.data }, 0);
  if (!normalized.ok) normalized.issues.forEach(report);
}

function stem(filename: string): string {
  const base = path.basename(filename);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

interface Analysis {
  playbook: Playbook | null;
  errors: PlaybookError[];
  /** Best-effort catalogue fields, also for an invalid file. */
  info: Omit<PlaybookInfo, 'filename' | 'valid' | 'errors'>;
}

function analyze(text: string, filename: string): Analysis {
  const info = { name: stem(filename), description: '', mitre_tactics: [] as string[], mitre_techniques: [] as string[], event_count: 0 };
  const fail = (errors: PlaybookError[]): Analysis => ({ playbook: null, errors, info });
  if (Buffer.byteLength(text, 'utf8') > PLAYBOOK_LIMITS.maxBytes) {
    return fail([{ file: filename, message: `file is larger than ${PLAYBOOK_LIMITS.maxBytes} bytes` }]);
  }
  const lines = new LineCounter();
  // core schema: plain YAML 1.2 scalars, no custom tags, and resolveKnownTags off so
  // !!timestamp, !!binary, !!set... stay unresolved (reported below) instead of becoming
  // Dates or byte arrays that ingest cannot store.
  const doc = parseDocument(text, { schema: 'core', customTags: [], resolveKnownTags: false, merge: false, uniqueKeys: true, lineCounter: lines });
  const syntax = new Problems(filename);
  const seen = new Set<string>();
  for (const err of [...doc.errors, ...doc.warnings]) {
    const message = yamlMessage(err);
    const line = err.linePos?.[0]?.line;
    // The parser can report one failure once per pass; the reader needs it once.
    if (!seen.has(`${line}:${message}`)) syntax.add(message, { line });
    seen.add(`${line}:${message}`);
  }
  if (syntax.list.length > 0) return fail(syntax.finish());

  const problems = new Problems(filename, doc, lines);
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: PLAYBOOK_LIMITS.maxAliasCount });
  } catch (err) {
    problems.add(`invalid YAML: ${(err as Error).message}`);
    return fail(problems.finish());
  }
  if (!isPlainObject(root)) {
    problems.add(`the top level must be a mapping with ${TOP_LEVEL_DEFAULTS}; got ${describe(root)}`, { path: [] });
    return fail(problems.finish());
  }

  const name = readText(root, 'name', problems);
  const description = readText(root, 'description', problems);
  info.name = name ?? info.name;
  info.description = description ?? '';
  info.mitre_tactics = readStringList(root, 'mitre_tactics', problems);
  info.mitre_techniques = readStringList(root, 'mitre_techniques', problems);

  const events: PlaybookEvent[] = [];
  const rawEvents = root.events;
  if (!isAbsent(rawEvents)) {
    if (!Array.isArray(rawEvents)) {
      problems.add(`events must be a list of mappings, got ${describe(rawEvents)}`, { field: 'events', path: ['events'] });
    } else {
      info.event_count = rawEvents.length;
      if (rawEvents.length > PLAYBOOK_LIMITS.maxEvents) {
        problems.add(`at most ${PLAYBOOK_LIMITS.maxEvents} events per playbook, got ${rawEvents.length}`, { field: 'events', path: ['events'] });
      } else {
        rawEvents.forEach((entry, i) => {
          const event = readEvent(entry, i, problems);
          if (event) events.push(event);
        });
      }
    }
  }
  const errors = problems.finish();
  if (errors.length > 0) return fail(errors);
  return { playbook: { name: info.name, description: info.description, mitre_tactics: info.mitre_tactics, mitre_techniques: info.mitre_techniques, events }, errors, info };
}

/** Parses and validates one playbook text; `filename` names it in errors and gives the default name. */
export function parsePlaybook(text: string, filename: string): ParseResult {
  const { playbook, errors } = analyze(text, filename);
  return playbook ? { ok: true, playbook } : { ok: false, errors };
}

function toEntry(filename: string, analysis: Analysis): PlaybookEntry {
  const valid = analysis.playbook !== null;
  const info: PlaybookInfo = { filename, ...analysis.info, valid };
  if (!valid) info.errors = analysis.errors.map(formatPlaybookError);
  return valid ? { filename, info, playbook: analysis.playbook!, errors: [] } : { filename, info, errors: analysis.errors };
}

/** `*.yml` as a shell glob sees it: not hidden, that exact (case-sensitive) extension. */
const isPlaybookName = (name: string) => name.endsWith(PLAYBOOK_EXTENSION) && name.length > PLAYBOOK_EXTENSION.length && !name.startsWith('.');

/** The `*.yml` regular files (or links to them) directly inside dir, sorted; [] when dir is missing. */
async function listPlaybookNames(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!isPlaybookName(entry.name)) continue;
    if (entry.isFile()) names.push(entry.name);
    else if (entry.isSymbolicLink()) {
      const target = await stat(path.join(dir, entry.name)).catch(() => null);
      if (target?.isFile()) names.push(entry.name);
    }
  }
  // Code-unit order, not locale order: the same list on every machine.
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function loadOne(dir: string, filename: string): Promise<PlaybookEntry> {
  const file = path.join(dir, filename);
  const unreadable = (message: string) =>
    toEntry(filename, { playbook: null, errors: [{ file: filename, message }], info: { name: stem(filename), description: '', mitre_tactics: [], mitre_techniques: [], event_count: 0 } });
  try {
    const size = (await stat(file)).size;
    // Checked before reading so a huge file is never loaded into memory.
    if (size > PLAYBOOK_LIMITS.maxBytes) return unreadable(`file is larger than ${PLAYBOOK_LIMITS.maxBytes} bytes`);
    return toEntry(filename, analyze(await readFile(file, 'utf8'), filename));
  } catch (err) {
    return unreadable(`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Every `*.yml` playbook directly inside dir, sorted by file name; invalid ones carry their errors. */
export async function loadPlaybookDir(dir: string): Promise<PlaybookEntry[]> {
  const names = await listPlaybookNames(dir);
  return Promise.all(names.map((name) => loadOne(dir, name)));
}

/**
 * The path of a listed playbook, or null. Only an exact listed name is accepted, so path
 * separators, `..`, absolute paths and names of other files never reach the file system
 * (v1 joined the name to the directory unchecked).
 */
export async function resolvePlaybookFile(dir: string, filename: string): Promise<string | null> {
  if (typeof filename !== 'string' || !isPlaybookName(filename) || /[/\\\0]/.test(filename)) return null;
  const names = await listPlaybookNames(dir);
  return names.includes(filename) ? path.join(dir, filename) : null;
}

/** One listed playbook, parsed (with its errors when invalid); null when the name is not listed. */
export async function loadPlaybookFile(dir: string, filename: string): Promise<PlaybookEntry | null> {
  const file = await resolvePlaybookFile(dir, filename);
  return file === null ? null : loadOne(dir, filename);
}
