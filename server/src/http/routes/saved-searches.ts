// /v1/saved-searches: named log searches. Everyone sees their own and the shared ones; only
// the owner or an admin changes or deletes one.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeletedSchema, SavedSearchCreateSchema, SavedSearchSchema, SavedSearchUpdateSchema } from '@siem/contracts';
import type { SavedSearchService } from '../../services/saved-searches.ts';

export function savedSearchRoutes(app: FastifyInstance, deps: { savedSearches: SavedSearchService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { savedSearches } = deps;
  const tags = ['saved-searches'];
  const params = z.object({ search_id: z.string() });
  const config = { access: 'user' } as const;

  r.get('/v1/saved-searches', {
    config,
    schema: { tags, summary: 'Your saved searches and the shared ones, by name', response: { 200: z.array(SavedSearchSchema) } },
    handler: async (req) => savedSearches.list(req.user!),
  });

  r.post('/v1/saved-searches', {
    config,
    schema: { tags, summary: 'Save a search (at most 200 per account; names unique per account)', body: SavedSearchCreateSchema, response: { 201: SavedSearchSchema } },
    handler: async (req, reply) => reply.code(201).send(await savedSearches.create(req.body, req.user!)),
  });

  r.get('/v1/saved-searches/:search_id', {
    config,
    schema: { tags, summary: 'One saved search (yours or a shared one)', params, response: { 200: SavedSearchSchema } },
    handler: async (req) => savedSearches.get(req.params.search_id, req.user!),
  });

  r.patch('/v1/saved-searches/:search_id', {
    config,
    schema: { tags, summary: 'Change a saved search (its owner or an admin)', params, body: SavedSearchUpdateSchema, response: { 200: SavedSearchSchema } },
    handler: async (req) => savedSearches.update(req.params.search_id, req.body, req.user!),
  });

  r.delete('/v1/saved-searches/:search_id', {
    config,
    schema: { tags, summary: 'Delete a saved search (its owner or an admin)', params, response: { 200: DeletedSchema } },
    handler: async (req) => savedSearches.remove(req.params.search_id, req.user!),
  });
}
