// Triage at a glance (GET /v1/alerts/{id}/context) on a real store (PGlite, and the
// PostgreSQL server when DATABASE_URL is set): the rule's "check first" guidance, the
// matched events' addresses with roles, counts and enrichment, related alerts by group
// value and by host within the hours asked (and not outside), the log pivots, the bounds,
// snapshots of expired events, and the error answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { THREAT_MATCHES_FIELD, enrichmentField, type AlertContext } from '@siem/contracts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createEventsRepo, type NewEvent } from '../../src/store/events-repo.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { registerUser, startTestSystem, type TestSystem } from '../helpers/system.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Event time far from now: nothing the system does on its own lands near these alerts.
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

function event(over: Partial<NewEvent> & { timeMs: number }): NewEvent {
  return {
    id: newObjectId(), source_type: 'auth', severity: 'medium', event_type: 'login_failure',
    source_ip: null, dest_ip: null, source_port: null, dest_port: null, hostname: null, username: null, message: 'test event',
    mitre_tactic: null, mitre_technique: null, scenario_run_id: null, normalized: {}, fields: null, raw: {}, metadata: {},
    createdAtMs: Date.now(), ...over,
  };
}

const geo = (side: 'source' | 'destination', v: { scope?: string; cc?: string; country?: string; city?: string; asn?: number; org?: string }) => ({
  ...(v.scope ? { [enrichmentField(side, 'scope')]: v.scope } : {}),
  ...(v.cc ? { [enrichmentField(side, 'countryCode')]: v.cc } : {}),
  ...(v.country ? { [enrichmentField(side, 'countryName')]: v.country } : {}),
  ...(v.city ? { [enrichmentField(side, 'city')]: v.city } : {}),
  ...(v.asn !== undefined ? { [enrichmentField(side, 'asn')]: v.asn } : {}),
  ...(v.org ? { [enrichmentField(side, 'asOrg')]: v.org } : {}),
});

function triageSuite(name: string, env: () => Record<string, string>, skip: string | false) {
  describe(`GET /v1/alerts/{id}/context (${name})`, { skip }, () => {
    let sys: TestSystem;
    let h: Record<string, string>;
    let ruleId: string;
    const seed = { main: '', group: '', hostOnly: '', both: '', farGroup: '', otherGroup: '', otherHost: '' };

    async function raise(o: { group: string | null; firedAtMs: number; events: NewEvent[]; rule?: string; title?: string }): Promise<string> {
      const { db } = sys.deps;
      const events = createEventsRepo(db);
      const alerts = createAlertsRepo(db);
      const id = newObjectId();
      await db.transaction(async (tx) => {
        await events.insertMany(tx, o.events, { method: 'insert' });
        const a = await alerts.insertFiring(tx, {
          id, firing_key: `test:${id}`, rule_id: o.rule ?? ruleId, rule_name: 'Password guessing against one account', severity: 'high',
          title: o.title ?? `alert ${o.group ?? 'none'}`, matched_event_ids: o.events.map((e) => e.id), matched_event_count: o.events.length,
          group_value: o.group, mitre_tactic: 'TA0006', mitre_technique: 'T1110.001', firedAtMs: o.firedAtMs,
        });
        assert.ok(a);
        await alerts.linkEvents(tx, id, o.events.map((e) => e.id));
      });
      return id;
    }

    const context = async (id: string, query = '') => {
      const res = await sys.app.inject({ method: 'GET', url: `/v1/alerts/${id}/context${query}`, headers: h });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as AlertContext;
    };

    before(async () => {
      sys = await startTestSystem({ RATELIMIT_DEFAULT: '', ...env() });
      h = { authorization: `Bearer ${await registerUser(sys.app, { role: 'analyst' })}` };
      const rule = await createRulesRepo(sys.deps.db).findByBuiltinKey('builtin.auth.password-guessing');
      assert.ok(rule, 'the shipped rules are installed');
      ruleId = rule.id;

      const threat = {
        [THREAT_MATCHES_FIELD]: [
          { list_id: 'l1', list_name: 'Known scanners', indicator: '203.0.113.7', type: 'ip', field: 'source_ip', source: 'feed-a', confidence: 90 },
          { list_id: 'l2', list_name: 'Bad ranges', indicator: '203.0.113.0/24', type: 'cidr', field: 'source.ip', source: null, confidence: null },
        ],
      };
      seed.main = await raise({
        group: 'alice', firedAtMs: T0,
        events: [
          event({ timeMs: T0 - 2 * MIN, source_ip: '203.0.113.7', dest_ip: '10.0.0.5', hostname: 'web-1', username: 'alice',
            fields: { ...geo('source', { scope: 'public', cc: 'NL', country: 'Netherlands', city: 'Amsterdam', asn: 64500, org: 'Example Hosting' }), ...geo('destination', { scope: 'private' }), ...threat } }),
          event({ timeMs: T0 - MIN, source_ip: '203.0.113.7', dest_ip: '10.0.0.5', hostname: 'web-1', username: 'alice', fields: null }),
          event({ timeMs: T0, source_ip: '10.0.0.5', dest_ip: '198.51.100.9', hostname: 'db-1', username: 'alice', fields: null }),
        ],
      });
      // Same group value, 2 h later; same host (db-1), 5 h earlier; both, 1 h earlier.
      seed.group = await raise({ group: 'alice', firedAtMs: T0 + 2 * HOUR, events: [event({ timeMs: T0 + 2 * HOUR, hostname: 'mail-1', username: 'alice' })] });
      seed.hostOnly = await raise({ group: 'bob', firedAtMs: T0 - 5 * HOUR, events: [event({ timeMs: T0 - 5 * HOUR, hostname: 'db-1', username: 'bob' })] });
      seed.both = await raise({ group: 'alice', firedAtMs: T0 - HOUR, events: [event({ timeMs: T0 - HOUR, hostname: 'web-1', username: 'alice' })] });
      // Outside the default 6 hours, and unrelated ones inside.
      seed.farGroup = await raise({ group: 'alice', firedAtMs: T0 + 8 * HOUR, events: [event({ timeMs: T0 + 8 * HOUR, hostname: 'web-1', username: 'alice' })] });
      seed.otherGroup = await raise({ group: 'carol', firedAtMs: T0 + HOUR, events: [event({ timeMs: T0 + HOUR, hostname: 'laptop-9', username: 'carol' })] });
      seed.otherHost = await raise({ group: null, firedAtMs: T0 + 30 * MIN, events: [event({ timeMs: T0 + 30 * MIN, hostname: 'web-10', username: 'dave' })] });
    });
    after(async () => sys?.stop());

    it("shows the rule with its \"check first\" guidance split from the summary", async () => {
      const ctx = await context(seed.main);
      assert.equal(ctx.alert_id, seed.main);
      assert.ok(ctx.rule);
      assert.equal(ctx.rule.id, ruleId);
      assert.equal(ctx.rule.name, 'Password guessing against one account');
      assert.equal(ctx.rule.builtin_key, 'builtin.auth.password-guessing');
      assert.match(ctx.rule.summary, /^At least 8 failed logins/);
      assert.doesNotMatch(ctx.rule.summary, /Check first/);
      assert.match(ctx.rule.check_first ?? '', /^the source addresses in the matched events/);
      assert.equal(ctx.rule.mitre_technique, 'T1110.001');
    });

    it('lists every distinct address with its roles, event count and enrichment, most frequent first', async () => {
      const ctx = await context(seed.main);
      assert.equal(ctx.addresses_truncated, false);
      assert.deepEqual(ctx.addresses.map((a) => [a.ip, a.roles, a.event_count]), [
        ['10.0.0.5', ['source', 'destination'], 3],
        ['203.0.113.7', ['source'], 2],
        ['198.51.100.9', ['destination'], 1],
      ]);
      const ext = ctx.addresses.find((a) => a.ip === '203.0.113.7')!.enrichment;
      assert.deepEqual(
        { scope: ext.scope, cc: ext.country_code, country: ext.country_name, city: ext.city, asn: ext.asn, org: ext.as_org },
        { scope: 'public', cc: 'NL', country: 'Netherlands', city: 'Amsterdam', asn: 64500, org: 'Example Hosting' },
      );
      assert.deepEqual(ext.indicators.map((m) => [m.list_name, m.indicator]), [['Known scanners', '203.0.113.7'], ['Bad ranges', '203.0.113.0/24']]);
      const internal = ctx.addresses.find((a) => a.ip === '10.0.0.5')!.enrichment;
      assert.equal(internal.scope, 'private');
      assert.deepEqual(internal.indicators, [], 'a match on the source side is not the destination address');
      // Not enriched: nulls, and a scope read from the address itself.
      const plain = ctx.addresses.find((a) => a.ip === '198.51.100.9')!.enrichment;
      assert.deepEqual(plain, { ip: '198.51.100.9', scope: 'documentation', country_code: null, country_name: null, city: null, asn: null, as_org: null, indicators: [] });
    });

    it('lists alerts of the same group value or host within the hours asked, newest first, and none outside', async () => {
      const ctx = await context(seed.main);
      assert.equal(ctx.related.hours, 6);
      assert.deepEqual(ctx.related.hosts.sort(), ['db-1', 'web-1']);
      assert.deepEqual(ctx.related.items.map((a) => a.id), [seed.group, seed.both, seed.hostOnly]);
      const byId = new Map(ctx.related.items.map((a) => [a.id, a]));
      assert.deepEqual(byId.get(seed.group)!.reasons, ['group_value']);
      assert.deepEqual(byId.get(seed.hostOnly)!.reasons, ['host']);
      assert.deepEqual(byId.get(seed.hostOnly)!.hosts, ['db-1']);
      assert.deepEqual(byId.get(seed.both)!.reasons, ['group_value', 'host']);
      assert.equal(ctx.related.truncated, false);

      const narrow = await context(seed.main, '?hours=1');
      assert.deepEqual(narrow.related.items.map((a) => a.id), [seed.both]);
      const wide = await context(seed.main, '?hours=72');
      assert.deepEqual(wide.related.items.map((a) => a.id), [seed.farGroup, seed.group, seed.both, seed.hostOnly]);
    });

    it('offers the time window around the matched events and the values to pivot on', async () => {
      const ctx = await context(seed.main);
      assert.equal(ctx.pivot.since, new Date(T0 - 2 * MIN - 15 * MIN).toISOString());
      assert.equal(ctx.pivot.until, new Date(T0 + 15 * MIN).toISOString());
      assert.deepEqual(ctx.pivot.filters, [
        { field: 'hostname', value: 'web-1', event_count: 2 },
        { field: 'hostname', value: 'db-1', event_count: 1 },
        { field: 'username', value: 'alice', event_count: 3 },
        { field: 'source_ip', value: '203.0.113.7', event_count: 2 },
        { field: 'source_ip', value: '10.0.0.5', event_count: 1 },
      ]);
    });

    it('keeps addresses, hosts and pivots once the matched events are past retention (from the snapshots)', async () => {
      const ev = [
        event({ timeMs: T0 - 40 * HOUR, source_ip: '192.0.2.44', dest_ip: '10.1.1.1', hostname: 'old-host', username: 'erin', fields: geo('source', { scope: 'public', cc: 'DE' }) }),
        event({ timeMs: T0 - 40 * HOUR + MIN, source_ip: '192.0.2.44', dest_ip: '10.1.1.1', hostname: 'old-host', username: 'erin' }),
      ];
      const old = await raise({ group: 'erin', firedAtMs: T0 - 40 * HOUR + MIN, events: ev });
      const neighbour = await raise({ group: 'zed', firedAtMs: T0 - 41 * HOUR, events: [event({ timeMs: T0 - 41 * HOUR, hostname: 'old-host' })] });
      await sys.deps.db.query('DELETE FROM log_events WHERE id = ANY($1::text[])', [ev.map((e) => e.id)]);
      const ctx = await context(old);
      assert.deepEqual(ctx.addresses.map((a) => [a.ip, a.roles, a.event_count]), [['10.1.1.1', ['destination'], 2], ['192.0.2.44', ['source'], 2]]);
      // The snapshot keeps no fields: the enrichment is unknown, the scope comes from the address.
      assert.equal(ctx.addresses[1]!.enrichment.country_code, null);
      assert.equal(ctx.addresses[1]!.enrichment.scope, 'documentation');
      assert.deepEqual(ctx.related.items.map((a) => a.id), [neighbour]);
      assert.equal(ctx.pivot.since, new Date(T0 - 40 * HOUR - 15 * MIN).toISOString());
      assert.deepEqual(ctx.pivot.filters.find((f) => f.field === 'username'), { field: 'username', value: 'erin', event_count: 2 });
    });

    it('bounds the addresses at 50 and the related alerts at 50', async () => {
      const base = T0 + 30 * 24 * HOUR;
      const many = Array.from({ length: 60 }, (_, i) => event({ timeMs: base + i * 1000, source_ip: `172.16.0.${i + 1}`, hostname: 'busy-host' }));
      const big = await raise({ group: 'busy', firedAtMs: base + MIN, events: many });
      for (let i = 0; i < 52; i++) {
        await raise({ group: 'busy', firedAtMs: base + i * MIN, events: [event({ timeMs: base + i * MIN, hostname: 'elsewhere' })] });
      }
      const ctx = await context(big);
      assert.equal(ctx.addresses.length, 50);
      assert.equal(ctx.addresses_truncated, true);
      assert.equal(ctx.related.items.length, 50);
      assert.equal(ctx.related.truncated, true);
      assert.ok(!ctx.related.items.some((a) => a.id === big), 'never lists itself');
      const times = ctx.related.items.map((a) => a.fired_at);
      assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    });

    it('answers 404 for an unknown or malformed id, 422 for hours out of range, 401 without a token', async () => {
      for (const id of [newObjectId(), 'not-an-id']) {
        const res = await sys.app.inject({ method: 'GET', url: `/v1/alerts/${id}/context`, headers: h });
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().message, 'Alert not found');
      }
      for (const hours of ['0', '73', 'abc', '1.5']) {
        const res = await sys.app.inject({ method: 'GET', url: `/v1/alerts/${seed.main}/context?hours=${hours}`, headers: h });
        assert.equal(res.statusCode, 422, hours);
      }
      assert.equal((await sys.app.inject({ method: 'GET', url: `/v1/alerts/${seed.main}/context` })).statusCode, 401);
    });
  });
}

triageSuite('PGlite', () => ({}), false);
triageSuite('PostgreSQL server', () => ({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('triage').toLowerCase() }), skipWithoutPostgres);
