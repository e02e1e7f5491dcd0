// /v1/cases: cases grouping alerts and events, their comments, observables and timeline;
// PUT /v1/alerts/{id}/assignee; /v1/assignees (the pickers). Open to every role: triage is
// an analyst's work, and every change is recorded with who made it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AlertAssigneeUpdateSchema, AlertSchema, AssigneeQuerySchema, AssigneeSchema, CaseAlertsLinkSchema, CaseCommentCreateSchema,
  CaseCommentSchema, CaseCreateSchema, CaseDetailSchema, CaseEventsLinkSchema, CaseLinkResultSchema, CaseObservableCreateSchema,
  CaseObservableSchema, CaseObservablesAddedSchema, CaseObservablesFromAlertSchema, CaseSchema, CaseTimelineEntrySchema,
  CaseUpdateSchema, DeletedSchema, PageSchema, caseListQuery, paginationQuery,
} from '@siem/contracts';
import type { CaseService } from '../../services/cases.ts';
import type { Config } from '../../config.ts';

export function caseRoutes(app: FastifyInstance, deps: { cases: CaseService; config: Config }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { cases, config } = deps;
  const tags = ['cases'];
  const access = { access: 'user' } as const;
  const params = z.object({ case_id: z.string() });
  const pages = { perPage: config.DEFAULT_PAGE_SIZE, maxPerPage: config.MAX_PAGE_SIZE };

  r.get('/v1/cases', {
    config: access,
    schema: { tags, summary: 'List cases, newest first (filters: status, severity, assignee, mentioned, q, alert_id)', querystring: caseListQuery(pages), response: { 200: PageSchema(CaseSchema) } },
    handler: async (req) => cases.list(req.query, req.user!),
  });

  r.post('/v1/cases', {
    config: access,
    schema: { tags, summary: 'Create a case, optionally from alerts', body: CaseCreateSchema, response: { 201: CaseSchema } },
    handler: async (req, reply) => reply.code(201).send(await cases.create(req.body, req.user!)),
  });

  r.get('/v1/cases/:case_id', {
    config: access,
    schema: { tags, summary: 'A case with its alerts, events, comments and observables', params, response: { 200: CaseDetailSchema } },
    handler: async (req) => cases.get(req.params.case_id),
  });

  r.patch('/v1/cases/:case_id', {
    config: access,
    schema: { tags, summary: 'Change title, description, severity, status, resolution or assignee', params, body: CaseUpdateSchema, response: { 200: CaseSchema } },
    handler: async (req) => cases.update(req.params.case_id, req.body, req.user!),
  });

  r.get('/v1/cases/:case_id/timeline', {
    config: access,
    schema: { tags, summary: 'Every change of the case, oldest first', params, querystring: z.object(paginationQuery({ perPage: 200, maxPerPage: 1000 })), response: { 200: PageSchema(CaseTimelineEntrySchema) } },
    handler: async (req) => cases.timeline(req.params.case_id, req.query),
  });

  r.post('/v1/cases/:case_id/comments', {
    config: access,
    schema: { tags, summary: 'Add a comment; @username mentions of active accounts are recorded', params, body: CaseCommentCreateSchema, response: { 201: CaseCommentSchema } },
    handler: async (req, reply) => reply.code(201).send(await cases.addComment(req.params.case_id, req.body, req.user!)),
  });

  r.post('/v1/cases/:case_id/alerts', {
    config: access,
    schema: { tags, summary: 'Link alerts to the case', params, body: CaseAlertsLinkSchema, response: { 200: CaseLinkResultSchema } },
    handler: async (req) => cases.linkAlerts(req.params.case_id, req.body.alert_ids, req.user!),
  });

  r.delete('/v1/cases/:case_id/alerts/:alert_id', {
    config: access,
    schema: { tags, summary: 'Unlink an alert from the case', params: z.object({ case_id: z.string(), alert_id: z.string() }), response: { 200: DeletedSchema } },
    handler: async (req) => cases.unlinkAlert(req.params.case_id, req.params.alert_id, req.user!),
  });

  r.post('/v1/cases/:case_id/events', {
    config: access,
    schema: { tags, summary: 'Link log events to the case', params, body: CaseEventsLinkSchema, response: { 200: CaseLinkResultSchema } },
    handler: async (req) => cases.linkEvents(req.params.case_id, req.body.event_ids, req.user!),
  });

  r.delete('/v1/cases/:case_id/events/:event_id', {
    config: access,
    schema: { tags, summary: 'Unlink a log event from the case', params: z.object({ case_id: z.string(), event_id: z.string() }), response: { 200: DeletedSchema } },
    handler: async (req) => cases.unlinkEvent(req.params.case_id, req.params.event_id, req.user!),
  });

  r.post('/v1/cases/:case_id/observables', {
    config: access,
    schema: { tags, summary: 'Add an observable (409 when the case has it)', params, body: CaseObservableCreateSchema, response: { 201: CaseObservableSchema } },
    handler: async (req, reply) => reply.code(201).send(await cases.addObservable(req.params.case_id, req.body, req.user!)),
  });

  r.post('/v1/cases/:case_id/observables/from-alert', {
    config: access,
    schema: { tags, summary: "Add the observables of an alert's matched events", params, body: CaseObservablesFromAlertSchema, response: { 200: CaseObservablesAddedSchema } },
    handler: async (req) => cases.observablesFromAlert(req.params.case_id, req.body.alert_id, req.user!),
  });

  r.delete('/v1/cases/:case_id/observables/:observable_id', {
    config: access,
    schema: { tags, summary: 'Remove an observable', params: z.object({ case_id: z.string(), observable_id: z.string() }), response: { 200: DeletedSchema } },
    handler: async (req) => cases.removeObservable(req.params.case_id, req.params.observable_id, req.user!),
  });

  r.put('/v1/alerts/:alert_id/assignee', {
    config: access,
    schema: { tags: ['alerts'], summary: 'Assign the alert to an active user (`me` allowed), or clear with null', params: z.object({ alert_id: z.string() }), body: AlertAssigneeUpdateSchema, response: { 200: AlertSchema } },
    handler: async (req) => cases.assignAlert(req.params.alert_id, req.body, req.user!),
  });

  r.get('/v1/assignees', {
    config: access,
    schema: { tags, summary: 'Active accounts whose username starts with q (at most 20): assignee and mention pickers', querystring: AssigneeQuerySchema, response: { 200: z.array(AssigneeSchema) } },
    handler: async (req) => cases.assignees(req.query.q),
  });
}
