// /v1/dashboard: overview, timeline, severity breakdown, top sources.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  OverviewSchema,
  SeverityCountSchema,
  TimelineBucketSchema,
  TopSourceSchema,
  timelineQuery,
  topSourcesQuery,
} from '@siem/contracts';
import type { AppDeps } from '../app.ts';

export function dashboardRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, dashboard } = deps;
  const tags = ['dashboard'];

  r.get('/v1/dashboard', {
    config: { access: 'user' },
    schema: { tags, summary: 'Overview counts', response: { 200: OverviewSchema } },
    handler: async () => dashboard.overview(),
  });

  r.get('/v1/dashboard/timeline', {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'Event counts over time',
      querystring: timelineQuery({ hours: config.TIMELINE_DEFAULT_HOURS, bucketMinutes: config.TIMELINE_BUCKET_MINUTES }),
      response: { 200: z.array(TimelineBucketSchema) },
    },
    handler: async (req) => dashboard.timeline(req.query.hours, req.query.bucket_minutes),
  });

  r.get('/v1/dashboard/severity-breakdown', {
    config: { access: 'user' },
    schema: { tags, summary: 'Event counts by severity', response: { 200: z.array(SeverityCountSchema) } },
    handler: async () => dashboard.severityBreakdown(),
  });

  r.get('/v1/dashboard/top-sources', {
    config: { access: 'user' },
    schema: { tags, summary: 'Busiest source addresses', querystring: topSourcesQuery(config.TOP_SOURCES_LIMIT), response: { 200: z.array(TopSourceSchema) } },
    handler: async (req) => dashboard.topSources(req.query.limit),
  });
}
