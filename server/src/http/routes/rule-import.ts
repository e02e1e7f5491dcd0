// POST /v1/rules/import: Sigma rules as JSON ({files: [{name, content}]} or {content}) or as
// a raw YAML body (application/yaml, application/x-yaml, text/yaml; options in the query).
// Engineer or admin, like creating a rule. The service validates the body itself: file
// contents are far longer than the generic body string bound.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RULE_IMPORT_LIMITS, RuleImportQuerySchema, RuleImportRequestSchema, RuleImportResultSchema } from '@siem/contracts';
import type { RuleImportService } from '../../services/rule-import.ts';
import { docOnly } from '../plugins/body.ts';

export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
// JSON escaping can double the YAML text; anything larger is refused before it is read.
const BODY_LIMIT = 2 * RULE_IMPORT_LIMITS.maxBytes + 64 * 1024;

export async function ruleImportRoutes(app: FastifyInstance, deps: { ruleImport: RuleImportService }): Promise<void> {
  await app.register(async (scope) => {
    // Scoped to this route: elsewhere a YAML body is read like any other body.
    scope.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, { content: body, yaml: true }));
    scope.withTypeProvider<ZodTypeProvider>().post('/v1/rules/import', {
      bodyLimit: BODY_LIMIT,
      config: { access: 'engineer', engineerPurpose: 'importing detection rules' },
      schema: {
        tags: ['rules'],
        summary: 'Import Sigma rules (engineer or admin): each created, updated in place, unchanged or refused with a located reason',
        querystring: RuleImportQuerySchema,
        body: docOnly(RuleImportRequestSchema),
        response: { 200: RuleImportResultSchema },
      },
      handler: async (req) => {
        const body = req.body as Record<string, unknown> | undefined;
        const fromYaml = body?.yaml === true ? { content: body.content, ...req.query } : body;
        return deps.ruleImport.importRules(fromYaml, req.user!);
      },
    });
  });
}
