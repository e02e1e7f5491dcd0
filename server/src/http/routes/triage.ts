// /v1/alerts/{id}/context: triage at a glance (rule guidance, addresses, related alerts, pivots).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AlertContextSchema, alertContextQuery } from '@siem/contracts';
import type { TriageService } from '../../services/triage.ts';

export function triageRoutes(app: FastifyInstance, deps: { triage: TriageService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/alerts/:alert_id/context', {
    config: { access: 'user' },
    schema: {
      tags: ['alerts'],
      summary: "Triage context: the rule's guidance, the matched events' addresses, related alerts, log pivots",
      params: z.object({ alert_id: z.string() }),
      querystring: alertContextQuery,
      response: { 200: AlertContextSchema },
    },
    handler: async (req) => deps.triage.context(req.params.alert_id, req.query),
  });
}
