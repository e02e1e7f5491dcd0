// Who holds the live feeds open: admission against a per-account and a per-process bound
// (a 429 or 503 before the stream starts), and a periodic re-check of every open stream's
// token, so the streams of a deactivated or deleted account, of a revoked token (password
// change) or of an expired one are closed within seconds. One check per distinct token per
// period, however many streams share it.
import type { Logger } from 'pino';
import { AppError, isAppError } from '../errors.ts';

export interface LiveClient {
  userId: string;
  token: string;
  /** Ends the stream (the token no longer authenticates). */
  end: () => void;
}

export function createLiveClients(deps: {
  maxPerUser: number;
  maxTotal: number;
  recheckMs: number;
  /** Throws AppError 401 when the token no longer names an active account. */
  authenticate: (token: string) => Promise<unknown>;
  log: Logger;
}) {
  const clients = new Set<LiveClient>();
  const perUser = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let checking = false;

  async function recheck(): Promise<void> {
    if (checking) return;
    checking = true;
    try {
      const byToken = new Map<string, LiveClient[]>();
      for (const c of clients) {
        const group = byToken.get(c.token);
        if (group) group.push(c);
        else byToken.set(c.token, [c]);
      }
      for (const [token, group] of byToken) {
        try {
          await deps.authenticate(token);
        } catch (err) {
          // Only a definite "no" closes streams; a database hiccup keeps them open.
          if (isAppError(err) && err.status === 401) {
            deps.log.info({ userId: group[0]!.userId, streams: group.length, reason: err.code }, 'closing live feeds whose token no longer authenticates');
            for (const c of group) c.end();
          } else {
            deps.log.warn({ err }, 'live feed re-check failed; retrying next period');
          }
        }
      }
    } finally {
      checking = false;
    }
  }

  function release(client: LiveClient): void {
    if (!clients.delete(client)) return;
    const left = (perUser.get(client.userId) ?? 1) - 1;
    if (left <= 0) perUser.delete(client.userId);
    else perUser.set(client.userId, left);
    if (clients.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    /** Registers a stream about to open; throws 429/503 when a bound is reached. Returns its release. */
    admit(client: LiveClient): () => void {
      const mine = perUser.get(client.userId) ?? 0;
      if (mine >= deps.maxPerUser) {
        throw new AppError('SSE_TOO_MANY_PER_USER', `Too many live feeds open for this account (at most ${deps.maxPerUser}); close one first`, { retryAfter: 5 });
      }
      if (clients.size >= deps.maxTotal) {
        throw new AppError('SSE_CAPACITY', `The server is serving its maximum of ${deps.maxTotal} live feeds; try again later`, { retryAfter: 10 });
      }
      clients.add(client);
      perUser.set(client.userId, mine + 1);
      if (!timer) {
        timer = setInterval(() => void recheck(), deps.recheckMs);
        timer.unref();
      }
      return () => release(client);
    },

    count(): number {
      return clients.size;
    },

    /** Runs one re-check now (tests). */
    recheck,

    close(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
export type LiveClients = ReturnType<typeof createLiveClients>;
