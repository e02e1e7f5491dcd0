// /v1/fields: the field names stored events carry, for the rule editor's field picker.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FieldInfoSchema, fieldsQuery } from '@siem/contracts';
import type { FieldService } from '../../services/fields.ts';

export function fieldRoutes(app: FastifyInstance, deps: { fields: FieldService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/fields', {
    config: { access: 'user' },
    schema: {
      tags: ['rules'],
      summary: 'Field names seen in the newest stored events (columns, normalized.<key>, parsed fields)',
      querystring: fieldsQuery,
      response: { 200: z.array(FieldInfoSchema) },
    },
    handler: async (req) => deps.fields.list(req.query),
  });
}
