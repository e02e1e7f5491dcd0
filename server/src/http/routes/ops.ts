// Operations: health (store and bus answer), Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { withTimeout } from '../../lib/timeout.ts';
import { sendError } from '../plugins/errors.ts';

async function check(name: string, probe: () => Promise<void>, timeoutMs: number): Promise<string | null> {
  try {
    await withTimeout(probe(), timeoutMs, 'timeout');
    return null;
  } catch {
    return name;
  }
}

export function opsRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/health', { config: { access: 'public', rateLimit: false }, schema: { tags: ['ops'], summary: 'Liveness and dependencies' } }, async (_req, reply) => {
    const failed = (
      await Promise.all([check('store', () => deps.db.ping(), 2000), check('bus', () => deps.bus.ping(), 2000)])
    ).filter((n): n is string => n !== null);
    if (failed.length > 0) {
      return sendError(reply, 503, { error: 'ServiceUnavailable', message: `Dependency down: ${failed.join(', ')}` });
    }
    // Sampled in the background every few seconds: the probe itself stays cheap.
    const correlation = await deps.correlationHealth.current();
    if (correlation?.problem) {
      return sendError(reply, 503, { error: 'ServiceUnavailable', message: `Degraded: ${correlation.problem}` });
    }
    return reply.type('text/plain; charset=utf-8').send('1');
  });

  app.get('/metrics', { config: { access: 'public', rateLimit: false }, schema: { tags: ['ops'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
