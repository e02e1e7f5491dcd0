// /v1/logs: ingest (one, bulk), list, search, pivot, one event, live tail.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BulkResultSchema,
  IngestEventSchema,
  LogEventSchema,
  PageSchema,
  RawIngestQuerySchema,
  SearchPageSchema,
  logFilterQuery,
  logSearchQuery,
  pivotQuery,
} from '@siem/contracts';
import { STREAMS } from '../../bus/bus.ts';
import { logFeedData } from '../../services/event-messages.ts';
import type { AppDeps } from '../app.ts';
import { docOnly } from '../plugins/body.ts';
import { clientGone } from '../plugins/client-gone.ts';
import { feedHandler, sseDeps } from '../plugins/sse.ts';

export function logRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, ingest, logs } = deps;
  const pagination = { perPage: config.DEFAULT_PAGE_SIZE, maxPerPage: config.MAX_PAGE_SIZE };
  const tags = ['logs'];

  r.post('/v1/logs/ingest', {
    config: { access: 'ingest', admission: { events: 1 } },
    bodyLimit: config.INGEST_BODY_LIMIT_BYTES,
    schema: { tags, summary: 'Store one event', body: docOnly(IngestEventSchema), response: { 201: LogEventSchema } },
    handler: async (req, reply) => reply.code(201).send(await ingest.ingestOne(req.body, { bytes: req.bodyBytes })),
  });

  r.post('/v1/logs/bulk', {
    config: { access: 'ingest', admission: { events: config.BULK_MAX_EVENTS } },
    bodyLimit: config.BULK_BODY_LIMIT_BYTES,
    schema: {
      tags,
      summary: 'Store many events (JSON array or NDJSON)',
      body: docOnly(z.array(IngestEventSchema)),
      response: { 201: BulkResultSchema, 207: BulkResultSchema, 422: BulkResultSchema.extend({ error: z.string(), message: z.string() }) },
    },
    handler: async (req, reply) => {
      const { status, result } = await ingest.ingestBulk(req.body, { bytes: req.bodyBytes });
      const body = status === 422 ? { error: 'ValidationError', message: 'No event was accepted', ...result } : result;
      return reply.code(status).send(body);
    },
  });

  r.post('/v1/logs/raw', {
    config: { access: 'ingest', admission: { events: config.BULK_MAX_EVENTS }, rawText: true },
    bodyLimit: config.BULK_BODY_LIMIT_BYTES,
    schema: {
      tags,
      summary: 'Store raw log lines (text/plain, one event per line; syslog, auth.log, web server logs, CEF...)',
      querystring: RawIngestQuerySchema,
      body: docOnly(z.string().describe('Log lines separated by LF or CRLF')),
      response: { 201: BulkResultSchema, 422: BulkResultSchema.extend({ error: z.string(), message: z.string() }) },
    },
    handler: async (req, reply) => {
      const { status, result } = await ingest.ingestRaw(typeof req.body === 'string' ? req.body : '', req.query, {
        bytes: req.bodyBytes,
        peer: req.ip,
      });
      const body = status === 422 ? { error: 'ValidationError', message: 'No line to store', ...result } : result;
      return reply.code(status).send(body);
    },
  });

  r.get('/v1/logs', {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'List events, newest first (`query`: the search language; 422 QUERY_SYNTAX located, 503 SEARCH_TIMEOUT)',
      querystring: logFilterQuery(pagination),
      response: { 200: PageSchema(LogEventSchema) },
    },
    handler: async (req, reply) => logs.list(req.query, clientGone(reply)),
  });

  r.get('/v1/logs/search', {
    config: { access: 'user' },
    schema: { tags, summary: 'Literal text search (503 SEARCH_TIMEOUT past SEARCH_TIMEOUT_MS)', querystring: logSearchQuery(pagination), response: { 200: SearchPageSchema } },
    handler: async (req, reply) => logs.search(req.query, clientGone(reply)),
  });

  r.get('/v1/logs/pivot', {
    config: { access: 'user' },
    schema: { tags, summary: 'Events sharing one indicator (X-Result-Truncated: bytes when EVENT_LIST_MAX_BYTES cut it short)', querystring: pivotQuery(config.PIVOT_MAX_RESULTS), response: { 200: z.array(LogEventSchema) } },
    handler: async (req, reply) => {
      const { items, truncated } = await logs.pivot(req.query);
      if (truncated) reply.header('X-Result-Truncated', 'bytes');
      return items;
    },
  });

  r.get('/v1/logs/stream', {
    config: { access: 'user', sse: true },
    schema: { tags, summary: 'Live tail (SSE, event `log`)' },
    handler: feedHandler(sseDeps(deps), { stream: STREAMS.logs, event: 'log', toData: logFeedData }),
  });

  r.get('/v1/logs/:log_id', {
    config: { access: 'user' },
    schema: { tags, summary: 'One event', params: z.object({ log_id: z.string() }), response: { 200: LogEventSchema } },
    handler: async (req) => logs.get(req.params.log_id),
  });
}
