// The case service on a real store (PGlite, and the PostgreSQL server when DATABASE_URL is
// set): mention parsing, timeline entries for every change, bounds, and concurrent changes
// that each keep their timeline entry (the case row lock serializes them).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CASE_LIMITS, parseMentions } from '@siem/contracts';
import type { Db } from '../../src/store/db.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createCaseItemsRepo } from '../../src/store/case-items-repo.ts';
import { createCasesRepo } from '../../src/store/cases-repo.ts';
import { createEventsRepo } from '../../src/store/events-repo.ts';
import { createUsersRepo } from '../../src/store/users-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createCaseService } from '../../src/services/cases.ts';
import type { CaseService } from '../../src/services/cases.ts';
import { isAppError } from '../../src/errors.ts';
import { skipWithoutPostgres } from '../helpers/env.ts';
import { openTestDb } from '../helpers/store.ts';
import type { StoreKind } from '../helpers/store.ts';
import { insertAlert } from '../helpers/cases.ts';

describe('parseMentions', () => {
  const table: [string, string[]][] = [
    ['@bob', ['bob']],
    ['hi @bob and @alice', ['bob', 'alice']],
    ['thanks @bob.', ['bob']],
    ['@first.last: see this', ['first.last']],
    ['@a-b_c-', ['a-b_c']],
    ['mail me at bob@example.com', []],
    ['@@bob', []],
    ['(@bob)', ['bob']],
    ['@bo', []],
    ['@b', []],
    ['@bob @BOB @Bob', ['bob']],
    ['@' + 'x'.repeat(40), ['x'.repeat(32)]],
    ['no mention here', []],
    ['@-dash', []],
    ['line\n@carol', ['carol']],
  ];
  for (const [body, expected] of table) {
    it(`${JSON.stringify(body)} -> ${JSON.stringify(expected)}`, () => assert.deepEqual(parseMentions(body), expected));
  }

  it('keeps at most the bound', () => {
    const body = Array.from({ length: 50 }, (_, i) => `@user${i}`).join(' ');
    assert.equal(parseMentions(body).length, CASE_LIMITS.mentionsPerComment);
  });
});

for (const kind of ['pglite', 'postgres'] as StoreKind[]) {
  describe(`case service on ${kind}`, { skip: kind === 'postgres' ? skipWithoutPostgres : false }, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let svc: CaseService;
    let now = Date.parse('2026-03-01T12:00:00Z');
    const ana = { id: newObjectId(), username: 'ana' };
    const bob = { id: newObjectId(), username: 'bob' };

    before(async () => {
      ({ db, drop } = await openTestDb(kind));
      const users = createUsersRepo(db);
      for (const u of [ana, bob]) await users.insert({ ...u, email: `${u.username}@example.com`, password_hash: 'x', role: 'analyst' });
      svc = createCaseService({
        db, cases: createCasesRepo(db), items: createCaseItemsRepo(db), alerts: createAlertsRepo(db), events: createEventsRepo(db),
        eventListMaxBytes: 1_000_000, clock: () => (now += 1000),
      });
    });
    after(async () => drop());

    const rejects = async (p: Promise<unknown>, status: number, code?: string) => {
      await assert.rejects(p, (err) => isAppError(err) && err.status === status && (code === undefined || err.code === code));
    };

    it('stores a comment with its mentions of existing active accounts only', async () => {
      const c = await svc.create({ title: 'Mentions' }, ana);
      const comment = await svc.addComment(c.id, { body: '@bob and @nobody, also @Ana' }, ana);
      assert.deepEqual(comment.mentions, ['ana', 'bob']);
      assert.deepEqual((await svc.get(c.id)).comments[0]!.mentions, ['ana', 'bob']);
      assert.equal((await svc.list({ page: 1, per_page: 50, mentioned: 'me' } as never, bob)).total, 1);
    });

    it('writes one timeline entry per change, with from, to, who and when', async () => {
      const c = await svc.create({ title: 'T', assignee: 'bob' }, ana);
      await svc.update(c.id, { title: 'T2', description: 'd'.repeat(500), assignee: null }, bob);
      await svc.update(c.id, { title: 'T2' }, bob);
      const t = await svc.timeline(c.id, { page: 1, per_page: 100 });
      assert.deepEqual(t.items.map((e) => [e.kind, e.field, e.from, e.to?.length ?? null, e.by]), [
        ['created', null, null, 1, 'ana'],
        ['field_changed', 'assignee', null, 3, 'ana'],
        ['field_changed', 'title', 'T', 2, 'bob'],
        ['field_changed', 'description', '', 200, 'bob'],
        ['field_changed', 'assignee', 'bob', null, 'bob'],
      ]);
      assert.ok(t.items.every((e) => !Number.isNaN(Date.parse(e.at))));
    });

    it('refuses past a case bound with CASE_LIMIT_REACHED', async () => {
      const c = await svc.create({ title: 'Full' }, ana);
      await db.query(
        `INSERT INTO case_observables (id, case_id, type, value, added_by)
         SELECT md5(g::text)::varchar(24), $1, 'other', 'v' || g, 'ana' FROM generate_series(1, $2) g`,
        [c.id, CASE_LIMITS.observablesPerCase],
      );
      await rejects(svc.addObservable(c.id, { type: 'other', value: 'one more' }, ana), 422, 'CASE_LIMIT_REACHED');
    });

    it('links alerts once, and unlinking an unlinked alert is a 404', async () => {
      const a = await insertAlert(db, { severity: 'low' });
      const c = await svc.create({ title: 'Links', alert_ids: [a.id] }, ana);
      assert.equal(c.severity, 'low');
      assert.deepEqual(await svc.linkAlerts(c.id, [a.id], ana), { linked: [] });
      await svc.unlinkAlert(c.id, a.id, bob);
      await rejects(svc.unlinkAlert(c.id, a.id, bob), 404);
      await rejects(svc.linkAlerts(c.id, [newObjectId()], bob), 422);
    });

    it('keeps every timeline entry when many analysts change one case at once', async () => {
      const c = await svc.create({ title: 'Busy' }, ana);
      const n = 20;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          i % 2 === 0
            ? svc.update(c.id, { title: `title ${i}` }, i % 4 === 0 ? ana : bob)
            : svc.addComment(c.id, { body: `comment ${i}` }, bob),
        ),
      );
      const t = await svc.timeline(c.id, { page: 1, per_page: 200 });
      assert.equal(t.total, 1 + n);
      const titles = t.items.filter((e) => e.field === 'title');
      assert.equal(titles.length, n / 2);
      for (let i = 1; i < titles.length; i++) assert.equal(titles[i]!.from, titles[i - 1]!.to, 'each change starts from the previous one');
      assert.equal((await svc.get(c.id)).comments.length, n / 2);
    });

    it('keeps a history entry per assignment when analysts assign one alert at once', async () => {
      const a = await insertAlert(db);
      const who = [ana, bob, ana, bob, ana, bob, ana, bob];
      await Promise.all(who.map((actor, i) => svc.assignAlert(a.id, { assignee: i % 3 === 0 ? null : 'me' }, actor)));
      const changes = (await createAlertsRepo(db).history(a.id)).filter((h) => h.kind === 'assignee');
      assert.ok(changes.length >= 1);
      for (let i = 1; i < changes.length; i++) assert.equal(changes[i]!.from_value, changes[i - 1]!.to_value, 'each assignment starts from the previous one');
      assert.equal(changes.at(-1)!.to_value, (await createAlertsRepo(db).findById(a.id))!.assignee);
    });

    it('assigns alerts and keeps the history readable', async () => {
      const a = await insertAlert(db);
      const assigned = await svc.assignAlert(a.id, { assignee: 'bob' }, ana);
      assert.equal(assigned.assignee, 'bob');
      await rejects(svc.assignAlert(a.id, { assignee: 'nobody' }, ana), 422);
      const history = await createAlertsRepo(db).history(a.id);
      assert.deepEqual(history.map((h) => [h.kind, h.from, h.to, h.from_value, h.to_value, h.by]), [
        ['status', null, 'new', null, null, null],
        ['assignee', 'new', 'new', null, 'bob', 'ana'],
      ]);
    });
  });
}
