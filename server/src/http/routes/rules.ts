// /v1/rules: CRUD (changes need the engineer or admin role), each rule's change history,
// and the dry-run test (open to analysts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeletedSchema, RuleCreateSchema, RuleHistoryEntrySchema, RuleSchema, RuleTestResultSchema, RuleUpdateSchema, ruleTestRequest } from '@siem/contracts';
import type { AppDeps } from '../app.ts';

export function ruleRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, rules } = deps;
  const tags = ['rules'];
  const params = z.object({ rule_id: z.string() });

  r.get('/v1/rules', {
    config: { access: 'user' },
    schema: { tags, summary: 'All rules, newest first', response: { 200: z.array(RuleSchema) } },
    handler: async () => rules.list(),
  });

  r.post('/v1/rules', {
    config: { access: 'engineer' },
    schema: { tags, summary: 'Create a rule (engineer or admin)', body: RuleCreateSchema, response: { 201: RuleSchema } },
    handler: async (req, reply) => reply.code(201).send(await rules.create(req.body, req.user!)),
  });

  r.post('/v1/rules/restore-defaults', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Re-create missing shipped rules and reset edited ones (admin)',
      response: { 200: z.object({ created: z.number().int(), reset: z.number().int(), total: z.number().int() }) },
    },
    handler: async (req) => deps.defaultRules.restore(req.user!),
  });

  r.get('/v1/rules/:rule_id', {
    config: { access: 'user' },
    schema: { tags, summary: 'One rule', params, response: { 200: RuleSchema } },
    handler: async (req) => rules.get(req.params.rule_id),
  });

  r.get('/v1/rules/:rule_id/history', {
    config: { access: 'user' },
    schema: { tags, summary: 'Every change of the rule, oldest first (kept after a deletion)', params, response: { 200: z.array(RuleHistoryEntrySchema) } },
    handler: async (req) => rules.history(req.params.rule_id),
  });

  r.patch('/v1/rules/:rule_id', {
    config: { access: 'engineer' },
    schema: { tags, summary: 'Update, enable or disable a rule (engineer or admin; absent or null = unchanged)', params, body: RuleUpdateSchema, response: { 200: RuleSchema } },
    handler: async (req) => rules.update(req.params.rule_id, req.body, req.user!),
  });

  r.delete('/v1/rules/:rule_id', {
    config: { access: 'engineer' },
    schema: { tags, summary: 'Delete a rule (engineer or admin; its alerts and history remain)', params, response: { 200: DeletedSchema } },
    handler: async (req) => rules.remove(req.params.rule_id, req.user!),
  });

  r.post('/v1/rules/:rule_id/test', {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'Replay stored events through the rule; raises nothing',
      params,
      body: ruleTestRequest(config.RULE_TEST_MAX_HOURS, config.TIMELINE_DEFAULT_HOURS),
      response: { 200: RuleTestResultSchema },
    },
    handler: async (req) => rules.test(req.params.rule_id, req.body.hours),
  });
}
