// The intake service: what every input (syslog listeners, raw text over HTTP, the shipper
// listener) hands its records to. Each record is parsed (engine/parse), prepared
// (engine/normalize/from-parse), stamped with its intake facts in `metadata`, reported to
// the Sources registry, and queued for storage; a call resolves once its records are
// persisted. Nothing a sender can put in a record refuses it: unknown text is stored as a
// generic event and counted as unparsed.
import { SOURCE_TYPES, type SourceType } from '@siem/contracts';
import type { PreparedEvent } from '../engine/event.ts';
import { checkJsonShape, DEFAULT_SHAPE_LIMITS } from '../engine/normalize/index.ts';
import { prepareParsed } from '../engine/normalize/from-parse.ts';
import { parseDocument, parseLine, parseRecord, storableText, type ParseResult } from '../engine/parse/index.ts';
import { newObjectId } from '../lib/object-id.ts';
import type { Metrics } from '../metrics.ts';
import type { NewEvent } from '../store/events-repo.ts';
import type { EventWriter } from './event-writer.ts';
import { checkClientId, ecsEventId } from './event-dedup.ts';
import type { Intake, IntakeContext, IntakeDocument, IntakeItemError, IntakeOutcome } from './intake-types.ts';
import type { Sources } from './sources.ts';

export interface IntakeDeps {
  writer: EventWriter;
  metrics: Metrics;
  sources: Sources;
  /** IANA zone (or "UTC") for timestamps that carry none (RFC 3164). */
  timeZone: string;
  maxLineLength: number;
  clock?: () => number;
  /** How often waitForRoom looks at the queue again. */
  roomPollMs?: number;
}

/** Records prepared between two yields to the event loop. */
const SLICE = 500;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const SOURCE_TYPE_SET: ReadonlySet<string> = new Set(SOURCE_TYPES);

/** The format name a record counts under in the Sources view and /metrics. */
export function formatOf(result: ParseResult): string {
  if (result.parser !== null) return result.parser;
  return result.unparsed ? UNPARSED : result.format;
}
const UNPARSED = 'unparsed';

export interface IntakeService extends Intake {
  /**
   * A JSON document as an event when its format is recognized (EVE, ECS, Zeek, Windows...),
   * null otherwise: JSON ingest without a source_type takes it from the format this way.
   */
  prepareRecognized(doc: Record<string, unknown>, ctx: IntakeContext, receivedMs: number): NewEvent | null;
  /** Reports stored events that came another way (JSON ingest) to the Sources registry. */
  reportStored(events: readonly NewEvent[], ctx: IntakeContext): void;
}

export function createIntakeService(deps: IntakeDeps): IntakeService {
  const clock = deps.clock ?? Date.now;
  const pollMs = deps.roomPollMs ?? 20;

  function hintedType(ctx: IntakeContext, sourcetype?: string | null): SourceType | null {
    for (const hint of [sourcetype, ctx.hint?.format]) {
      if (hint && SOURCE_TYPE_SET.has(hint)) return hint as SourceType;
    }
    return null;
  }

  function finish(prepared: PreparedEvent, result: ParseResult, ctx: IntakeContext, receivedMs: number): NewEvent {
    const metadata: Record<string, unknown> = { input: ctx.input, format: formatOf(result) };
    if (ctx.peer) metadata.peer = ctx.peer;
    if (result.truncated) metadata.truncated = true;
    if (result.replacedCharacters) metadata.replaced_characters = true;
    return { ...prepared, metadata, id: newObjectId(receivedMs), scenario_run_id: null, createdAtMs: receivedMs };
  }

  /**
   * Reports stored records to the Sources registry. What it needs is on the event: its format
   * (`unparsed` for a record no parser or header knew) and, for the sample, what arrived.
   */
  function report(events: readonly NewEvent[], ctx: IntakeContext, sample: (raw: Record<string, unknown>) => string = safeJson): void {
    for (const e of events) {
      const format = typeof e.metadata.format === 'string' ? e.metadata.format : e.source_type;
      const unparsed = format === UNPARSED;
      deps.sources.recordEvent(ctx.input, {
        host: e.hostname ?? ctx.hint?.host ?? ctx.peer ?? null,
        format,
        unparsed,
        ...(unparsed ? { line: sample(e.raw) } : {}),
        peer: ctx.peer ?? null,
      });
    }
  }

  function prepareLine(line: string, ctx: IntakeContext, receivedMs: number): NewEvent {
    const opts = { referenceMs: receivedMs, timeZone: deps.timeZone, maxLineLength: deps.maxLineLength };
    const hint = ctx.hint?.format;
    // A parser name as hint (sshd, nginx...) reads a bare message as that program's.
    let result = parseLine(line, opts);
    if (result.parser === null && hint && !SOURCE_TYPE_SET.has(hint)) {
      const hinted = parseRecord({ message: line, program: hint, host: ctx.hint?.host ?? null }, opts);
      if (hinted.parser !== null) result = hinted;
    }
    if (result.host === null && ctx.hint?.host) result.host = ctx.hint.host;
    const kept = result.truncated ? line.slice(0, deps.maxLineLength) : line;
    const prepared = prepareParsed({ result, raw: { message: storableText(kept) }, nowMs: receivedMs, sourceTypeHint: hintedType(ctx) });
    return finish(prepared, result, ctx, receivedMs);
  }

  function parseDoc(item: IntakeDocument, ctx: IntakeContext, receivedMs: number): ParseResult {
    const opts = { referenceMs: receivedMs, timeZone: deps.timeZone, maxLineLength: deps.maxLineLength, hint: item.sourcetype ?? ctx.hint?.format ?? null };
    return parseDocument(item.doc, opts);
  }

  function prepareDocument(item: IntakeDocument, ctx: IntakeContext, receivedMs: number, parsed?: ParseResult): NewEvent {
    const result = parsed ?? parseDoc(item, ctx, receivedMs);
    result.host ??= item.host ?? ctx.hint?.host ?? null;
    if (result.timestampMs === null && item.timeMs !== null && item.timeMs !== undefined) result.timestampMs = item.timeMs;
    const prepared = prepareParsed({ result, raw: item.doc, nowMs: receivedMs, sourceTypeHint: hintedType(ctx, item.sourcetype) });
    return finish(prepared, result, ctx, receivedMs);
  }

  /** `positions[i]` is the item index of `events[i]` (duplicates are reported by item). */
  async function store(
    events: NewEvent[],
    positions: number[],
    errors: IntakeItemError[],
    ctx: IntakeContext,
    sample?: (raw: Record<string, unknown>) => string,
  ): Promise<IntakeOutcome> {
    const { duplicates } = await deps.writer.submit(events, ctx.bytes ? { bytes: ctx.bytes } : {});
    if (duplicates.size === 0) {
      report(events, ctx, sample);
      return { accepted: events.length, rejected: errors.length, errors, duplicates: [] };
    }
    report(events.filter((e) => !duplicates.has(e.id)), ctx, sample);
    const repeated = positions.filter((_, i) => duplicates.has(events[i]!.id));
    return { accepted: events.length, rejected: errors.length, errors, duplicates: repeated };
  }

  return {
    reportStored: report,

    prepareRecognized(doc, ctx, receivedMs) {
      const item = { doc };
      const result = parseDoc(item, ctx, receivedMs);
      // Only a format a parser claimed says what the document is; well-known flat names alone do not.
      return result.parser === null ? null : prepareDocument(item, ctx, receivedMs, result);
    },

    async lines(lines, ctx) {
      const receivedMs = ctx.receivedMs ?? clock();
      const events: NewEvent[] = [];
      const positions: number[] = [];
      for (let i = 0; i < lines.length; i++) {
        if (i > 0 && i % SLICE === 0) await yieldToLoop();
        const line = lines[i]!;
        if (line.trim() === '') continue; // blank lines are framing, not events
        events.push(prepareLine(line, ctx, receivedMs));
        positions.push(i);
      }
      deps.metrics.eventsReceived.inc({ route: ctx.input }, events.length);
      return store(events, positions, [], ctx, lineOf);
    },

    async documents(docs, ctx) {
      const receivedMs = ctx.receivedMs ?? clock();
      const events: NewEvent[] = [];
      const positions: number[] = [];
      const errors: IntakeItemError[] = [];
      for (let i = 0; i < docs.length; i++) {
        if (i > 0 && i % SLICE === 0) await yieldToLoop();
        const item = docs[i]!;
        const doc: unknown = item.doc;
        if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
          errors.push({ index: i, message: 'A document must be a JSON object' });
          continue;
        }
        // Stored as sent, so it must be storable: no NUL, no unpaired surrogate, bounded depth.
        const issues = checkJsonShape(doc, DEFAULT_SHAPE_LIMITS);
        if (issues.length > 0) {
          errors.push({ index: i, message: `${issues[0]!.field ? `${issues[0]!.field}: ` : ''}${issues[0]!.message}` });
          continue;
        }
        // The envelope's id first (Elasticsearch _id), else the document's ECS event.id.
        const clientId = item.id !== undefined && item.id !== null ? checkClientId(item.id, '_id', { numbers: true }) : ecsEventId(doc as Record<string, unknown>);
        if (!clientId.ok) {
          errors.push({ index: i, message: clientId.message });
          continue;
        }
        const event = prepareDocument(item, ctx, receivedMs);
        events.push(clientId.id === undefined ? event : { ...event, clientId: clientId.id });
        positions.push(i);
      }
      deps.metrics.eventsReceived.inc({ route: ctx.input }, events.length + errors.length);
      if (errors.length > 0) deps.metrics.eventsRejected.inc({ reason: 'validation' }, errors.length);
      return store(events, positions, errors, ctx);
    },

    hasRoom() {
      const load = deps.writer.load();
      return load.events < load.maxEvents && load.bytes < load.maxBytes;
    },

    async waitForRoom() {
      while (!this.hasRoom()) await new Promise((resolve) => setTimeout(resolve, pollMs));
    },
  };
}

/** A text record's sample for the Sources view: the line as stored. */
const lineOf = (raw: Record<string, unknown>) => String(raw.message);

function safeJson(doc: unknown): string {
  try {
    return JSON.stringify(doc).slice(0, 2_000);
  } catch {
    return '[unserializable document]';
  }
}
