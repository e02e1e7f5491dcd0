// /v1/logs/export, /v1/logs/histogram, /v1/logs/field-stats: the search tools over the
// filters GET /v1/logs takes. Any signed-in user (analyst and up).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { FieldStatsSchema, HistogramSchema, exportQuery, fieldStatsQuery, histogramQuery } from '@siem/contracts';
import type { LogExportService } from '../../services/log-export.ts';
import type { LogStatsService } from '../../services/log-stats.ts';
import { clientGone } from '../plugins/client-gone.ts';

export function searchToolRoutes(app: FastifyInstance, deps: { logExport: LogExportService; logStats: LogStatsService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['logs'];

  r.get('/v1/logs/export', {
    config: { access: 'user' },
    schema: { tags, summary: 'Export matching events as CSV or NDJSON (streamed, newest first, bounded in rows and bytes)', querystring: exportQuery },
    handler: async (req, reply) => {
      const file = await deps.logExport.open(req.query, req.user!, clientGone(reply));
      return reply
        .header('Content-Type', file.contentType)
        .header('Content-Disposition', `attachment; filename="${file.filename}"`)
        .header('Cache-Control', 'no-store')
        .send(file.body);
    },
  });

  r.get('/v1/logs/histogram', {
    config: { access: 'user' },
    schema: { tags, summary: 'Matching events per time bucket (default: the last 24 hours)', querystring: histogramQuery, response: { 200: HistogramSchema } },
    handler: async (req, reply) => deps.logStats.histogram(req.query, clientGone(reply)),
  });

  r.get('/v1/logs/field-stats', {
    config: { access: 'user' },
    schema: { tags, summary: 'Top values of fields, or the fields present, among the newest matching events (a sample)', querystring: fieldStatsQuery, response: { 200: FieldStatsSchema } },
    handler: async (req, reply) => deps.logStats.fieldStats(req.query, clientGone(reply)),
  });
}
