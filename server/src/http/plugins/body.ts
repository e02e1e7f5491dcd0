// Request decoding shared by every route: any body is read as JSON text (curl's default
// form content type included), NDJSON is handed over as text for the bulk route, broken
// JSON is a 422 naming the parse problem. Query and body are then held to the JSON
// shape limits (depth, sizes, no NUL, no unpaired surrogate, no `__proto__` key in a body
// zod rebuilds) before their zod schema runs, all with the validation detail format.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { checkJsonShape, DEFAULT_SHAPE_LIMITS } from '@siem/contracts';
import type { ShapeLimits } from '@siem/contracts';
import { AppError, validationError } from '../../errors.ts';
import { zodDetails } from '../../lib/zod-details.ts';

export const NDJSON = 'application/x-ndjson';

// Schemas that document a body the service validates itself (it needs the original
// object untouched, e.g. ingest keeps `raw` exactly as sent).
const documentationOnly = new WeakSet<object>();
export function docOnly<T extends z.ZodType>(schema: T): T {
  const copy = schema.clone() as T;
  documentationOnly.add(copy);
  return copy;
}

// Bodies that may legitimately hold more items than the default (a shared list of 100,000
// entries): the schema carries its own limits.
const shapeLimitsOf = new WeakMap<object, ShapeLimits>();
export function withShapeLimits<T extends z.ZodType>(schema: T, limits: Partial<ShapeLimits>): T {
  const copy = schema.clone() as T;
  shapeLimitsOf.set(copy, { ...BODY_LIMITS, ...limits });
  return copy;
}

// Query values are strings: only their characters and length matter. An unknown
// parameter named `__proto__` is ignored like any other, not refused.
const QUERY_LIMITS: ShapeLimits = DEFAULT_SHAPE_LIMITS;
const BODY_LIMITS: ShapeLimits = { ...DEFAULT_SHAPE_LIMITS, forbidProtoKey: true };

function parseJsonText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    // JSON.parse makes `__proto__` an own data property, never the prototype: ingest keeps
    // it in `raw` as sent, and validated bodies refuse it before zod rebuilds them.
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('VALIDATION_BAD_JSON', `Invalid JSON body: ${(err as Error).message}`);
  }
}

/** First occurrence wins for repeated query parameters. */
export function parseQueryString(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) if (!(key in out)) out[key] = value;
  return out;
}

export function registerBodyHandling(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    // Raw-text routes take the body as it is, one event per line, whatever its content type.
    if ((req.routeOptions.config as { rawText?: boolean } | undefined)?.rawText) {
      done(null, body);
      return;
    }
    try {
      done(null, parseJsonText(body as string));
    } catch (err) {
      // Control routes take no body (stop, pause, activate...): whatever is sent is ignored.
      if (!req.routeOptions.schema?.body) done(null, undefined);
      else done(err as Error, undefined);
    }
  });

  app.setValidatorCompiler(({ schema, httpPart }) => (data: unknown) => {
    if (documentationOnly.has(schema)) return { value: data };
    // An absent body reads as {} so required fields surface as "Field required".
    const input = httpPart === 'body' && (data === undefined || data === null) ? {} : data;
    // Path segments are ids: a malformed one is a 404, which the services answer.
    if (httpPart !== 'params') {
      const shapeIssues = checkJsonShape(input, httpPart === 'body' ? (shapeLimitsOf.get(schema) ?? BODY_LIMITS) : QUERY_LIMITS);
      if (shapeIssues.length > 0) return { error: validationError(shapeIssues) };
    }
    const result = (schema as z.ZodType).safeParse(input);
    if (result.success) return { value: result.data };
    return { error: validationError(zodDetails(result.error, input)) };
  });
  // Responses are plain JSON; zod response schemas only document the API.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}
