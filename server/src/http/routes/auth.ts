// /v1/auth: register (when self-registration is on), login (both on the stricter auth rate
// limit), the public sign-in options, and the caller's own account. The guard has already
// loaded the caller for the `user` routes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuthOptionsSchema, LoginBodySchema, SetupBodySchema, ProfileUpdateBodySchema, ProfileUpdateSchema, RegisterBodySchema, TokenSchema, UserSchema } from '@siem/contracts';
import type { AppDeps } from '../app.ts';

export function authRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { auth } = deps;
  const tags = ['auth'];

  r.get('/v1/auth/options', {
    config: { access: 'public' },
    schema: { tags, summary: 'Sign-in options (is self-registration open?)', security: [], response: { 200: AuthOptionsSchema } },
    handler: async () => auth.options(),
  });

  r.post('/v1/auth/register', {
    config: { access: 'public', limit: 'auth' },
    // Closed registration is a 403 before the body is looked at.
    preValidation: async () => auth.assertRegistrationOpen(),
    schema: { tags, summary: 'Create an analyst account (403 when self-registration is off)', security: [], body: RegisterBodySchema, response: { 201: TokenSchema } },
    handler: async (req, reply) => reply.code(201).send(await auth.register(req.body)),
  });

  r.post('/v1/setup', {
    config: { access: 'public', limit: 'auth' },
    schema: { tags, summary: 'Create the first administrator with the one-time setup token the server printed', security: [], body: SetupBodySchema, response: { 201: TokenSchema } },
    handler: async (req, reply) => reply.code(201).send(await deps.setup.complete(req.body)),
  });

  r.post('/v1/auth/login', {
    config: { access: 'public', limit: 'auth' },
    schema: { tags, summary: 'Exchange credentials for a token', security: [], body: LoginBodySchema, response: { 200: TokenSchema } },
    handler: async (req) => auth.login(req.body),
  });

  r.get('/v1/auth/me', {
    config: { access: 'user' },
    schema: { tags, summary: 'The caller', response: { 200: UserSchema } },
    handler: async (req) => req.user!,
  });

  r.patch('/v1/auth/me', {
    config: { access: 'user' },
    schema: { tags, summary: 'Change own username, email or password', body: ProfileUpdateBodySchema, response: { 200: ProfileUpdateSchema } },
    handler: async (req) => auth.updateProfile(req.user!.id, req.body),
  });
}
