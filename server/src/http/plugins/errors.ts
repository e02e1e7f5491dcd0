// One error mapper for every route: AppError and framework errors become the error
// body; anything unexpected is logged with its cause and answered with the bare 500.
// Also answers unknown paths (404 NotFound) and known paths with another method (405).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@siem/contracts';
import { AppError, isAppError } from '../../errors.ts';
import { isStoreUnavailable } from '../../store/db.ts';

/** Seconds a client is asked to wait when the store gave no connection. */
const STORE_RETRY_AFTER_SECONDS = 5;

export function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  if (body.retry_after !== undefined && body.retry_after !== null) reply.header('Retry-After', String(body.retry_after));
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

const FRAMEWORK_ERRORS: Record<string, { status: number; error: string; message: (e: FastifyError) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'PayloadTooLarge', message: () => 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'UnsupportedMediaType', message: () => 'Unsupported content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'BadRequest', message: () => 'Invalid Content-Length' },
  FST_ERR_BAD_URL: { status: 400, error: 'BadRequest', message: () => 'Malformed URL' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, error: 'BadRequest', message: () => 'Bad request' },
};

/** Route patterns per method, to tell a 405 from a 404. */
function createRouteIndex() {
  const routes: { method: string; segments: string[] }[] = [];
  const split = (url: string) => url.split('?')[0]!.split('/').filter((s, i) => i > 0 || s !== '');
  return {
    add(method: string | string[], url: string) {
      // Catch-all routes (the web app's fallback) say nothing about which methods a path has.
      if (url.includes('*')) return;
      for (const m of Array.isArray(method) ? method : [method]) routes.push({ method: m, segments: split(url) });
    },
    /** Methods of routes whose pattern is fully literal and equals `url`. */
    literalMethodsFor(url: string): string[] {
      const parts = split(url);
      return routes
        .filter((r) => r.segments.length === parts.length && r.segments.every((s, i) => s === parts[i]))
        .map((r) => r.method);
    },
    methodsFor(url: string): string[] {
      const parts = split(url);
      const methods = new Set<string>();
      for (const r of routes) {
        if (r.segments.length !== parts.length) continue;
        if (r.segments.every((s, i) => s.startsWith(':') ? parts[i] !== '' : s === parts[i] || s === '*')) methods.add(r.method);
      }
      return [...methods];
    },
  };
}

export function registerErrorHandling(app: FastifyInstance): void {
  const index = createRouteIndex();
  app.addHook('onRoute', (route) => index.add(route.method, route.url));

  // A literal path (/v1/logs/ingest) is never read as an id: another method's literal
  // route wins over this method's parameter route, and the answer is 405.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.url?.includes(':')) return;
    // "/v1/logs/" is not the id "": trailing slashes name no route.
    if (Object.values((request.params ?? {}) as Record<string, string>).some((v) => v === '')) return reply.callNotFound();
    const methods = index.literalMethodsFor(request.url);
    if (methods.length > 0 && !methods.includes(request.method)) {
      reply.header('Allow', methods.join(', '));
      return sendError(reply, 405, { error: 'MethodNotAllowed', message: 'Method not allowed' });
    }
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const methods = index.methodsFor(request.url).filter((m) => m !== 'OPTIONS');
    if (methods.length > 0 && !methods.includes(request.method)) {
      reply.header('Allow', methods.join(', '));
      return sendError(reply, 405, { error: 'MethodNotAllowed', message: 'Method not allowed' });
    }
    return sendError(reply, 404, { error: 'NotFound', message: 'Endpoint not found' });
  });

  app.setErrorHandler((caught: FastifyError, request, reply) => {
    let err = caught;
    if (!isAppError(err) && isStoreUnavailable(err)) {
      // Pool exhausted past its timeout, server restarting or unreachable: load or an
      // outage, not a bug, so 503 with Retry-After instead of a bare 500.
      request.log.warn({ err }, 'store unavailable');
      err = new AppError('DEPENDENCY_DOWN', 'The database is not available right now; retry shortly', { retryAfter: STORE_RETRY_AFTER_SECONDS }) as unknown as FastifyError;
    }
    if (isAppError(err)) {
      const body: ErrorBody = { error: err.errorClass, message: err.message, code: err.code };
      if (err.details) body.details = err.details;
      if (err.status === 503 || err.status === 429) body.retry_after = err.retryAfter ?? null;
      if (err.status >= 500 && err.status !== 503) request.log.error({ err }, 'request failed');
      return sendError(reply, err.status, body);
    }
    const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
    if (known) return sendError(reply, known.status, { error: known.error, message: known.message(err) });
    if (err.statusCode === 429) {
      return sendError(reply, 429, { error: 'RateLimitExceeded', message: 'Too many requests', retry_after: null });
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, err.statusCode, { error: 'BadRequest', message: 'Bad request' });
    }
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, 500, { error: 'InternalServerError', message: 'Internal server error' });
  });
}
