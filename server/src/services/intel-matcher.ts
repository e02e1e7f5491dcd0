// The threat-intel matcher of this process: an indicator index built from the store at start
// and rebuilt (off the ingest path, then swapped in whole) when the lists change, whether in
// this process, another one (control message `intel_changed`) or unseen (the version row is
// polled every INTEL_RELOAD_SECONDS). The enrichment step tags matching events; lookups serve
// the API and other services (an address's indicator hits).
import type { IndicatorType, IntelMatchResult, IntelStatus, ThreatMatch } from '@siem/contracts';
import { THREAT_MATCHES_FIELD, THREAT_TAG, TAGS_FIELD, INTEL_MATCH_LABEL_FIELD } from '@siem/contracts';
import type { Logger } from 'pino';
import { eventCandidates } from '../engine/intel/event-candidates.ts';
import { IndicatorIndex, type Candidate } from '../engine/intel/indicator-index.ts';
import { canonicalDomain, canonicalIp, canonicalUrl, inferType, normalizeIndicator, urlHost } from '../engine/intel/normalize.ts';
import type { NewEvent } from '../store/events-repo.ts';
import type { IntelRepo } from '../store/intel-repo.ts';
import type { ControlChannel } from './control.ts';
import type { EventEnricher } from './enrichment.ts';

/** One indicator added (or refreshed) or removed in one list. */
export interface IndicatorChange {
  listId: string;
  type: IndicatorType;
  value: string;
  /** Absent for a removal. */
  added?: { source: string | null; confidence: number; expiresMs: number | null };
}

/** Matches kept on one event (the alert names the first; the rest are context). */
export const MAX_MATCHES_PER_EVENT = 10;
/** Rows read per page while building the index. */
const LOAD_PAGE = 50_000;

export interface IntelMatcherDeps {
  repo: IntelRepo;
  log: Logger;
  /** Most indicators held in memory; the rest are left out (logged). */
  maxLoaded: number;
  reloadMs: number;
  clock?: () => number;
}

export function createIntelMatcher(deps: IntelMatcherDeps) {
  const { repo, log } = deps;
  const clock = deps.clock ?? Date.now;
  let index = new IndicatorIndex([]);
  let version = -1;
  /** Highest version a build (done or running) has read: announcements up to it need no rebuild. */
  let target = -1;
  let builtAt: number | null = null;
  let buildMs: number | null = null;
  let building: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let offControl: (() => void) | null = null;

  async function build(): Promise<void> {
    const t0 = performance.now();
    const seen = await repo.version();
    target = Math.max(target, seen);
    const lists = (await repo.lists()).filter((l) => l.enabled);
    const position = new Map(lists.map((l, i) => [l.id, i]));
    const next = new IndicatorIndex(lists.map((l) => ({ id: l.id, name: l.name })));
    let skipped = 0;
    for (let after = 0; ; ) {
      const rows = await repo.loadPage(after, LOAD_PAGE);
      if (rows.length === 0) break;
      for (const r of rows) {
        const listIndex = position.get(r.list_id);
        if (listIndex === undefined) continue; // a list created during the build: next build
        if (next.size >= deps.maxLoaded) {
          skipped++;
          continue;
        }
        next.add({ listIndex, type: r.type, value: r.value, source: r.source, confidence: r.confidence, expiresMs: r.expires_ms ?? Number.POSITIVE_INFINITY });
      }
      after = rows[rows.length - 1]!.seq;
      if (rows.length < LOAD_PAGE) break;
    }
    index = next;
    version = seen;
    builtAt = clock();
    buildMs = Math.round(performance.now() - t0);
    if (skipped > 0) log.warn({ skipped, max: deps.maxLoaded }, 'threat-intel index is full (INTEL_MAX_LOADED): some indicators are not matched');
    log.debug({ indicators: next.size, lists: lists.length, ms: buildMs }, 'threat-intel index built');
  }

  /** Rebuilds; calls during a build coalesce into one more build after it. */
  function reload(): Promise<void> {
    if (building) {
      again = true;
      return building;
    }
    building = (async () => {
      try {
        do {
          again = false;
          await build();
        } while (again);
      } catch (err) {
        target = version; // the next poll tries again
        log.error({ err }, 'building the threat-intel index failed; the previous one stays in use');
      } finally {
        building = null;
      }
    })();
    return building;
  }

  async function poll(): Promise<void> {
    try {
      // Against the newest version a build has read, finished or running: a poll during a
      // long build must not queue a second one for the same change.
      const v = await repo.version();
      if (v !== version && !(building && v <= target)) await reload();
    } catch (err) {
      log.warn({ err }, 'reading the threat-intel version failed');
    }
  }

  function matchEvent(e: NewEvent, nowMs: number): ThreatMatch[] {
    return index.match(eventCandidates(e), nowMs, MAX_MATCHES_PER_EVENT);
  }

  const enricher: EventEnricher = {
    name: 'threat-intel',
    enrich(events: NewEvent[]): void {
      if (index.size === 0) return;
      const now = clock();
      for (const e of events) {
        const matches = matchEvent(e, now);
        if (matches.length === 0) continue;
        // A copy: the parsed fields object is never assumed to be this event's alone.
        const fields: Record<string, unknown> = { ...e.fields };
        e.fields = fields;
        fields[THREAT_MATCHES_FIELD] = matches;
        const tags = fields[TAGS_FIELD];
        if (Array.isArray(tags)) {
          if (!tags.includes(THREAT_TAG)) fields[TAGS_FIELD] = [...tags, THREAT_TAG];
        } else if (typeof tags === 'string' && tags !== '') fields[TAGS_FIELD] = tags === THREAT_TAG ? [tags] : [tags, THREAT_TAG];
        else fields[TAGS_FIELD] = [THREAT_TAG];
        // The strongest match, as one text rules can group by (the alert title names it).
        const top = matches.reduce((a, b) => ((b.confidence ?? 0) > (a.confidence ?? 0) ? b : a));
        fields[INTEL_MATCH_LABEL_FIELD] = `${top.list_name}: ${top.indicator}`;
      }
    },
  };

  /** The candidates one typed-in value stands for (a URL also checks its host). */
  function candidatesOf(value: string): { type: IntelMatchResult['type']; candidates: Candidate[] } {
    const type = inferType(value);
    const field = 'value';
    const out: Candidate[] = [];
    if (type === 'ip') out.push({ kind: 'ip', value: canonicalIp(value)!, field });
    else if (type === 'domain') out.push({ kind: 'domain', value: canonicalDomain(value)!, field });
    else if (type === 'url') {
      const u = canonicalUrl(value)!;
      out.push({ kind: 'url', value: u, field });
      const host = urlHost(u);
      const d = host === null ? null : canonicalDomain(host);
      if (d !== null) out.push({ kind: 'domain', value: d, field });
      else if (host !== null && canonicalIp(host)) out.push({ kind: 'ip', value: canonicalIp(host)!, field });
    } else if (type === 'md5' || type === 'sha1' || type === 'sha256') {
      const n = normalizeIndicator(value, type);
      if (n.ok) out.push({ kind: type, value: n.value, field });
    }
    return { type, candidates: out };
  }

  /**
   * Applies one stored change of a few indicators to the index in place, when it is the
   * change right after the version the index reflects; anything else rebuilds. Keeps a
   * single added or removed indicator from costing a rebuild of a million.
   */
  async function applyChange(changeVersion: number, change: IndicatorChange): Promise<void> {
    const listIndex = index.listIndexOf(change.listId);
    const simple = !building && changeVersion === version + 1 && listIndex >= 0 && change.type !== 'cidr';
    if (!simple) return reload();
    index.retire(listIndex, change.type as Exclude<IndicatorType, 'cidr'>, change.value);
    if (change.added) {
      index.add({ listIndex, type: change.type, value: change.value, source: change.added.source, confidence: change.added.confidence, expiresMs: change.added.expiresMs ?? Number.POSITIVE_INFINITY });
    }
    version = changeVersion;
    target = Math.max(target, changeVersion);
  }

  return {
    enricher,
    reload,
    applyChange,

    /** Which loaded indicators a value hits (type inferred; a network is not looked up). */
    lookup(value: string): IntelMatchResult {
      const { type, candidates } = candidatesOf(value.trim());
      return { value, type, matches: index.match(candidates, clock(), 100) };
    },

    /** The indicator hits of one address (another service's enrichment view); [] for non-addresses. */
    hitsForAddress(ip: string): ThreatMatch[] {
      const c = canonicalIp(ip);
      if (c === null) return [];
      return index.match([{ kind: 'ip', value: c, field: 'ip' }], clock(), 100);
    },

    /** Matches of one event, without changing it. */
    matchEvent: (e: NewEvent) => matchEvent(e, clock()),

    status(): IntelStatus {
      return {
        indicators: index.size,
        lists: index.lists.length,
        built_at: builtAt === null ? null : new Date(builtAt).toISOString(),
        build_ms: buildMs,
        version: Math.max(version, 0),
      };
    },

    /** Builds the index (waits for it), then follows changes. */
    async start(): Promise<void> {
      await reload();
      timer = setInterval(() => void poll(), deps.reloadMs);
      timer.unref();
    },

    /** Rebuilds when another process announces a change (the version poll is the safety net). */
    listen(control: Pick<ControlChannel, 'on'>): void {
      offControl?.();
      offControl = control.on('intel_changed', (m) => {
        if (m.version !== undefined && m.version <= target) return;
        void reload();
      });
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      offControl?.();
      offControl = null;
      await building;
    },
  };
}
export type IntelMatcher = ReturnType<typeof createIntelMatcher>;
