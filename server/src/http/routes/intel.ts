// /v1/intel: threat-intel indicator lists. Reading is open to every user; changes and
// imports need the engineer or admin role. An import is the feed file itself as the raw
// body (any content type, gzip accepted) with ?format=csv|stix|misp, bounded by INTEL_IMPORT_MAX_BYTES.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DeletedSchema, ImportStatsSchema, IndicatorCreateSchema, IndicatorListCreateSchema, IndicatorListSchema, IndicatorListUpdateSchema,
  IndicatorParamsSchema, IndicatorQuerySchema, IndicatorSchema, IntelImportQuerySchema, IntelMatchQuerySchema, IntelMatchResultSchema,
  IntelStatusSchema, PageSchema, lenientBool,
} from '@siem/contracts';
import type { IntelService } from '../../services/intel.ts';
import type { IntelMatcher } from '../../services/intel-matcher.ts';
import { docOnly } from '../plugins/body.ts';

export function intelRoutes(app: FastifyInstance, deps: { intel: IntelService; intelMatcher: IntelMatcher; importMaxBytes: number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { intel, intelMatcher } = deps;
  const tags = ['intel'];
  const params = z.object({ list_id: z.string() });
  const change = { access: 'engineer', engineerPurpose: 'changing threat-intel lists' } as const;

  r.get('/v1/intel/lists', {
    config: { access: 'user' },
    schema: { tags, summary: 'Every indicator list with its count and last import, by name', response: { 200: z.array(IndicatorListSchema) } },
    handler: async () => intel.lists(),
  });

  r.post('/v1/intel/lists', {
    config: change,
    schema: { tags, summary: 'Create an indicator list, manual or watched path (engineer or admin)', body: IndicatorListCreateSchema, response: { 201: IndicatorListSchema } },
    handler: async (req, reply) => reply.code(201).send(await intel.create(req.body, req.user!)),
  });

  r.get('/v1/intel/lists/:list_id', {
    config: { access: 'user' },
    schema: { tags, summary: 'One indicator list', params, response: { 200: IndicatorListSchema } },
    handler: async (req) => intel.get(req.params.list_id),
  });

  r.patch('/v1/intel/lists/:list_id', {
    config: change,
    schema: { tags, summary: 'Change a list (engineer or admin)', params, body: IndicatorListUpdateSchema, response: { 200: IndicatorListSchema } },
    handler: async (req) => intel.update(req.params.list_id, req.body, req.user!),
  });

  r.delete('/v1/intel/lists/:list_id', {
    config: change,
    schema: { tags, summary: 'Delete a list and its indicators (engineer or admin)', params, response: { 200: DeletedSchema } },
    handler: async (req) => intel.remove(req.params.list_id, req.user!),
  });

  r.get('/v1/intel/lists/:list_id/indicators', {
    config: { access: 'user' },
    schema: { tags, summary: 'A page of a list\'s indicators; q: value prefix, type: one type', params, querystring: z.object(IndicatorQuerySchema.shape), response: { 200: PageSchema(IndicatorSchema) } },
    handler: async (req) => intel.indicators(req.params.list_id, req.query),
  });

  r.post('/v1/intel/lists/:list_id/indicators', {
    config: change,
    schema: { tags, summary: 'Add or refresh one indicator (engineer or admin)', params, body: IndicatorCreateSchema, response: { 201: IndicatorSchema } },
    handler: async (req, reply) => reply.code(201).send(await intel.addIndicator(req.params.list_id, req.body, req.user!)),
  });

  r.delete('/v1/intel/lists/:list_id/indicators/:indicator_id', {
    config: change,
    schema: { tags, summary: 'Remove one indicator (engineer or admin)', params: IndicatorParamsSchema, response: { 200: DeletedSchema } },
    handler: async (req) => intel.removeIndicator(req.params.list_id, req.params.indicator_id, req.user!),
  });

  r.post('/v1/intel/lists/:list_id/import', {
    config: { ...change, rawText: true, contentEncoding: true },
    bodyLimit: deps.importMaxBytes,
    schema: {
      tags,
      summary: 'Import a feed file sent as the body (engineer or admin); replace=true drops what the file does not hold',
      params,
      querystring: IntelImportQuerySchema.extend({ replace: lenientBool().optional().default(false) }),
      body: docOnly(z.string().describe('The feed file: CSV, a STIX 2.1 bundle or a MISP event (JSON)')),
      response: { 200: ImportStatsSchema },
    },
    handler: async (req) => intel.upload(req.params.list_id, req.query.format, typeof req.body === 'string' ? req.body : '', { replace: req.query.replace }),
  });

  r.get('/v1/intel/match', {
    config: { access: 'user' },
    schema: { tags, summary: 'Which loaded indicators a value (address, domain, URL, hash) hits', querystring: IntelMatchQuerySchema, response: { 200: IntelMatchResultSchema } },
    handler: async (req) => intelMatcher.lookup(req.query.value),
  });

  r.get('/v1/intel/status', {
    config: { access: 'user' },
    schema: { tags, summary: 'The indicator index of this process: size, lists, last build', response: { 200: IntelStatusSchema } },
    handler: async () => intelMatcher.status(),
  });
}
