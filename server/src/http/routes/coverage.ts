// /v1/coverage: MITRE ATT&CK techniques covered by rules, with their alerts in a period.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CoverageSchema, coverageQuery } from '@siem/contracts';
import type { CoverageService } from '../../services/coverage.ts';

export function coverageRoutes(app: FastifyInstance, deps: { coverage: CoverageService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/coverage', {
    config: { access: 'user' },
    schema: { tags: ['rules'], summary: 'ATT&CK techniques named by rules, with alert counts over `hours`', querystring: coverageQuery, response: { 200: CoverageSchema } },
    handler: async (req) => deps.coverage.coverage(req.query.hours),
  });
}
