// /v1/notifications: alert notification channels, their deliveries, "send test" and the
// template preview. Admin only: channels hold secrets and point the server at other hosts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChannelCreateSchema, ChannelSchema, ChannelUpdateSchema, DeletedSchema, DeliveriesQuerySchema, DeliverySchema, PreviewRequestSchema, PreviewSchema, TestResultSchema } from '@siem/contracts';
import type { ChannelService } from '../../services/notify/channels.ts';

export function notificationRoutes(app: FastifyInstance, deps: { notifications: ChannelService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = deps.notifications;
  const tags = ['notifications'];
  const params = z.object({ channel_id: z.string() });
  const config = { access: 'admin' } as const;
  const bodyLimit = 256 * 1024;

  r.get('/v1/notifications/channels', {
    config,
    schema: { tags, summary: 'Every notification channel, secrets masked (admin)', response: { 200: z.array(ChannelSchema) } },
    handler: async () => svc.list(),
  });

  r.post('/v1/notifications/channels', {
    config,
    bodyLimit,
    schema: { tags, summary: 'Create a channel (admin)', body: ChannelCreateSchema, response: { 201: ChannelSchema } },
    handler: async (req, reply) => reply.code(201).send(await svc.create(req.body, req.user!)),
  });

  r.get('/v1/notifications/channels/:channel_id', {
    config,
    schema: { tags, summary: 'One channel, secrets masked (admin)', params, response: { 200: ChannelSchema } },
    handler: async (req) => svc.get(req.params.channel_id),
  });

  r.patch('/v1/notifications/channels/:channel_id', {
    config,
    bodyLimit,
    schema: { tags, summary: 'Change a channel; secrets left out or masked are kept (admin)', params, body: ChannelUpdateSchema, response: { 200: ChannelSchema } },
    handler: async (req) => svc.update(req.params.channel_id, req.body),
  });

  r.delete('/v1/notifications/channels/:channel_id', {
    config,
    schema: { tags, summary: 'Delete a channel and its deliveries (admin)', params, response: { 200: DeletedSchema } },
    handler: async (req) => svc.remove(req.params.channel_id),
  });

  r.post('/v1/notifications/channels/:channel_id/test', {
    config,
    schema: { tags, summary: 'Send a sample alert on the channel now and answer the outcome (admin)', params, response: { 200: TestResultSchema } },
    handler: async (req) => svc.test(req.params.channel_id),
  });

  r.get('/v1/notifications/deliveries', {
    config,
    schema: { tags, summary: 'Recent deliveries with their attempts, newest first (admin)', querystring: DeliveriesQuerySchema, response: { 200: z.array(DeliverySchema) } },
    handler: async (req) => svc.deliveries(req.query),
  });

  r.post('/v1/notifications/preview', {
    config,
    bodyLimit,
    schema: { tags, summary: 'Render a template (and a kind\'s message) for a sample alert (admin)', body: PreviewRequestSchema, response: { 200: PreviewSchema } },
    handler: async (req) => svc.preview(req.body),
  });
}
