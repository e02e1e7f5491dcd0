// /v1/sources: the inputs, their state and counters, top hosts and formats, and a sample of
// unparsed lines. Input addresses describe the infrastructure: engineers and admins only.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SourcesSnapshotSchema } from '@siem/contracts';
import type { AppDeps } from '../app.ts';

export function sourceRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/sources', {
    config: { access: 'engineer', engineerPurpose: 'reading the intake sources' },
    schema: {
      tags: ['sources'],
      summary: 'Inputs, what arrives through them, and unparsed samples (engineer or admin)',
      response: { 200: SourcesSnapshotSchema },
    },
    handler: async () => deps.sources.snapshot(),
  });
}
