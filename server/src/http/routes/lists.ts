// /v1/lists: shared lists rules reference with in_list. Reading is open to every user;
// changes need the engineer or admin role. Item bodies may hold a whole list (100,000
// items), so they get a larger body and item budget than other routes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeletedSchema, LIST_LIMITS, ListCreateSchema, ListItemsChangeSchema, ListSchema, ListSummarySchema, ListUpdateSchema } from '@siem/contracts';
import type { ListService } from '../../services/lists.ts';
import { withShapeLimits } from '../plugins/body.ts';

/** A list of 100,000 IPv6 networks is about 5 MB of JSON; longer items are sent in several appends. */
export const LIST_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
const shape = { maxKeys: LIST_LIMITS.maxItems + 100 };

export function listRoutes(app: FastifyInstance, deps: { lists: ListService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { lists } = deps;
  const tags = ['lists'];
  const params = z.object({ list_id: z.string() });
  const change = { access: 'engineer', engineerPurpose: 'changing shared lists' } as const;
  const bodyLimit = LIST_BODY_LIMIT_BYTES;

  r.get('/v1/lists', {
    config: { access: 'user' },
    schema: { tags, summary: 'Every shared list (without its items), by name', response: { 200: z.array(ListSummarySchema) } },
    handler: async () => lists.list(),
  });

  r.get('/v1/lists/:list_id', {
    config: { access: 'user' },
    schema: { tags, summary: 'One list with its items and the rules that use it', params, response: { 200: ListSchema } },
    handler: async (req) => lists.get(req.params.list_id),
  });

  r.post('/v1/lists', {
    config: change,
    bodyLimit,
    schema: { tags, summary: 'Create a list (engineer or admin)', body: withShapeLimits(ListCreateSchema, shape), response: { 201: ListSchema } },
    handler: async (req, reply) => reply.code(201).send(await lists.create(req.body, req.user!)),
  });

  r.patch('/v1/lists/:list_id', {
    config: change,
    bodyLimit,
    schema: { tags, summary: 'Change the description or replace the items (engineer or admin)', params, body: withShapeLimits(ListUpdateSchema, shape), response: { 200: ListSchema } },
    handler: async (req) => lists.update(req.params.list_id, req.body, req.user!),
  });

  r.post('/v1/lists/:list_id/items', {
    config: change,
    bodyLimit,
    schema: { tags, summary: 'Append items; present ones are skipped (engineer or admin)', params, body: withShapeLimits(ListItemsChangeSchema, shape), response: { 200: ListSchema } },
    handler: async (req) => lists.addItems(req.params.list_id, req.body, req.user!),
  });

  r.delete('/v1/lists/:list_id/items', {
    config: change,
    bodyLimit,
    schema: { tags, summary: 'Remove items; absent ones are ignored (engineer or admin)', params, body: withShapeLimits(ListItemsChangeSchema, shape), response: { 200: ListSchema } },
    handler: async (req) => lists.removeItems(req.params.list_id, req.body, req.user!),
  });

  r.delete('/v1/lists/:list_id', {
    config: change,
    schema: { tags, summary: 'Delete a list no rule uses (engineer or admin; 409 names the rules)', params, response: { 200: DeletedSchema } },
    handler: async (req) => lists.remove(req.params.list_id, req.user!),
  });
}
