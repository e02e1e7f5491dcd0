// /v1/cluster: the processes sharing correlation, the partitions they own and each
// partition's lag. Admin only: it names hosts and process ids.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ClusterViewSchema } from '@siem/contracts';
import type { ClusterService } from '../../services/cluster.ts';

export function clusterRoutes(app: FastifyInstance, deps: { cluster: Pick<ClusterService, 'view'> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/cluster', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'Correlation processes (alive, state, partitions owned) and every partition\'s owner, checkpoint and lag',
      response: { 200: ClusterViewSchema },
    },
    handler: async () => deps.cluster.view(),
  });
}
