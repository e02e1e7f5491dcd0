// The search query language: validation for the search bar (as the analyst types) and
// "detection from a search" (a draft rule for the editor, never stored here).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { QueryValidateAnswerSchema, QueryValidateBodySchema, RuleDraftBodySchema, RuleFromQueryBodySchema } from '@siem/contracts';
import { draftRuleFromQuery, validateQuery } from '../../services/log-query.ts';

export function queryRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/logs/query/validate', {
    config: { access: 'user' },
    schema: {
      tags: ['logs'],
      summary: 'Check a search query: its canonical form and tree, or the located error (always 200)',
      body: QueryValidateBodySchema,
      response: { 200: QueryValidateAnswerSchema },
    },
    handler: async (req) => validateQuery(req.body.query),
  });

  r.post('/v1/rules/from-query', {
    config: { access: 'engineer' },
    schema: {
      tags: ['rules'],
      summary: 'A draft single-event rule matching a search (engineer or admin; not stored)',
      body: RuleFromQueryBodySchema,
      response: { 200: RuleDraftBodySchema },
    },
    handler: async (req) => draftRuleFromQuery(req.body),
  });
}
