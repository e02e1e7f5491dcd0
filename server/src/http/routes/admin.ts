// /v1/admin/users: account administration, admin role only. The service applies the
// The order of checks (404 target, then the self-action and last-admin guards).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeletedSchema, PageSchema, RoleUpdateBodySchema, UserSchema, adminUsersQuery } from '@siem/contracts';
import type { AppDeps } from '../app.ts';

export function adminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, users } = deps;
  const tags = ['admin'];
  const params = z.object({ user_id: z.string() });
  const access = { access: 'admin' } as const;

  r.get('/v1/admin/users', {
    config: access,
    schema: {
      tags,
      summary: 'Accounts, newest first',
      querystring: adminUsersQuery({ perPage: config.DEFAULT_PAGE_SIZE, maxPerPage: config.MAX_PAGE_SIZE }),
      response: { 200: PageSchema(UserSchema) },
    },
    handler: async (req) => users.list(req.query),
  });

  r.get('/v1/admin/users/:user_id', {
    config: access,
    schema: { tags, summary: 'One account', params, response: { 200: UserSchema } },
    handler: async (req) => users.get(req.params.user_id),
  });

  r.patch('/v1/admin/users/:user_id/role', {
    config: access,
    schema: { tags, summary: 'Change the role', params, body: RoleUpdateBodySchema, response: { 200: UserSchema } },
    handler: async (req) => users.setRole(req.user!.id, req.params.user_id, req.body.role),
  });

  r.post('/v1/admin/users/:user_id/deactivate', {
    config: access,
    schema: { tags, summary: 'Deactivate an account', params, response: { 200: UserSchema } },
    handler: async (req) => users.deactivate(req.user!.id, req.params.user_id),
  });

  r.post('/v1/admin/users/:user_id/activate', {
    config: access,
    schema: { tags, summary: 'Re-activate an account', params, response: { 200: UserSchema } },
    handler: async (req) => users.activate(req.params.user_id),
  });

  r.delete('/v1/admin/users/:user_id', {
    config: access,
    schema: { tags, summary: 'Delete an account', params, response: { 200: DeletedSchema } },
    handler: async (req) => users.remove(req.user!.id, req.params.user_id),
  });
}
