// Cases and alert assignment through the API: every role may triage, bodies are validated
// (422 naming the field), unknown ids are 404, every change lands in the case timeline or
// the alert history, and the "my" views filter on the caller.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';
import { insertAlert } from '../helpers/cases.ts';

let sys: TestSystem;
let ana: TestUser;
let bob: TestUser;
let eve: TestUser;
before(async () => {
  sys = await startTestSystem({ RATELIMIT_DEFAULT: '' });
  ana = await createTestUser(sys.app, { username: 'ana.lyst' });
  bob = await createTestUser(sys.app, { username: 'bob', role: 'engineer' });
  eve = await createTestUser(sys.app, { username: 'eve', role: 'admin' });
});
after(async () => sys.stop());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (who: TestUser | null, method: Method, url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: who ? who.headers : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

async function ingest(event: Record<string, unknown>): Promise<string> {
  const res = await call(ana, 'POST', '/v1/logs/ingest', { source_type: 'auth', event_type: 'login_failure', ...event });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

describe('alert assignment', () => {
  it('assigns to an active user, records it in the history, filters by assignee and me, clears with null', async () => {
    const alert = await insertAlert(sys.deps.db);
    const res = await call(ana, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: 'bob' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().assignee, 'bob');
    assert.equal(res.json().status, 'new', 'the status is untouched');

    const mine = (await call(bob, 'GET', '/v1/alerts?assignee=me&status=open')).json();
    assert.deepEqual(mine.items.map((a: { id: string }) => a.id), [alert.id]);
    assert.equal((await call(ana, 'GET', '/v1/alerts?assignee=bob')).json().total, 1);
    assert.equal((await call(ana, 'GET', '/v1/alerts?assignee=me')).json().total, 0);
    assert.equal((await call(ana, 'GET', '/v1/alerts?assignee=nobody-here')).json().total, 0);

    const same = await call(bob, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: 'me' });
    assert.equal(same.json().assignee, 'bob', 'no change, no history entry');
    await call(ana, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: 'me' });
    const cleared = await call(eve, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: null });
    assert.equal(cleared.json().assignee, null);

    const history = (await call(ana, 'GET', `/v1/alerts/${alert.id}`)).json().history;
    assert.deepEqual(
      history.map((h: { kind: string; from_value: string | null; to_value: string | null; by: string | null; from: string | null; to: string }) => [h.kind, h.from_value, h.to_value, h.by, h.from, h.to]),
      [
        ['status', null, null, null, null, 'new'],
        ['assignee', null, 'bob', 'ana.lyst', 'new', 'new'],
        ['assignee', 'bob', 'ana.lyst', 'ana.lyst', 'new', 'new'],
        ['assignee', 'ana.lyst', null, 'eve', 'new', 'new'],
      ],
    );
  });

  it('refuses unknown or deactivated assignees with 422, unknown alerts with 404', async () => {
    const alert = await insertAlert(sys.deps.db);
    const unknown = await call(ana, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: 'ghost' });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().details[0].field, 'assignee');
    const gone = await createTestUser(sys.app, { username: 'gone' });
    await sys.deps.users.deactivate(eve.user.id, gone.user.id);
    assert.equal((await call(ana, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: 'gone' })).statusCode, 422);
    assert.equal((await call(ana, 'PUT', `/v1/alerts/${alert.id}/assignee`, {})).statusCode, 422, 'assignee is required (null clears)');
    assert.equal((await call(ana, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: 5 })).statusCode, 422);
    assert.equal((await call(ana, 'PUT', '/v1/alerts/000000000000000000000000/assignee', { assignee: 'bob' })).statusCode, 404);
    assert.equal((await call(ana, 'PUT', '/v1/alerts/nope/assignee', { assignee: 'bob' })).statusCode, 404);
    assert.equal((await call(null, 'PUT', `/v1/alerts/${alert.id}/assignee`, { assignee: 'bob' })).statusCode, 401);
  });
});

describe('cases', () => {
  let caseId: string;
  let alertA: string;
  let alertB: string;
  let eventId: string;

  it('creates a case from alerts: severity from the highest alert, alerts show the case', async () => {
    eventId = await ingest({ source_ip: '198.51.100.9', hostname: 'web-1', username: 'root', message: 'Failed password for root' });
    alertA = (await insertAlert(sys.deps.db, { severity: 'medium', eventIds: [eventId] })).id;
    alertB = (await insertAlert(sys.deps.db, { severity: 'critical' })).id;
    const res = await call(ana, 'POST', '/v1/cases', { title: '  Brute force on web-1 ', alert_ids: [alertA, alertB, alertA] });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json();
    caseId = c.id;
    assert.equal(c.title, 'Brute force on web-1');
    assert.equal(c.severity, 'critical');
    assert.equal(c.status, 'open');
    assert.equal(c.created_by, 'ana.lyst');
    assert.equal(c.alert_count, 2);
    assert.equal(c.assignee, null);

    const detail = (await call(bob, 'GET', `/v1/alerts/${alertA}`)).json();
    assert.deepEqual(detail.cases.map((x: { id: string }) => x.id), [caseId]);
    const listed = (await call(bob, 'GET', '/v1/alerts?per_page=200')).json().items.find((a: { id: string }) => a.id === alertA);
    assert.deepEqual(listed.case_ids, [caseId]);
  });

  it('validates bodies (422 naming the field) and answers 404 for unknown ids', async () => {
    const cases: [unknown, string][] = [
      [{}, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 't', severity: 'urgent' }, 'severity'],
      [{ title: 't', alert_ids: ['000000000000000000000000'] }, 'alert_ids.0'],
      [{ title: 't', alert_ids: ['bad'] }, 'alert_ids.0'],
      [{ title: 't', assignee: 'ghost' }, 'assignee'],
    ];
    for (const [body, field] of cases) {
      const res = await call(ana, 'POST', '/v1/cases', body);
      assert.equal(res.statusCode, 422, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().details[0].field, field, JSON.stringify(body));
    }
    for (const url of ['/v1/cases/000000000000000000000000', '/v1/cases/zzz', '/v1/cases/000000000000000000000000/timeline']) {
      const res = await call(ana, 'GET', url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().message, 'Case not found');
    }
    assert.equal((await call(ana, 'PATCH', '/v1/cases/000000000000000000000000', { title: 'x' })).statusCode, 404);
    assert.equal((await call(ana, 'POST', '/v1/cases/000000000000000000000000/comments', { body: 'x' })).statusCode, 404);
    assert.equal((await call(ana, 'DELETE', `/v1/cases/${caseId}/alerts/000000000000000000000000`)).statusCode, 404);
    assert.equal((await call(ana, 'DELETE', `/v1/cases/${caseId}/observables/000000000000000000000000`)).statusCode, 404);
    assert.equal((await call(ana, 'PATCH', `/v1/cases/${caseId}`, {})).json().code, 'VALIDATION_NOTHING_TO_UPDATE');
    assert.equal((await call(ana, 'PATCH', `/v1/cases/${caseId}`, { status: 'closed' })).json().details[0].field, 'resolution');
    assert.equal((await call(ana, 'PATCH', `/v1/cases/${caseId}`, { resolution: 'benign' })).statusCode, 422);
    assert.equal((await call(ana, 'POST', `/v1/cases/${caseId}/comments`, { body: 'x'.repeat(10_001) })).statusCode, 422);
    assert.equal((await call(ana, 'POST', `/v1/cases/${caseId}/observables`, { type: 'ip', value: 'not-an-ip' })).statusCode, 422);
    assert.equal((await call(ana, 'POST', `/v1/cases/${caseId}/observables`, { type: 'mac', value: 'x' })).statusCode, 422);
    assert.equal((await call(ana, 'POST', `/v1/cases/${caseId}/events`, { event_ids: ['000000000000000000000000'] })).statusCode, 422);
    assert.equal((await call(ana, 'GET', '/v1/cases?per_page=0')).statusCode, 422);
    assert.equal((await call(null, 'GET', '/v1/cases')).statusCode, 401);
  });

  it('changes fields, comments with mentions, links events, adds observables, all in the timeline', async () => {
    const patched = await call(bob, 'PATCH', `/v1/cases/${caseId}`, { status: 'in_progress', assignee: 'ana.lyst', severity: 'high' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().assignee, 'ana.lyst');

    const comment = await call(ana, 'POST', `/v1/cases/${caseId}/comments`, { body: '@bob please look, cc @EVE and @ghost.' });
    assert.equal(comment.statusCode, 201, comment.body);
    assert.deepEqual(comment.json().mentions, ['bob', 'eve']);

    assert.deepEqual((await call(ana, 'POST', `/v1/cases/${caseId}/events`, { event_ids: [eventId] })).json(), { linked: [eventId] });
    assert.deepEqual((await call(ana, 'POST', `/v1/cases/${caseId}/events`, { event_ids: [eventId] })).json(), { linked: [] }, 'linking twice adds nothing');

    const obs = await call(ana, 'POST', `/v1/cases/${caseId}/observables`, { type: 'domain', value: 'Evil.Example.COM', note: 'C2' });
    assert.equal(obs.statusCode, 201, obs.body);
    assert.equal(obs.json().value, 'evil.example.com');
    assert.equal((await call(ana, 'POST', `/v1/cases/${caseId}/observables`, { type: 'domain', value: 'evil.example.com' })).statusCode, 409);
    const fromAlert = await call(ana, 'POST', `/v1/cases/${caseId}/observables/from-alert`, { alert_id: alertA });
    assert.equal(fromAlert.statusCode, 200, fromAlert.body);
    assert.deepEqual(fromAlert.json().added.map((o: { type: string; value: string }) => `${o.type}:${o.value}`).sort(), ['host:web-1', 'ip:198.51.100.9', 'user:root']);
    assert.deepEqual((await call(ana, 'POST', `/v1/cases/${caseId}/observables/from-alert`, { alert_id: alertA })).json().added, []);
    const removed = await call(eve, 'DELETE', `/v1/cases/${caseId}/observables/${obs.json().id}`);
    assert.deepEqual(removed.json(), { deleted: true });
    assert.deepEqual((await call(ana, 'DELETE', `/v1/cases/${caseId}/alerts/${alertB}`)).json(), { deleted: true });
    const closed = await call(ana, 'PATCH', `/v1/cases/${caseId}`, { status: 'closed', resolution: 'true_positive', resolution_note: 'contained' });
    assert.equal(closed.json().status, 'closed');
    assert.ok(closed.json().closed_at);
    const reopened = await call(ana, 'PATCH', `/v1/cases/${caseId}`, { status: 'open' });
    assert.equal(reopened.json().resolution, null);
    assert.equal(reopened.json().closed_at, null);

    const timeline = (await call(ana, 'GET', `/v1/cases/${caseId}/timeline`)).json();
    const shown = timeline.items.map((e: { kind: string; field: string | null; from: string | null; to: string | null; by: string }) =>
      [e.kind, e.field, e.from, e.to, e.by].join('|'));
    assert.deepEqual(shown, [
      'created|||Brute force on web-1|ana.lyst',
      'alert_linked||||ana.lyst',
      'alert_linked||||ana.lyst',
      'field_changed|severity|critical|high|bob',
      'field_changed|assignee||ana.lyst|bob',
      'field_changed|status|open|in_progress|bob',
      'comment_added|||@bob please look, cc @EVE and @ghost.|ana.lyst',
      'event_linked||||ana.lyst',
      'observable_added|||domain:evil.example.com|ana.lyst',
      ...fromAlert.json().added.map((o: { type: string; value: string }) => `observable_added|||${o.type}:${o.value}|ana.lyst`),
      'observable_removed||domain:evil.example.com||eve',
      'alert_unlinked||||ana.lyst',
      'field_changed|status|in_progress|closed|ana.lyst',
      'field_changed|resolution||true_positive|ana.lyst',
      'field_changed|resolution_note||contained|ana.lyst',
      'field_changed|status|closed|open|ana.lyst',
      'field_changed|resolution|true_positive||ana.lyst',
      'field_changed|resolution_note|contained||ana.lyst',
    ]);

    const detail = (await call(bob, 'GET', `/v1/cases/${caseId}`)).json();
    assert.deepEqual(detail.alerts.map((a: { id: string }) => a.id), [alertA]);
    assert.deepEqual(detail.event_ids, [eventId]);
    assert.equal(detail.events[0].id, eventId);
    assert.equal(detail.comments[0].author, 'ana.lyst');
    assert.equal(detail.observables.length, 3);
  });

  it('lists with filters: status, assignee=me, mentioned=me, q, alert_id, severity', async () => {
    const other = (await call(bob, 'POST', '/v1/cases', { title: 'Phishing wave', severity: 'low', assignee: 'me' })).json();
    const ids = async (who: TestUser, query: string) =>
      (await call(who, 'GET', `/v1/cases?${query}`)).json().items.map((c: { id: string }) => c.id);
    assert.deepEqual(await ids(ana, 'assignee=me'), [caseId]);
    assert.deepEqual(await ids(bob, 'assignee=me'), [other.id]);
    assert.deepEqual(await ids(ana, 'assignee=bob'), [other.id]);
    assert.deepEqual(await ids(bob, 'mentioned=me'), [caseId]);
    assert.deepEqual(await ids(ana, 'mentioned=me'), []);
    assert.deepEqual(await ids(ana, 'q=phish'), [other.id]);
    assert.deepEqual(await ids(ana, 'q=%25'), [], 'LIKE wildcards are literal');
    assert.deepEqual(await ids(ana, `alert_id=${alertA}`), [caseId]);
    assert.deepEqual(await ids(ana, 'severity=low'), [other.id]);
    assert.deepEqual(await ids(ana, 'status=active'), [other.id, caseId]);
    assert.deepEqual(await ids(ana, 'status=closed'), []);
    const page = (await call(ana, 'GET', '/v1/cases?per_page=1&page=2')).json();
    assert.deepEqual([page.total, page.pages, page.items.length], [2, 2, 1]);
  });

  it('keeps every timeline entry under concurrent changes', async () => {
    const c = (await call(ana, 'POST', '/v1/cases', { title: 'Race' })).json();
    const severities = ['low', 'high', 'critical', 'info', 'medium', 'low', 'high', 'critical'];
    const results = await Promise.all([
      ...severities.map((severity, i) => call(i % 2 ? ana : bob, 'PATCH', `/v1/cases/${c.id}`, { severity })),
      ...Array.from({ length: 8 }, (_, i) => call(eve, 'POST', `/v1/cases/${c.id}/comments`, { body: `note ${i}` })),
    ]);
    assert.ok(results.every((r) => r.statusCode < 300), results.map((r) => r.statusCode).join());
    const timeline = (await call(ana, 'GET', `/v1/cases/${c.id}/timeline`)).json();
    assert.equal(timeline.items.filter((e: { kind: string }) => e.kind === 'comment_added').length, 8);
    const changes = timeline.items.filter((e: { field: string | null }) => e.field === 'severity');
    // Each change starts where the previous one ended: nothing was lost or interleaved.
    for (let i = 1; i < changes.length; i++) assert.equal(changes[i].from, changes[i - 1].to);
    assert.equal(changes.at(-1).to, (await call(ana, 'GET', `/v1/cases/${c.id}`)).json().case.severity);
  });

  it('answers the assignee picker with active accounts by prefix', async () => {
    const res = await call(ana, 'GET', '/v1/assignees?q=B');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().map((u: { username: string }) => u.username), ['bob']);
    assert.equal((await call(ana, 'GET', '/v1/assignees?q=%25')).json().length, 0);
  });
});
