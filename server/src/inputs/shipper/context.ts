// What the shipper listener's routes share: the intake, the Sources handles, limits and
// the identity the Elasticsearch answers claim. Also the per-route config the listener's
// hooks read (which protocol answers errors, whether a key is needed).
import type { Logger } from 'pino';
import type { InputHandle } from '../../services/sources.ts';
import type { Intake } from '../../services/intake-types.ts';
import type { Identity } from './es-bodies.ts';

export type Protocol = 'elasticsearch' | 'hec';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Shipper listener: the protocol whose shape its answers (and errors) take. */
    shipper?: Protocol;
    /** Shipper listener: answered without a key (HEC health). */
    open?: boolean;
  }
}

export interface ShipperContext {
  intake: Intake;
  inputs: Record<Protocol, InputHandle>;
  /** Operations (bulk items, HEC events) one request may carry. */
  maxItems: number;
  identity: () => Identity;
  clock: () => number;
  log: Logger;
}
