// /v1/correlation/rules: what the live correlation does with each enabled rule (events
// matched, alerts, errors, groups held, the last error), for analysts judging a rule.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CorrelationRulesViewSchema } from '@siem/contracts';
import type { DetectionService } from '../../services/detection.ts';

export function correlationRoutes(app: FastifyInstance, deps: { detection: Pick<DetectionService, 'rulesView'> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/correlation/rules', {
    config: { access: 'user' },
    schema: {
      tags: ['rules'],
      summary: 'Per enabled rule: events matched, alerts, errors and groups held by the live correlation',
      response: { 200: CorrelationRulesViewSchema },
    },
    handler: async () => deps.detection.rulesView(),
  });
}
