// The shipper listener (SHIPPER_PORT, bound to HOST; 0 = off): a Fastify instance of its
// own that speaks the Elasticsearch _bulk protocol with its handshake, and Splunk HEC, so
// Beats, Logstash, Fluent Bit, Vector, rsyslog's omelasticsearch, syslog-ng's http() and
// any HEC client ship to the SIEM unmodified. It shares the main app's ingest keys, its
// admission control (refused before a body is read) and its Content-Encoding decoding;
// records go to the intake, which answers only once they are persisted. Every answer
// carries `X-Elastic-Product: Elasticsearch`, which the Elastic clients insist on.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import { isAppError } from '../../errors.ts';
import { registerAdmission } from '../../http/plugins/admission.ts';
import { registerContentEncoding } from '../../http/plugins/content-encoding.ts';
import type { IngestAdmission } from '../../services/ingest-admission.ts';
import type { Intake } from '../../services/intake-types.ts';
import type { Sources } from '../../services/sources.ts';
import { isStoreUnavailable } from '../../store/db.ts';
import { createKeyCheck, presentedKeys } from './auth.ts';
import type { Protocol, ShipperContext } from './context.ts';
import { esError } from './es-bodies.ts';
import type { Identity } from './es-bodies.ts';
import { elasticsearchRoutes } from './elasticsearch.ts';
import { hecAnswer, hecRoutes } from './hec.ts';

export interface ShipperListenerDeps {
  config: Pick<Config, 'HOST' | 'SHIPPER_PORT' | 'SHIPPER_BODY_LIMIT_BYTES' | 'SHIPPER_MAX_ITEMS' | 'INGEST_API_KEYS'>;
  intake: Intake;
  sources: Pick<Sources, 'register'>;
  admission: IngestAdmission;
  log: Logger;
  clock?: () => number;
}

export interface ShipperListener {
  stop(): Promise<void>;
  /** The port listened on, null when off or failed to start. */
  port(): number | null;
}

const protocolOf = (request: FastifyRequest): Protocol =>
  request.routeOptions.config.shipper ?? (request.url.startsWith('/services/collector') ? 'hec' : 'elasticsearch');

/** Seconds a shipper is told to wait when the store is unreachable. */
const STORE_RETRY_AFTER_SECONDS = 5;

/** The listener's answers for errors, in the shape of the protocol the request spoke. */
function sendError(reply: FastifyReply, protocol: Protocol, status: number, type: string, reason: string, retryAfter?: number | null) {
  if (retryAfter !== undefined && retryAfter !== null) reply.header('Retry-After', String(retryAfter));
  if (protocol === 'hec') {
    if (status === 503 || status === 429) return hecAnswer(reply, 503, 'Server is busy', 9);
    if (status === 413) return hecAnswer(reply, 413, reason, 6);
    return hecAnswer(reply, status, status === 415 ? reason : 'Invalid data format', 6);
  }
  return reply.code(status).send(esError(status, type, reason));
}

function registerErrors(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const protocol = protocolOf(request);
    if (isAppError(err)) {
      switch (err.code) {
        // Elasticsearch's answer to a full write pool: every shipper retries a 429 with backoff.
        case 'INGEST_BACKPRESSURE':
          return sendError(reply, protocol, 429, 'es_rejected_execution_exception', `rejected execution: the SIEM's write queue is full; retry later`, err.retryAfter ?? 1);
        case 'PAYLOAD_TOO_LARGE':
          return sendError(reply, protocol, 413, 'content_too_long_exception', err.message);
        case 'CONTENT_ENCODING_UNSUPPORTED':
          return sendError(reply, protocol, 415, 'illegal_argument_exception', err.message);
        case 'CONTENT_ENCODING_INVALID':
          return sendError(reply, protocol, 400, 'parse_exception', err.message);
        default:
          if (err.status >= 500) return sendError(reply, protocol, 503, 'unavailable_shards_exception', err.message, err.retryAfter ?? STORE_RETRY_AFTER_SECONDS);
          return sendError(reply, protocol, err.status, 'illegal_argument_exception', err.message);
      }
    }
    if (isStoreUnavailable(err)) {
      request.log.warn({ err }, 'store unavailable');
      return sendError(reply, protocol, 503, 'unavailable_shards_exception', 'the SIEM store is not available right now; retry shortly', STORE_RETRY_AFTER_SECONDS);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, protocol, 413, 'content_too_long_exception', 'Request body is too large');
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, protocol, err.statusCode, 'illegal_argument_exception', 'Bad request');
    }
    log.error({ err }, 'shipper listener: unexpected error');
    return sendError(reply, protocol, 500, 'exception', 'Internal server error');
  });

  app.setNotFoundHandler((request, reply) => {
    if (protocolOf(request) === 'hec') return hecAnswer(reply, 404, 'The requested URL was not found on this server.', 404);
    const url = request.url.split('?')[0]!.slice(0, 200);
    log.debug({ method: request.method, url }, 'shipper listener: no handler');
    return reply.code(400).send(esError(400, 'illegal_argument_exception', `no handler found for uri [${url}] and method [${request.method}]`));
  });
}

/** INGEST_API_KEYS in each protocol's credential forms; runs before admission (401 first). */
function registerAuth(app: FastifyInstance, keys: string[], ctx: Pick<ShipperContext, 'inputs'>): void {
  const check = createKeyCheck(keys);
  if (check.open) return;
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.open) return;
    const protocol = protocolOf(request);
    const header = request.headers.authorization;
    if (protocol === 'hec') {
      const presented = presentedKeys(header, ['splunk', 'basic', 'bearer']);
      if (presented.kind === 'candidates' && check.accepts(presented.values)) return;
      ctx.inputs.hec.dropped('unauthorized');
      if (presented.kind === 'none') return hecAnswer(reply, 401, 'Token is required', 2);
      if (presented.kind === 'malformed') return hecAnswer(reply, 401, 'Invalid authorization', 3);
      return hecAnswer(reply, 403, 'Invalid token', 4);
    }
    const presented = presentedKeys(header, ['basic', 'apikey', 'bearer']);
    if (presented.kind === 'candidates' && check.accepts(presented.values)) return;
    ctx.inputs.elasticsearch.dropped('unauthorized');
    const url = request.url.split('?')[0]!.slice(0, 200);
    const reason = presented.kind === 'none' ? `missing authentication credentials for REST request [${url}]` : `unable to authenticate with provided credentials for REST request [${url}]`;
    reply.header('WWW-Authenticate', ['Basic realm="security" charset="UTF-8"', 'ApiKey']);
    return reply.code(401).send(esError(401, 'security_exception', reason));
  });
}

export async function buildShipperApp(deps: ShipperListenerDeps, ctx: ShipperContext): Promise<FastifyInstance> {
  const app = Fastify({
    // Shippers send a request every second or so: no per-request lines, warnings and up only.
    loggerInstance: deps.log.levelVal > 40 ? deps.log : deps.log.child({}, { level: 'warn' }),
    bodyLimit: deps.config.SHIPPER_BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    requestIdHeader: false,
  }) as unknown as FastifyInstance;
  // Shippers send application/json, application/x-ndjson, text/plain or nothing: all text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Elastic-Product', 'Elasticsearch');
  });
  registerErrors(app, deps.log);
  registerAuth(app, deps.config.INGEST_API_KEYS, ctx);
  registerAdmission(app, deps.admission);
  registerContentEncoding(app);
  hecRoutes(app, ctx);
  elasticsearchRoutes(app, ctx);
  return app;
}

export async function startShipperListener(deps: ShipperListenerDeps): Promise<ShipperListener> {
  const log = deps.log.child({ input: 'shipper' });
  const inputs = { elasticsearch: deps.sources.register('elasticsearch', 'shipper'), hec: deps.sources.register('hec', 'shipper') };
  const setState = (state: 'listening' | 'off' | 'error', address: string | null = null, error: string | null = null) => {
    for (const handle of Object.values(inputs)) handle.setState(state, address, error);
  };
  const { HOST, SHIPPER_PORT } = deps.config;
  if (SHIPPER_PORT === 0) {
    setState('off');
    return { stop: async () => {}, port: () => null };
  }
  let identity: Identity = { clusterUuid: randomBytes(16).toString('base64url'), nodeId: randomBytes(16).toString('base64url'), publishAddress: `${HOST}:${SHIPPER_PORT}` };
  const ctx: ShipperContext = { intake: deps.intake, inputs, maxItems: deps.config.SHIPPER_MAX_ITEMS, identity: () => identity, clock: deps.clock ?? Date.now, log };
  const app = await buildShipperApp({ ...deps, log }, ctx);
  try {
    await app.listen({ host: HOST, port: SHIPPER_PORT });
  } catch (err) {
    const message = (err as Error).message;
    log.error({ err, host: HOST, port: SHIPPER_PORT }, 'shipper listener (Elasticsearch _bulk, Splunk HEC) could not start: set SHIPPER_PORT to a free port, or 0 to turn it off');
    setState('error', `${HOST}:${SHIPPER_PORT}`, message);
    await app.close().catch(() => {});
    return { stop: async () => {}, port: () => null };
  }
  const port = (app.server.address() as AddressInfo).port;
  identity = { ...identity, publishAddress: `${HOST}:${port}` };
  setState('listening', `${HOST}:${port}`);
  log.info({ host: HOST, port }, 'shipper listener (Elasticsearch _bulk, Splunk HEC) listening');
  return {
    async stop() {
      await app.close();
      setState('off');
    },
    port: () => port,
  };
}
