// Watched threat-intel lists: each enabled list of kind `watched` is re-imported (replacing
// its indicators) when the files at its path change. fs.watch gives the prompt signal; a
// poll of sizes and modification times every INTEL_WATCH_POLL_SECONDS is the fallback
// (network filesystems, editors that replace files, missed events). Changes are debounced,
// one import runs at a time, and a file older than the list's last import is not re-read.
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { IntelFormat } from '@siem/contracts';
import type { IntelRepo } from '../store/intel-repo.ts';
import { listFeedFiles, readFeedFiles, resolveWatchPath, signatureOf } from './intel-files.ts';
import type { IntelService } from './intel.ts';

/** Quiet time after a change notice before the files are read (writers finish). */
const DEBOUNCE_MS = 500;

export interface IntelWatchDeps {
  repo: IntelRepo;
  intel: Pick<IntelService, 'importTexts'>;
  log: Logger;
  root: string | undefined;
  pollMs: number;
  maxFiles: number;
  maxBytes: number;
}

interface Watched {
  listId: string;
  path: string;
  format: IntelFormat;
  signature: string | null;
  watcher: fs.FSWatcher | null;
  debounce: NodeJS.Timeout | null;
}

export function createIntelWatch(deps: IntelWatchDeps) {
  const { repo, log } = deps;
  const watched = new Map<string, Watched>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  /** One pass at a time: syncs and checks are chained. */
  let chain: Promise<void> = Promise.resolve();
  const serial = (fn: () => Promise<void>): Promise<void> => (chain = chain.then(fn).catch((err: unknown) => log.error({ err }, 'threat-intel watch pass failed')));

  function unwatch(w: Watched): void {
    w.watcher?.close();
    if (w.debounce) clearTimeout(w.debounce);
    watched.delete(w.listId);
  }

  async function check(w: Watched): Promise<void> {
    let real: string;
    try {
      real = await resolveWatchPath(deps.root, w.path);
    } catch (err) {
      if (w.signature !== 'missing') log.warn({ list: w.listId, path: w.path, reason: (err as Error).message }, 'watched threat-intel path unusable');
      w.signature = 'missing';
      return;
    }
    const files = await listFeedFiles(real, w.format, deps.maxFiles);
    const signature = signatureOf(files);
    if (signature === w.signature) return;
    const list = await repo.findList(w.listId);
    if (!list) return;
    const lastAt = list.last_import ? Date.parse(list.last_import.at) : 0;
    // First look after a start: files no newer than the last import were read already.
    if (w.signature === null && files.length > 0 && files.every((f) => f.mtimeMs < lastAt)) {
      w.signature = signature;
      return;
    }
    w.signature = signature;
    if (files.length === 0) return;
    try {
      const texts = await readFeedFiles(files, deps.maxBytes);
      await deps.intel.importTexts(w.listId, w.format, texts, { replace: true });
    } catch (err) {
      log.warn({ list: list.name, path: w.path, reason: (err as Error).message }, 'watched threat-intel import failed');
    }
  }

  function startWatcher(w: Watched): void {
    resolveWatchPath(deps.root, w.path)
      .then((real) => {
        if (!running || watched.get(w.listId) !== w) return;
        try {
          w.watcher = fs.watch(real, { persistent: false }, () => {
            if (w.debounce) clearTimeout(w.debounce);
            w.debounce = setTimeout(() => void serial(() => check(w)), DEBOUNCE_MS);
            w.debounce.unref();
          });
          w.watcher.on('error', () => {
            w.watcher?.close();
            w.watcher = null; // the poll carries on
          });
        } catch {
          w.watcher = null;
        }
      })
      .catch(() => {});
  }

  /** Brings the set of watched paths in line with the stored lists, then checks each. */
  async function sync(): Promise<void> {
    const lists = (await repo.lists()).filter((l) => l.enabled && l.feed_kind === 'watched' && l.path && l.format);
    const wanted = new Map(lists.map((l) => [l.id, l]));
    for (const w of [...watched.values()]) {
      const l = wanted.get(w.listId);
      if (!l || l.path !== w.path || l.format !== w.format) unwatch(w);
    }
    for (const l of lists) {
      if (watched.has(l.id)) continue;
      const w: Watched = { listId: l.id, path: l.path!, format: l.format!, signature: null, watcher: null, debounce: null };
      watched.set(l.id, w);
      startWatcher(w);
    }
    for (const w of watched.values()) await check(w);
  }

  return {
    /** Re-reads the lists (one changed) and checks their paths. */
    refresh: (): Promise<void> => serial(sync),

    start(): void {
      if (running) return;
      running = true;
      void serial(sync);
      timer = setInterval(() => void serial(sync), deps.pollMs);
      timer.unref();
    },

    async stop(): Promise<void> {
      running = false;
      if (timer) clearInterval(timer);
      timer = null;
      for (const w of [...watched.values()]) unwatch(w);
      await chain;
    },
  };
}
export type IntelWatch = ReturnType<typeof createIntelWatch>;
