// /v1/rules/{rule_id}/exceptions: "never alert on this value for this rule", from an alert.
// Engineer or admin, like every rule change; the rule's history records it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RuleExceptionCreateSchema, RuleExceptionParamsSchema, RuleExceptionResultSchema, RuleSchema } from '@siem/contracts';
import type { RuleExceptionService } from '../../services/rule-exceptions.ts';

export function ruleExceptionRoutes(app: FastifyInstance, deps: { ruleExceptions: RuleExceptionService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { ruleExceptions } = deps;
  const tags = ['rules'];

  r.post('/v1/rules/:rule_id/exceptions', {
    config: { access: 'engineer' },
    schema: {
      tags,
      summary: "Add an exception to the rule, or the value to a shared list the rule excepts (engineer or admin)",
      params: z.object({ rule_id: z.string() }),
      body: RuleExceptionCreateSchema,
      response: { 200: RuleExceptionResultSchema },
    },
    handler: async (req) => ruleExceptions.add(req.params.rule_id, req.body, req.user!),
  });

  r.delete('/v1/rules/:rule_id/exceptions/:index', {
    config: { access: 'engineer' },
    schema: { tags, summary: 'Remove the exception at this position (0-based; engineer or admin)', params: RuleExceptionParamsSchema, response: { 200: RuleSchema } },
    handler: async (req) => ruleExceptions.remove(req.params.rule_id, req.params.index, req.user!),
  });
}
