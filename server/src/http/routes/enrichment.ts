// /v1/enrichment: what enrichment knows of one address (scope, country, city, AS, matched
// indicators), for the analyst looking at an address the events do not carry yet.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AddressEnrichmentSchema } from '@siem/contracts';
import type { AddressEnrichmentService } from '../../services/address-enrichment.ts';

/** Longest address text: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
const MAX_ADDRESS_LENGTH = 45;

export function enrichmentRoutes(app: FastifyInstance, deps: { addressEnrichment: AddressEnrichmentService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/enrichment/ip/:ip', {
    config: { access: 'user' },
    schema: {
      tags: ['enrichment'],
      summary: 'Scope, country, city, autonomous system and threat-intel matches of one address',
      params: z.object({ ip: z.string().min(1).max(MAX_ADDRESS_LENGTH) }),
      response: { 200: AddressEnrichmentSchema },
    },
    handler: async (req) => deps.addressEnrichment.address(req.params.ip),
  });
}
