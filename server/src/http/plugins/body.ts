// Request decoding shared by every route: any body is read as JSON text (curl's default
// form content type included), NDJSON is handed over as text for the bulk route, broken
// JSON is a 422 naming the parse problem, and zod schemas validate params, query and body
// with the API.md 5.3 detail format.
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import type { z } from 'zod';
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

function parseJsonText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    // Prototype-poisoning keys are dropped rather than trusted.
    return sjson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' });
  } catch (err) {
    throw new AppError('VALIDATION_BAD_JSON', `Invalid JSON body: ${(err as Error).message}`);
  }
}

/** First occurrence wins for repeated query parameters (API.md 2.2). */
export function parseQueryString(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) if (!(key in out)) out[key] = value;
  return out;
}

export function registerBodyHandling(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
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
    const result = (schema as z.ZodType).safeParse(input);
    if (result.success) return { value: result.data };
    return { error: validationError(zodDetails(result.error, input)) };
  });
  // Responses are plain JSON; zod response schemas only document the API.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}
