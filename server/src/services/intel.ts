// Threat-intel lists: create, change, delete, and fill them (one indicator, an uploaded
// file, a watched path's files). Imports parse with the engine's feed parsers under the
// INTEL_IMPORT_* bounds, de-duplicate, upsert in batches, and record their outcome on the
// list; every change bumps the version row and is announced so each process rebuilds its
// index. A watched list's import replaces the list (what the file no longer holds goes).
import type {
  ImportStats, Indicator, IndicatorCreate, IndicatorList, IndicatorListCreate, IndicatorListUpdate, IntelFormat, Page,
} from '@siem/contracts';
import { INTEL_LIMITS } from '@siem/contracts';
import type { Logger } from 'pino';
import { parseFeed } from '../engine/intel/formats/index.ts';
import type { ParsedFeed, ParsedIndicator } from '../engine/intel/feed.ts';
import { normalizeIndicator } from '../engine/intel/normalize.ts';
import { AppError, notFound } from '../errors.ts';
import { isObjectId, newObjectId } from '../lib/object-id.ts';
import { sqlState } from '../store/db.ts';
import type { IndicatorListRecord, IndicatorWrite, IntelRepo } from '../store/intel-repo.ts';
import type { ControlChannel } from './control.ts';
import type { IndicatorChange } from './intel-matcher.ts';
import { resolveWatchPath } from './intel-files.ts';
import type { Actor } from './rules.ts';

export interface IntelServiceDeps {
  repo: IntelRepo;
  log: Logger;
  control?: Pick<ControlChannel, 'announce'>;
  /** Rebuilds this process's index (other processes hear the announcement). */
  onChange: () => Promise<void> | void;
  /** Applies a one-indicator change to this process's index (it rebuilds when it cannot). */
  onIndicatorChange?: (version: number, change: IndicatorChange) => Promise<void> | void;
  limits: { maxImportIndicators: number; watchRoot: string | undefined };
  clock?: () => number;
  /** Called when a watched list is created, changed or deleted (the watcher re-reads the lists). */
  onWatchChange?: () => void;
}

export interface ImportOptions {
  /** Remove the list's indicators the import did not see (watched paths; `?replace=true`). */
  replace: boolean;
}

const feedInvalid = (feed: ParsedFeed) =>
  new AppError('INTEL_FEED_INVALID', `No indicator could be read: ${feed.rejected} entr${feed.rejected === 1 ? 'y was' : 'ies were'} refused${feed.errors[0] ? ` (${feed.errors[0]})` : ''}`, {
    details: feed.errors.map((message) => ({ field: 'body', message, type: 'value_error' })),
  });

function uniqueName<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    if (sqlState(err) === '23505') throw new AppError('CONFLICT_DUPLICATE', 'An indicator list with this name already exists');
    throw err;
  });
}

export function createIntelService(deps: IntelServiceDeps) {
  const { repo, log } = deps;
  const clock = deps.clock ?? Date.now;

  async function changed(one?: IndicatorChange): Promise<void> {
    const version = await repo.bumpVersion();
    if (one && deps.onIndicatorChange) await deps.onIndicatorChange(version, one);
    else await deps.onChange();
    await deps.control?.announce({ type: 'intel_changed', at: clock(), version });
  }

  async function find(id: string): Promise<IndicatorListRecord> {
    const list = isObjectId(id) ? await repo.findList(id) : null;
    if (!list) throw notFound('IndicatorList');
    return list;
  }

  /** Parsed indicators -> rows: list defaults filled in, one row per (type, value), the last one winning. */
  function rowsOf(list: IndicatorListRecord, items: readonly ParsedIndicator[]): IndicatorWrite[] {
    const byKey = new Map<string, IndicatorWrite>();
    for (const i of items) {
      byKey.set(`${i.type}\u0000${i.value}`, {
        type: i.type,
        value: i.value,
        source: i.source ?? (list.source || null),
        confidence: i.confidence ?? list.default_confidence,
        expiresMs: i.expiresMs ?? null,
      });
    }
    return [...byKey.values()];
  }

  /** Parses the texts (each a whole file of `format`) and stores what they hold. */
  async function importTexts(id: string, format: IntelFormat, texts: readonly string[], opts: ImportOptions): Promise<ImportStats> {
    const list = await find(id);
    const t0 = clock();
    const merged: ParsedFeed = { indicators: [], errors: [], rejected: 0, truncated: 0 };
    for (const text of texts) {
      const room = deps.limits.maxImportIndicators - merged.indicators.length;
      const feed = parseFeed(format, text, { maxIndicators: Math.max(0, room) });
      for (const i of feed.indicators) merged.indicators.push(i);
      merged.errors.push(...feed.errors.slice(0, 20 - merged.errors.length));
      merged.rejected += feed.rejected;
      merged.truncated += feed.truncated;
    }
    const stats = (imported: number): ImportStats => ({
      at: new Date(t0).toISOString(),
      format,
      imported,
      rejected: merged.rejected,
      truncated: merged.truncated,
      duration_ms: Math.max(0, Math.round(clock() - t0)),
      errors: merged.errors,
    });
    if (merged.indicators.length === 0 && merged.rejected > 0) {
      await repo.recordImport(id, stats(0));
      throw feedInvalid(merged);
    }
    const rows = rowsOf(list, merged.indicators);
    const seenAt = new Date(t0);
    await repo.upsertIndicators(id, rows, seenAt);
    // A truncated file is not the whole feed: nothing is removed on its word.
    if (opts.replace && merged.truncated === 0) await repo.removeUnseen(id, seenAt);
    const result = stats(rows.length);
    await repo.recordImport(id, result);
    log.info({ list: list.name, format, imported: rows.length, rejected: merged.rejected, truncated: merged.truncated, ms: result.duration_ms }, 'threat-intel import');
    await changed();
    return result;
  }

  async function checkedWatch(feedKind: string, path: string | undefined, format: IntelFormat | undefined): Promise<void> {
    if (feedKind !== 'watched') return;
    if (!path) throw new AppError('INTEL_PATH_REFUSED', 'A watched list needs a path (under INTEL_WATCH_ROOT)');
    if (!format) throw new AppError('INTEL_PATH_REFUSED', 'A watched list needs the format of its files (csv, stix or misp)');
    await resolveWatchPath(deps.limits.watchRoot, path);
  }

  const toApi = (r: IndicatorListRecord): IndicatorList => r;

  return {
    importTexts,

    async lists(): Promise<IndicatorList[]> {
      return (await repo.lists()).map(toApi);
    },

    async get(id: string): Promise<IndicatorList> {
      return toApi(await find(id));
    },

    async create(body: IndicatorListCreate, actor: Actor): Promise<IndicatorList> {
      await checkedWatch(body.feed_kind, body.path, body.format);
      if ((await repo.countLists()) >= INTEL_LIMITS.maxLists) {
        throw new AppError('VALIDATION_FAILED', `At most ${INTEL_LIMITS.maxLists} indicator lists can exist; delete one first`);
      }
      const created = await uniqueName(
        repo.insertList({
          id: newObjectId(clock()), name: body.name, description: body.description, source: body.source,
          default_confidence: body.default_confidence, feed_kind: body.feed_kind,
          path: body.feed_kind === 'watched' ? body.path! : null, format: body.format ?? null,
          enabled: body.enabled, created_by: actor.username,
        }),
      );
      log.info({ list: created.name, feed_kind: created.feed_kind, by: actor.username }, 'indicator list created');
      await changed();
      if (created.feed_kind === 'watched') deps.onWatchChange?.();
      return toApi(created);
    },

    async update(id: string, patch: IndicatorListUpdate, actor: Actor): Promise<IndicatorList> {
      const current = await find(id);
      if (Object.values(patch).every((v) => v === undefined)) throw new AppError('VALIDATION_NOTHING_TO_UPDATE', 'No fields to update');
      if (current.feed_kind === 'watched' && (patch.path !== undefined || patch.format !== undefined)) {
        await checkedWatch('watched', patch.path ?? current.path ?? undefined, patch.format ?? current.format ?? undefined);
      }
      const manualPatch = current.feed_kind === 'manual' ? { ...patch, path: undefined } : patch;
      const updated = await uniqueName(repo.updateList(id, manualPatch));
      if (!updated) throw notFound('IndicatorList');
      log.info({ list: updated.name, by: actor.username }, 'indicator list updated');
      await changed();
      if (updated.feed_kind === 'watched') deps.onWatchChange?.();
      return toApi(updated);
    },

    async remove(id: string, actor: Actor): Promise<{ deleted: true }> {
      const list = await find(id);
      if (!(await repo.removeList(id))) throw notFound('IndicatorList');
      log.info({ list: list.name, by: actor.username }, 'indicator list deleted');
      await changed();
      if (list.feed_kind === 'watched') deps.onWatchChange?.();
      return { deleted: true };
    },

    async indicators(id: string, query: { page: number; per_page: number; q?: string | undefined; type?: Indicator['type'] | undefined }): Promise<Page<Indicator>> {
      await find(id);
      const { items, total } = await repo.page(id, { q: query.q, type: query.type, offset: (query.page - 1) * query.per_page, limit: query.per_page });
      return { items, total, page: query.page, per_page: query.per_page, pages: Math.ceil(total / query.per_page) };
    },

    async addIndicator(id: string, body: IndicatorCreate, actor: Actor): Promise<Indicator> {
      const list = await find(id);
      const n = normalizeIndicator(body.value, body.type);
      if (!n.ok) throw new AppError('VALIDATION_FAILED', 'Validation failed', { details: [{ field: 'value', message: n.message, type: 'value_error' }] });
      const expiresMs = body.expires_at === undefined ? null : Date.parse(body.expires_at);
      const row = { type: n.type, value: n.value, source: body.source ?? (list.source || null), confidence: body.confidence ?? list.default_confidence, expiresMs };
      await repo.upsertIndicators(id, [row], new Date(clock()));
      await repo.recordImport(id, null);
      log.info({ list: list.name, type: n.type, by: actor.username }, 'indicator added');
      await changed({ listId: id, type: n.type, value: n.value, added: { source: row.source, confidence: row.confidence, expiresMs } });
      return (await repo.findIndicator(id, n.type, n.value))!;
    },

    async removeIndicator(id: string, indicatorId: string, actor: Actor): Promise<{ deleted: true }> {
      const list = await find(id);
      const removed = await repo.removeIndicator(id, indicatorId);
      if (!removed) throw notFound('Indicator');
      await repo.recordImport(id, null);
      log.info({ list: list.name, by: actor.username }, 'indicator removed');
      await changed({ listId: id, type: removed.type, value: removed.value });
      return { deleted: true };
    },

    /** An uploaded file (the raw body). */
    async upload(id: string, format: IntelFormat, body: string, opts: ImportOptions): Promise<ImportStats> {
      return importTexts(id, format, [body], opts);
    },

    /** Deletes indicators expired more than `keepMs` ago; announces when some went. */
    async pruneExpired(keepMs: number): Promise<number> {
      const n = await repo.pruneExpired(new Date(clock() - keepMs));
      if (n > 0) {
        log.info({ pruned: n }, 'expired threat-intel indicators pruned');
        await changed();
      }
      return n;
    },
  };
}
export type IntelService = ReturnType<typeof createIntelService>;
