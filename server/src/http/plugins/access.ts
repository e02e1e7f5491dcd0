// The per-route guard. Each route declares `config.access`: public, ingest (ingest keys
// when configured), user, engineer (changes to detections) or admin. The check runs on request, before the body is read,
// so the order of checks holds (rate limit -> 401 -> 403 -> 422 -> 404).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '@siem/contracts';
import { AppError } from '../../errors.ts';

export type Access = 'public' | 'ingest' | 'user' | 'engineer' | 'admin';

export interface AuthUser {
  id: string;
  username: string;
  email: string;
  role: Role;
  is_active: boolean;
}

/** Resolves a bearer token to an active user, or throws AppError 401. */
export type Authenticate = (token: string | undefined) => Promise<AuthUser>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The route is a live feed: the token may come in `?token=` (EventSource cannot set headers). */
    sse?: boolean;
    /** What an `engineer` route is for, named in its 403 (default: changing detection rules). */
    engineerPurpose?: string;
  }
  interface FastifyRequest {
    user?: AuthUser;
    /** Live feeds only: the token, so the open stream can be re-checked. Never logged. */
    authToken?: string;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares against every key, in constant time per key, without early exit. */
export function matchesAnyKey(presented: string, keyDigests: Buffer[]): boolean {
  const candidate = digest(presented);
  let match = false;
  for (const key of keyDigests) match = timingSafeEqual(candidate, key) || match;
  return match;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  // Exactly "Bearer" and one space; any other form is disregarded.
  const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
  return match ? match[1] : undefined;
}

/**
 * The `token` query parameter of a live feed, under exactly that name as written in the
 * URL: a percent-encoded name (`%74oken`) is not it, since proxies and log redaction
 * look for the literal name. First occurrence wins.
 */
export function queryToken(url: string): string | undefined {
  const search = url.split('#')[0]!.split('?').slice(1).join('?');
  for (const part of search.split('&')) {
    if (!part.startsWith('token=')) continue;
    try {
      const value = decodeURIComponent(part.slice('token='.length).replace(/\+/g, ' '));
      return value === '' ? undefined : value;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function registerAccessGuard(app: FastifyInstance, opts: { ingestKeys: string[]; authenticate: Authenticate }): void {
  const keyDigests = opts.ingestKeys.map(digest);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const config = request.routeOptions.config;
    const access: Access = config.access ?? 'public';
    if (access === 'public') return;
    if (access === 'ingest') {
      if (keyDigests.length === 0) return;
      const presented = bearerToken(request) ?? (request.headers['x-api-key'] as string | undefined);
      if (typeof presented !== 'string' || !matchesAnyKey(presented, keyDigests)) {
        throw new AppError('AUTH_INGEST_KEY', 'A valid ingest API key is required');
      }
      return;
    }
    const token = bearerToken(request) ?? (config.sse ? queryToken(request.url) : undefined);
    if (!token) throw new AppError('AUTH_REQUIRED', 'Authentication required');
    const user = await opts.authenticate(token);
    request.user = user;
    if (config.sse) request.authToken = token;
    if (access === 'admin' && user.role !== 'admin') throw new AppError('FORBIDDEN_ROLE', 'Insufficient permissions');
    if (access === 'engineer' && user.role !== 'engineer' && user.role !== 'admin') {
      throw new AppError('FORBIDDEN_ROLE', `Insufficient permissions: ${config.engineerPurpose ?? 'changing detection rules'} needs the engineer or admin role`);
    }
  });
}
