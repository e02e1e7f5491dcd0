// Reading stored events: filtered pages, one event, literal search and pivots.
import type { LogEvent, Page, SearchPage } from '@siem/contracts';
import { AppError, notFound } from '../errors.ts';
import { isObjectId } from '../lib/object-id.ts';
import { isQueryCancelled, type BoundedSession, type Db } from '../store/db.ts';
import type { EventFilters, EventsRepo } from '../store/events-repo.ts';
import type { RollupsRepo } from '../store/rollups-repo.ts';
import { parseSearchQuery } from './log-query.ts';

export interface PageQuery {
  page: number;
  per_page: number;
}

export function toPage<T>(items: T[], total: number, q: PageQuery): Page<T> {
  return { items, total, page: q.page, per_page: q.per_page, pages: total === 0 ? 0 : Math.ceil(total / q.per_page) };
}

/** The filters of GET /v1/logs as parsed by logFilterQuery (page and per_page are ignored). */
export type LogFilterParams = { since?: number | undefined; until?: number | undefined; query?: string | undefined } & Omit<EventFilters, 'sinceMs' | 'untilMs' | 'query'>;

/**
 * The store's filters for the log filter parameters: times in ms and the `query` text parsed
 * (422 QUERY_SYNTAX, located, when it is not valid). Every endpoint on logFilterQuery uses it.
 */
export function eventFiltersOf(params: LogFilterParams & Partial<PageQuery>): EventFilters {
  const { page: _page, per_page: _perPage, since, until, query: text, ...rest } = params;
  return { ...rest, sinceMs: since, untilMs: until, query: parseSearchQuery(text) };
}

export function createLogService(deps: {
  events: EventsRepo;
  rollups: RollupsRepo;
  /** Where searches run: their own connections, a time budget, cancellation. */
  db: Pick<Db, 'bounded'>;
  searchTimeoutMs: number;
  pivotMax: number;
  eventListMaxBytes: number;
}) {
  const { events, rollups } = deps;
  const hasFilter = (f: EventFilters) => Object.values(f).some((v) => v !== undefined);

  /** Runs `fn` within SEARCH_TIMEOUT_MS; out of time: 503 SEARCH_TIMEOUT, the process and the writers untouched. */
  async function bounded<T>(signal: AbortSignal | undefined, fn: (session: BoundedSession) => Promise<T>): Promise<T> {
    const timeoutMs = deps.searchTimeoutMs;
    try {
      return await deps.db.bounded({ timeoutMs, signal }, fn);
    } catch (err) {
      if (signal?.aborted) throw new AppError('SEARCH_CANCELLED', 'The search was cancelled: the client went away');
      if (!isQueryCancelled(err)) throw err;
      const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
      throw new AppError(
        'SEARCH_TIMEOUT',
        `The search did not finish within ${timeoutMs / 1000} s: narrow it with a longer term or a time range (since, until)`,
        { retryAfter: seconds },
      );
    }
  }

  return {
    /**
     * A filtered page. With a search `query` (docs/search.md) it runs like a search: in a
     * bounded session (SEARCH_TIMEOUT_MS, cancelled when the client goes away).
     */
    async list(
      query: PageQuery & LogFilterParams,
      signal?: AbortSignal,
    ): Promise<Page<LogEvent>> {
      const { page, per_page } = query;
      const filters = eventFiltersOf(query);
      const offset = (page - 1) * per_page;
      if (filters.query) {
        const { items, total } = await bounded(signal, async (session) => ({
          items: await events.list(filters, offset, per_page, session),
          total: await events.count(filters, session),
        }));
        return toPage(items, total, query);
      }
      // Unfiltered totals come from the rollups: counting millions of rows per page is waste.
      const [items, total] = await Promise.all([
        events.list(filters, offset, per_page),
        hasFilter(filters)
          ? events.count(filters)
          : rollups.severityTotals().then((rows) => rows.reduce((n, r) => n + r.count, 0)),
      ]);
      return toPage(items, total, query);
    },

    async get(id: string): Promise<LogEvent> {
      const event = isObjectId(id) ? await events.findById(id) : null;
      if (!event) throw notFound('LogEvent');
      return event;
    },

    /**
     * Literal search within SEARCH_TIMEOUT_MS; `signal` (the client went away) cancels it.
     * Out of time: 503 SEARCH_TIMEOUT, the process and the writers untouched.
     */
    async search(query: PageQuery & { q: string; since?: number | undefined; until?: number | undefined }, signal?: AbortSignal): Promise<SearchPage> {
      const { items, total, totalExact } = await bounded(signal, (session) =>
        events.search(session, query.q, { sinceMs: query.since, untilMs: query.until }, (query.page - 1) * query.per_page, query.per_page),
      );
      return { ...toPage(items, total, query), total_exact: totalExact };
    },

    /**
     * The first non-empty of ip, username, hostname; none -> []. Bounded in count
     * and in bytes (EVENT_LIST_MAX_BYTES); `truncated` says the byte budget cut the list short.
     */
    async pivot(query: { ip?: string | undefined; username?: string | undefined; hostname?: string | undefined; limit?: number | undefined }): Promise<{ items: LogEvent[]; truncated: boolean }> {
      const limit = query.limit ?? deps.pivotMax;
      if (query.ip) return events.pivot('source_ip', query.ip, limit, deps.eventListMaxBytes);
      if (query.username) return events.pivot('username', query.username, limit, deps.eventListMaxBytes);
      if (query.hostname) return events.pivot('hostname', query.hostname, limit, deps.eventListMaxBytes);
      return { items: [], truncated: false };
    },
  };
}
export type LogService = ReturnType<typeof createLogService>;
