// What a case holds: comments (with @mentions of existing accounts), linked alerts and
// log events, observables (typed by hand or taken from an alert's matched events). Each
// change locks the case, checks the case's bounds, and writes its timeline entry.
import { isIP } from 'node:net';
import type {
  CaseComment, CaseCommentCreate, CaseLinkResult, CaseObservable, CaseObservableCreate, LogEvent, ObservableType,
} from '@siem/contracts';
import { CASE_LIMITS, parseMentions } from '@siem/contracts';
import { AppError, notFound, validationError } from '../errors.ts';
import { isObjectId, newObjectId } from '../lib/object-id.ts';
import type { NewObservable } from '../store/case-items-repo.ts';
import type { CaseRecord } from '../store/cases-repo.ts';
import type { Queryable } from '../store/db.ts';
import type { Actor } from './case-support.ts';
import { caseIdOrThrow, excerpt, limitReached, requireKnown } from './case-support.ts';
import type { CaseServiceDeps } from './cases.ts';

/** Normalized fields an observable of each type is taken from, besides the event's own columns. */
const NORMALIZED_SOURCES: [ObservableType, string[]][] = [
  ['domain', ['domain', 'dns_query', 'query', 'server_name', 'sni']],
  ['url', ['url']],
  ['hash', ['sha256', 'sha1', 'md5', 'hash']],
];

/** Canonical form of a value: trimmed; domains and hashes lowercased; an ip must parse. */
export function normalizeObservable(type: ObservableType, value: string): string {
  const v = value.trim();
  if (type === 'ip') {
    if (isIP(v) === 0) throw validationError([{ field: 'value', message: 'Not an IPv4 or IPv6 address', type: 'value_error' }]);
    return v.toLowerCase();
  }
  if (type === 'domain' || type === 'hash') return v.toLowerCase();
  return v;
}

/** The observables one event carries (addresses, host, user, and a few normalized fields). */
export function observablesOf(e: LogEvent): { type: ObservableType; value: string }[] {
  const out: { type: ObservableType; value: string }[] = [];
  const push = (type: ObservableType, value: unknown) => {
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (v === '' || v.length > CASE_LIMITS.observableValueMax) return;
    if (type === 'ip' && isIP(v) === 0) return;
    out.push({ type, value: type === 'domain' || type === 'hash' || type === 'ip' ? v.toLowerCase() : v });
  };
  push('ip', e.source_ip);
  push('ip', e.dest_ip);
  push('host', e.hostname);
  push('user', e.username);
  const normalized = (e.normalized ?? {}) as Record<string, unknown>;
  for (const [type, keys] of NORMALIZED_SOURCES) for (const k of keys) push(type, normalized[k]);
  return out;
}

export function createCaseItemService(deps: CaseServiceDeps) {
  const { db, cases, items, alerts, events } = deps;
  const clock = deps.clock ?? Date.now;

  /** Runs `fn` in a transaction holding the case's row lock; 404 when there is no such case. */
  function withCase<T>(id: string, fn: (tx: Queryable, c: CaseRecord, now: number) => Promise<T>): Promise<T> {
    caseIdOrThrow(id);
    return db.transaction(async (tx) => {
      const c = await cases.lock(tx, id);
      if (!c) throw notFound('Case');
      const now = clock();
      const result = await fn(tx, c, now);
      await cases.touch(tx, id, now);
      return result;
    });
  }

  return {
    async addComment(id: string, body: CaseCommentCreate, actor: Actor): Promise<CaseComment> {
      return withCase(id, async (tx, c, now) => {
        if ((await items.counts(tx, c.id)).comments >= CASE_LIMITS.commentsPerCase) throw limitReached('comments', CASE_LIMITS.commentsPerCase);
        const mentioned = await cases.activeUsers(parseMentions(body.body), tx);
        const commentId = newObjectId(now);
        await items.addComment(tx, { id: commentId, caseId: c.id, author: actor.username, body: body.body, mentionIds: mentioned.map((u) => u.id), nowMs: now });
        await cases.addTimeline(tx, c.id, [{ kind: 'comment_added', ref: commentId, to: excerpt(body.body) }], actor.username, now);
        return { id: commentId, author: actor.username, body: body.body, mentions: mentioned.map((u) => u.username), created_at: new Date(now).toISOString() };
      });
    },

    async linkAlerts(id: string, alertIds: string[], actor: Actor): Promise<CaseLinkResult> {
      caseIdOrThrow(id);
      const unique = [...new Set(alertIds)];
      const found = await alerts.findByIds(unique);
      requireKnown(unique, new Set(found.map((a) => a.id)), 'alert_ids', 'Alert');
      return withCase(id, async (tx, c, now) => {
        const count = (await items.counts(tx, c.id)).alerts;
        if (count + unique.length > CASE_LIMITS.alertsPerCase) throw limitReached('alerts', CASE_LIMITS.alertsPerCase);
        const linked = await items.linkAlerts(tx, c.id, unique, actor.username, now);
        await cases.addTimeline(tx, c.id, linked.map((ref) => ({ kind: 'alert_linked', ref })), actor.username, now);
        return { linked };
      });
    },

    async unlinkAlert(id: string, alertId: string, actor: Actor): Promise<{ deleted: true }> {
      return withCase(id, async (tx, c, now) => {
        if (!isObjectId(alertId) || !(await items.unlinkAlert(tx, c.id, alertId))) throw notFound('Alert');
        await cases.addTimeline(tx, c.id, [{ kind: 'alert_unlinked', ref: alertId }], actor.username, now);
        return { deleted: true as const };
      });
    },

    async linkEvents(id: string, eventIds: string[], actor: Actor): Promise<CaseLinkResult> {
      caseIdOrThrow(id);
      const unique = [...new Set(eventIds)];
      const found = await events.findByIds(unique);
      requireKnown(unique, new Set(found.map((e) => e.id)), 'event_ids', 'LogEvent');
      return withCase(id, async (tx, c, now) => {
        const count = (await items.counts(tx, c.id)).events;
        if (count + unique.length > CASE_LIMITS.eventsPerCase) throw limitReached('events', CASE_LIMITS.eventsPerCase);
        const linked = await items.linkEvents(tx, c.id, unique, actor.username, now);
        await cases.addTimeline(tx, c.id, linked.map((ref) => ({ kind: 'event_linked', ref })), actor.username, now);
        return { linked };
      });
    },

    async unlinkEvent(id: string, eventId: string, actor: Actor): Promise<{ deleted: true }> {
      return withCase(id, async (tx, c, now) => {
        if (eventId.length > 200 || !(await items.unlinkEvent(tx, c.id, eventId))) throw notFound('LogEvent');
        await cases.addTimeline(tx, c.id, [{ kind: 'event_unlinked', ref: eventId }], actor.username, now);
        return { deleted: true as const };
      });
    },

    async addObservable(id: string, body: CaseObservableCreate, actor: Actor): Promise<CaseObservable> {
      caseIdOrThrow(id);
      const value = normalizeObservable(body.type, body.value);
      return withCase(id, async (tx, c, now) => {
        if ((await items.counts(tx, c.id)).observables >= CASE_LIMITS.observablesPerCase) throw limitReached('observables', CASE_LIMITS.observablesPerCase);
        const [added] = await items.addObservables(tx, c.id, [{ id: newObjectId(now), type: body.type, value, note: body.note ?? null, source_alert_id: null }], actor.username, now);
        if (!added) throw new AppError('CONFLICT_DUPLICATE', `The case already has the ${body.type} observable '${value}'`);
        await cases.addTimeline(tx, c.id, [{ kind: 'observable_added', ref: added.id, to: `${added.type}:${excerpt(added.value)}` }], actor.username, now);
        return added;
      });
    },

    /**
     * Adds the observables of an alert's matched events (the first CASE_LIMITS.eventsScannedPerAlert),
     * skipping those the case has; as many as the case's bound leaves room for.
     */
    async observablesFromAlert(id: string, alertId: string, actor: Actor): Promise<{ added: CaseObservable[] }> {
      caseIdOrThrow(id);
      const alert = await alerts.findById(alertId);
      if (!alert) throw validationError([{ field: 'alert_id', message: 'Alert not found', type: 'value_error' }]);
      const matched = await events.findByIds(alert.matched_event_ids.slice(-CASE_LIMITS.eventsScannedPerAlert));
      const seen = new Set<string>();
      const candidates: Omit<NewObservable, 'id'>[] = [];
      for (const e of matched) {
        for (const o of observablesOf(e)) {
          const key = `${o.type}\u0000${o.value}`;
          if (seen.has(key)) continue;
          seen.add(key);
          candidates.push({ ...o, note: `from alert: ${excerpt(alert.title)}`, source_alert_id: alert.id });
        }
      }
      return withCase(id, async (tx, c, now) => {
        const room = CASE_LIMITS.observablesPerCase - (await items.counts(tx, c.id)).observables;
        if (room <= 0 && candidates.length > 0) throw limitReached('observables', CASE_LIMITS.observablesPerCase);
        const added = await items.addObservables(tx, c.id, candidates.slice(0, room).map((o) => ({ ...o, id: newObjectId(now) })), actor.username, now);
        await cases.addTimeline(tx, c.id, added.map((o) => ({ kind: 'observable_added', ref: o.id, to: `${o.type}:${excerpt(o.value)}` })), actor.username, now);
        return { added };
      });
    },

    async removeObservable(id: string, observableId: string, actor: Actor): Promise<{ deleted: true }> {
      return withCase(id, async (tx, c, now) => {
        const removed = isObjectId(observableId) ? await items.removeObservable(tx, c.id, observableId) : null;
        if (!removed) throw notFound('Observable');
        await cases.addTimeline(tx, c.id, [{ kind: 'observable_removed', ref: removed.id, from: `${removed.type}:${excerpt(removed.value)}` }], actor.username, now);
        return { deleted: true as const };
      });
    },
  };
}
