// Cases: create (from alerts or empty), read with everything linked, filtered pages, field
// changes with their timeline entries, and alert assignment. Every change runs in one
// transaction that locks the case (or the alert) first, so concurrent analysts never lose
// a change or its timeline entry.
import type {
  Alert, AlertAssigneeUpdate, AlertCaseRef, Case, CaseCreate, CaseDetail, CaseListQuery, CaseTimelineEntry, CaseUpdate, Page,
} from '@siem/contracts';
import { CASE_LIMITS } from '@siem/contracts';
import { AppError, notFound, validationError } from '../errors.ts';
import { isObjectId, newObjectId } from '../lib/object-id.ts';
import { assignAlert } from '../store/alert-assignment-repo.ts';
import type { AlertsRepo } from '../store/alerts-repo.ts';
import type { CaseItemsRepo } from '../store/case-items-repo.ts';
import type { CasePatch, CaseRecord, CasesRepo, TimelineInput } from '../store/cases-repo.ts';
import type { Db } from '../store/db.ts';
import type { EventsRepo } from '../store/events-repo.ts';
import type { Actor } from './case-support.ts';
import { caseIdOrThrow, excerpt, highestSeverity, requireKnown, resolveAssignee } from './case-support.ts';
import { createCaseItemService } from './case-items.ts';
import { toPage } from './logs.ts';

export interface CaseServiceDeps {
  db: Db;
  cases: CasesRepo;
  items: CaseItemsRepo;
  alerts: AlertsRepo;
  events: EventsRepo;
  /** Byte budget of the linked events a case detail returns. */
  eventListMaxBytes: number;
  clock?: () => number;
}

/** The case fields a PATCH sets to a text value (or null). */
type TextField = 'title' | 'description' | 'severity' | 'status' | 'resolution' | 'resolution_note';

const toCase = ({ assignee_id: _omit, ...c }: CaseRecord): Case => c;
const PICKER_MAX = 20;

export function createCaseService(deps: CaseServiceDeps) {
  const { db, cases, items, alerts, events } = deps;
  const clock = deps.clock ?? Date.now;

  /** Filter names (`me`, a username) to an account id; undefined when no filter, null when nobody matches. */
  async function accountFilter(name: string | undefined, actor: Actor): Promise<string | null | undefined> {
    if (name === undefined) return undefined;
    if (name === 'me') return actor.id;
    return (await cases.activeUser(name))?.id ?? null;
  }

  return {
    ...createCaseItemService(deps),

    async list(q: CaseListQuery, actor: Actor): Promise<Page<Case>> {
      const assigneeId = await accountFilter(q.assignee, actor);
      const mentionedId = await accountFilter(q.mentioned, actor);
      if (assigneeId === null || mentionedId === null) return toPage([], 0, q);
      const { items: rows, total } = await cases.list(
        { status: q.status, severity: q.severity, assigneeId, mentionedId, text: q.q, alertId: q.alert_id },
        (q.page - 1) * q.per_page,
        q.per_page,
      );
      return toPage(rows.map(toCase), total, q);
    },

    async create(body: CaseCreate, actor: Actor): Promise<Case> {
      const alertIds = [...new Set(body.alert_ids ?? [])];
      const linked = await alerts.findByIds(alertIds);
      requireKnown(alertIds, new Set(linked.map((a) => a.id)), 'alert_ids', 'Alert');
      const now = clock();
      const id = newObjectId(now);
      await db.transaction(async (tx) => {
        const assignee = body.assignee == null ? null : await resolveAssignee(cases, body.assignee, actor, 'assignee', tx);
        const severity = body.severity ?? highestSeverity(linked.map((a) => a.severity), 'medium');
        await cases.insert(tx, { id, title: body.title, description: body.description ?? '', severity, assignee_id: assignee?.id ?? null, created_by: actor.username, nowMs: now });
        const entries: TimelineInput[] = [{ kind: 'created', to: body.title }];
        if (assignee) entries.push({ kind: 'field_changed', field: 'assignee', from: null, to: assignee.username });
        const added = await items.linkAlerts(tx, id, alertIds, actor.username, now);
        for (const alertId of added) entries.push({ kind: 'alert_linked', ref: alertId });
        await cases.addTimeline(tx, id, entries, actor.username, now);
      });
      return toCase((await cases.findById(id))!);
    },

    async get(id: string): Promise<CaseDetail> {
      const found = await cases.findById(caseIdOrThrow(id));
      if (!found) throw notFound('Case');
      const [linkedAlerts, eventIds, comments, observables] = await Promise.all([
        items.alerts(found.id, CASE_LIMITS.alertsPerCase),
        items.eventIds(found.id),
        items.comments(found.id),
        items.observables(found.id),
      ]);
      const stored = await events.findByIdsWithin(eventIds, deps.eventListMaxBytes);
      return { case: toCase(found), alerts: linkedAlerts, events: stored.items, event_ids: eventIds, comments, observables };
    },

    async update(id: string, body: CaseUpdate, actor: Actor): Promise<Case> {
      caseIdOrThrow(id);
      if (Object.values(body).every((v) => v === undefined)) throw new AppError('VALIDATION_NOTHING_TO_UPDATE', 'No fields to update');
      const now = clock();
      await db.transaction(async (tx) => {
        const cur = await cases.lock(tx, id);
        if (!cur) throw notFound('Case');
        const patch: CasePatch = {};
        const entries: TimelineInput[] = [];
        /** Records a field that really changes; long texts are cut in the timeline. */
        const change = (field: TextField, next: string | null | undefined, long = false) => {
          if (next === undefined || next === cur[field]) return;
          (patch as Record<TextField, string | null>)[field] = next;
          entries.push({ kind: 'field_changed', field, from: long ? excerpt(cur[field]) : cur[field], to: long ? excerpt(next) : next });
        };
        change('title', body.title);
        change('description', body.description, true);
        change('severity', body.severity);
        if (body.assignee !== undefined) {
          const next = body.assignee === null ? null : await resolveAssignee(cases, body.assignee, actor, 'assignee', tx);
          if ((next?.id ?? null) !== cur.assignee_id) {
            patch.assignee_id = next?.id ?? null;
            entries.push({ kind: 'field_changed', field: 'assignee', from: cur.assignee, to: next?.username ?? null });
          }
        }
        const status = body.status ?? cur.status;
        if (status === 'closed') {
          const resolution = body.resolution ?? cur.resolution;
          if (!resolution) throw validationError([{ field: 'resolution', message: 'A closed case needs a resolution', type: 'missing' }]);
          change('status', status);
          change('resolution', resolution);
          change('resolution_note', body.resolution_note, true);
          if (cur.status !== 'closed') patch.closed_at = new Date(now).toISOString();
        } else {
          if (body.resolution !== undefined || (body.resolution_note !== undefined && body.resolution_note !== null)) {
            throw validationError([{ field: body.resolution !== undefined ? 'resolution' : 'resolution_note', message: 'Only a closed case has a resolution', type: 'value_error' }]);
          }
          change('status', status);
          // Reopening clears the resolution, its note and the closing time.
          change('resolution', null);
          change('resolution_note', null, true);
          if (cur.closed_at !== null) patch.closed_at = null;
        }
        if (entries.length === 0) return;
        await cases.update(tx, id, patch, now);
        await cases.addTimeline(tx, id, entries, actor.username, now);
      });
      return toCase((await cases.findById(id))!);
    },

    async timeline(id: string, q: { page: number; per_page: number }): Promise<Page<CaseTimelineEntry>> {
      const found = await cases.findById(caseIdOrThrow(id));
      if (!found) throw notFound('Case');
      const { items: rows, total } = await cases.timeline(found.id, (q.page - 1) * q.per_page, q.per_page);
      return toPage(rows as CaseTimelineEntry[], total, q);
    },

    /** Assigns the alert to an active account (`me` allowed), or clears it with null. */
    async assignAlert(alertId: string, body: AlertAssigneeUpdate, actor: Actor): Promise<Alert> {
      if (!isObjectId(alertId) || !(await alerts.findById(alertId))) throw notFound('Alert');
      const updated = await db.transaction(async (tx) => {
        const assignee = body.assignee === null ? null : await resolveAssignee(cases, body.assignee, actor, 'assignee', tx);
        return assignAlert(tx, alertId, { assignee, by: actor.username, nowMs: clock() });
      });
      if (!updated) throw notFound('Alert');
      return updated;
    },

    /** The cases an alert belongs to (alert detail). */
    casesOfAlert: (alertId: string): Promise<AlertCaseRef[]> => cases.ofAlert(alertId),

    /** Active accounts whose name starts with `prefix`: the assignee and mention pickers. */
    assignees: (prefix: string) => cases.searchUsers(prefix, PICKER_MAX),

    /** An active account's id by username (alert list filter). */
    accountId: async (name: string, actor: Actor) => accountFilter(name, actor),
  };
}
export type CaseService = ReturnType<typeof createCaseService>;
