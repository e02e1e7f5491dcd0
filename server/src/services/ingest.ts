// Ingest use cases: one event, a bulk array or NDJSON. Every item is checked (shape, zod
// types, engine normalization), turned into a stored event and handed to the writer. Bulk
// collects every rejected item with its index instead of stopping at the first, and works
// in slices that yield to the event loop, so a 10,000-event body never holds the main
// thread (and the requests queued behind it) for more than one slice.
import { IngestEventSchema } from '@siem/contracts';
import type { BulkResult, ErrorDetail, LogEvent, RawIngestQuery } from '@siem/contracts';
import { checkJsonShape, DEFAULT_SHAPE_LIMITS } from '../engine/normalize/shape.ts';
import { normalizeEvent } from '../engine/normalize/index.ts';
import { AppError, validationError } from '../errors.ts';
import { zodDetails } from '../lib/zod-details.ts';
import { newObjectId } from '../lib/object-id.ts';
import type { Metrics } from '../metrics.ts';
import type { NewEvent } from '../store/events-repo.ts';
import { newEventToLogEvent } from '../store/events-repo.ts';
import type { EventWriter } from './event-writer.ts';
import { checkClientId, ecsEventId } from './event-dedup.ts';
import type { IntakeService } from './intake.ts';

export interface IngestDeps {
  writer: EventWriter;
  /** Parses and stores text lines and shipper documents (raw text ingest). */
  intake: IntakeService;
  metrics: Metrics;
  bulkMax: number;
  /** Largest single event in an NDJSON bulk (characters of its line); larger lines are refused unparsed. */
  eventMaxBytes?: number;
  clock?: () => number;
  /** Reads a stored event back: a duplicate single ingest is answered with the original. */
  findEvent?: (id: string) => Promise<LogEvent | null>;
}

/** Fields a trusted producer (the scenario runner) sets on top of the submitted event. */
export interface IngestExtras {
  scenarioRunId?: string;
  /** Size of the request body as received, counted against the write queue's byte bound. */
  bytes?: number | undefined;
}

/** JSON ingest as the Sources view names it. */
const HTTP_JSON = { input: 'http-json' } as const;

/** Items validated between two yields to the event loop. */
const SLICE = 250;
/**
 * Bulks validated at once. Each turn of the event loop gives every running bulk one
 * slice, so this bounds the validation work standing between two turns (and so the wait
 * of a health check or a login); the bodies waiting meanwhile are already counted by
 * admission control.
 */
const VALIDATING_MAX = 2;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function createSlots(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (active < max) {
        active += 1;
        return;
      }
      // The releasing holder hands its slot over: `active` stays as it is.
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    },
  };
}

type Prepared = { ok: true; event: NewEvent } | { ok: false; details: ErrorDetail[] };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function createIngestService(deps: IngestDeps) {
  const clock = deps.clock ?? Date.now;
  const eventMaxBytes = deps.eventMaxBytes ?? Number.POSITIVE_INFINITY;
  const validating = createSlots(VALIDATING_MAX);

  /** The id the sender gave the event: `idempotency_key`, else ECS `event.id`; checked. */
  function clientIdOf(input: Record<string, unknown>): { ok: true; id: string | undefined } | { ok: false; details: ErrorDetail[] } {
    const given = checkClientId(input.idempotency_key, 'idempotency_key');
    const check = given.ok && given.id === undefined ? ecsEventId(input) : given;
    if (check.ok) return check;
    const field = given.ok ? 'event.id' : 'idempotency_key';
    return { ok: false, details: [{ field, message: check.message, type: 'value_error' }] };
  }

  function prepare(input: unknown, extras: IngestExtras = {}): Prepared {
    if (!isPlainObject(input)) {
      return { ok: false, details: [{ field: '', message: 'Input should be a JSON object', type: 'model_type' }] };
    }
    const shapeIssues = checkJsonShape(input, DEFAULT_SHAPE_LIMITS);
    if (shapeIssues.length > 0) return { ok: false, details: shapeIssues };
    const clientId = clientIdOf(input);
    if (!clientId.ok) return clientId;
    const withId = (event: NewEvent): NewEvent => (clientId.id === undefined ? event : { ...event, clientId: clientId.id });
    // Without a source_type, a document in a format the parsers know (Suricata EVE, ECS,
    // Zeek, Windows events...) says what it is; anything else still needs one.
    if ((input.source_type === undefined || input.source_type === null) && !extras.scenarioRunId) {
      const recognized = deps.intake.prepareRecognized(input, { input: 'http-json' }, clock());
      if (recognized) return { ok: true, event: withId(recognized) };
    }
    // zod rebuilds the object by assignment, where `__proto__` would become its prototype
    // (and its keys would pass for fields unchecked): the typed fields are read without it.
    const parsed = IngestEventSchema.safeParse(Object.fromEntries(Object.entries(input).filter(([key]) => key !== '__proto__')));
    if (!parsed.success) return { ok: false, details: zodDetails(parsed.error, input) };
    const now = clock();
    // fromEntries defines properties: a `__proto__` key stays data in `raw`, as sent.
    const raw: Record<string, unknown> = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null));
    const result = normalizeEvent({ raw, fields: parsed.data }, now);
    if (!result.ok) return { ok: false, details: result.issues };
    return {
      ok: true,
      event: withId({ ...result.event, id: newObjectId(now), scenario_run_id: extras.scenarioRunId ?? null, createdAtMs: now }),
    };
  }

  function bulkItems(body: unknown): { items: unknown[]; errors: BulkResult['errors'] } {
    if (Array.isArray(body)) return { items: body, errors: [] };
    if (typeof body === 'string') {
      // NDJSON: one event per line; `index` is the 0-based line number.
      const items: unknown[] = [];
      const errors: BulkResult['errors'] = [];
      body.split('\n').forEach((line, index) => {
        const text = line.trim();
        if (text === '') {
          items.push(undefined);
          return;
        }
        if (text.length > eventMaxBytes) {
          // Never parsed: an event this large is refused whatever it holds.
          items.push(undefined);
          errors.push({ index, message: `Event is larger than ${eventMaxBytes} bytes`, details: [] });
          return;
        }
        try {
          items.push(JSON.parse(text));
        } catch (err) {
          items.push(undefined);
          errors.push({ index, message: `Invalid JSON: ${(err as Error).message}`, details: [] });
        }
      });
      return { items, errors };
    }
    throw validationError([{ field: '', message: 'Input should be a JSON array of events or NDJSON', type: 'list_type' }]);
  }

  return {
    prepare,

    async ingestOne(input: unknown, extras: IngestExtras = {}): Promise<LogEvent> {
      deps.metrics.eventsReceived.inc({ route: 'ingest' });
      const prepared = prepare(input, extras);
      if (!prepared.ok) {
        deps.metrics.eventsRejected.inc({ reason: 'validation' });
        throw validationError(prepared.details);
      }
      const { duplicates } = await deps.writer.submit([prepared.event], extras.bytes ? { bytes: extras.bytes } : {});
      const original = duplicates.get(prepared.event.id);
      if (original !== undefined) {
        // Delivered before: answered with what was stored then.
        return (await deps.findEvent?.(original)) ?? newEventToLogEvent({ ...prepared.event, id: original });
      }
      if (!extras.scenarioRunId) deps.intake.reportStored([prepared.event], HTTP_JSON);
      return newEventToLogEvent(prepared.event);
    },

    /** Raw text, one event per line (LF or CRLF); answers like bulk. */
    async ingestRaw(
      text: string,
      query: RawIngestQuery,
      opts: { bytes?: number | undefined; peer?: string | undefined } = {},
    ): Promise<{ status: 201 | 422; result: BulkResult }> {
      const lines = text.split('\n');
      if (lines.length > 0 && lines.at(-1) === '') lines.pop();
      const count = lines.reduce((n, line) => (line.trim() === '' ? n : n + 1), 0);
      if (count > deps.bulkMax) {
        throw new AppError('PAYLOAD_TOO_LARGE', `At most ${deps.bulkMax} lines per request (got ${count})`);
      }
      if (count === 0) return { status: 422, result: { accepted: 0, rejected: 0, errors: [], duplicates: 0 } };
      const outcome = await deps.intake.lines(lines, {
        input: 'http-raw',
        peer: opts.peer ?? null,
        hint: { format: query.source ?? null, host: query.host ?? null },
        ...(opts.bytes ? { bytes: opts.bytes } : {}),
      });
      return {
        status: 201,
        result: { accepted: outcome.accepted, rejected: outcome.rejected, errors: outcome.errors.map((e) => ({ ...e, details: [] })), duplicates: outcome.duplicates.length },
      };
    },

    async ingestBulk(body: unknown, opts: { bytes?: number | undefined } = {}): Promise<{ status: 201 | 207 | 422; result: BulkResult }> {
      const { items, errors } = bulkItems(body);
      const count = items.filter((i) => i !== undefined).length + errors.length;
      if (count > deps.bulkMax) {
        throw new AppError('PAYLOAD_TOO_LARGE', `At most ${deps.bulkMax} events per bulk request (got ${count})`);
      }
      deps.metrics.eventsReceived.inc({ route: 'bulk' }, count);
      const accepted: NewEvent[] = [];
      const isNdjson = typeof body === 'string';
      await validating.acquire();
      try {
        for (let index = 0; index < items.length; index++) {
          if (index > 0 && index % SLICE === 0) await yieldToLoop();
          const item = items[index];
          if (item === undefined && isNdjson) continue; // blank line or already reported
          const prepared = prepare(item);
          if (prepared.ok) accepted.push(prepared.event);
          else errors.push({ index, message: prepared.details[0]?.message ?? 'Invalid event', details: prepared.details });
        }
      } finally {
        validating.release();
      }
      errors.sort((a, b) => a.index - b.index);
      if (errors.length > 0) deps.metrics.eventsRejected.inc({ reason: 'validation' }, errors.length);
      // The accepted share of the body is what waits in the queue.
      const bytes = opts.bytes && count > 0 ? Math.ceil((opts.bytes * accepted.length) / count) : undefined;
      const { duplicates } = await deps.writer.submit(accepted, bytes ? { bytes } : {});
      deps.intake.reportStored(duplicates.size === 0 ? accepted : accepted.filter((e) => !duplicates.has(e.id)), HTTP_JSON);
      // Duplicates count as accepted: a retried request gets the answer the first one got.
      const result = { accepted: accepted.length, rejected: errors.length, errors, duplicates: duplicates.size };
      const status = accepted.length === 0 ? 422 : errors.length === 0 ? 201 : 207;
      return { status, result };
    },
  };
}
export type IngestService = ReturnType<typeof createIngestService>;
