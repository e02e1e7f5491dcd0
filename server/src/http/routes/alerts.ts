// /v1/alerts: list, detail, status change, live feed.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AlertDetailSchema, AlertSchema, AlertStatusUpdateSchema, PageSchema, alertListQuery } from '@siem/contracts';
import { STREAMS } from '../../bus/bus.ts';
import type { AppDeps } from '../app.ts';
import { feedHandler, sseDeps } from '../plugins/sse.ts';

export function alertRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, alerts } = deps;
  const tags = ['alerts'];

  r.get('/v1/alerts', {
    config: { access: 'user' },
    schema: { tags, summary: 'List alerts, newest first', querystring: alertListQuery({ perPage: config.DEFAULT_PAGE_SIZE, maxPerPage: config.MAX_PAGE_SIZE }), response: { 200: PageSchema(AlertSchema) } },
    handler: async (req) => alerts.list(req.query, req.user!),
  });

  r.get('/v1/alerts/stream', {
    config: { access: 'user', sse: true },
    schema: { tags, summary: 'Live alerts (SSE, event `alert`)' },
    handler: feedHandler(sseDeps(deps), { stream: STREAMS.alerts, event: 'alert', toData: (payload) => payload }),
  });

  r.get('/v1/alerts/:alert_id', {
    config: { access: 'user' },
    schema: { tags, summary: 'Alert with matched events and history', params: z.object({ alert_id: z.string() }), response: { 200: AlertDetailSchema } },
    handler: async (req) => alerts.get(req.params.alert_id),
  });

  r.patch('/v1/alerts/:alert_id/status', {
    config: { access: 'user' },
    schema: { tags, summary: 'Change the status (any transition)', params: z.object({ alert_id: z.string() }), body: AlertStatusUpdateSchema, response: { 200: AlertSchema } },
    handler: async (req) => alerts.changeStatus(req.params.alert_id, req.body, req.user!.username),
  });
}
