// Sigma correlation rules -> threshold, aggregation and sequence rules, with the rules they
// name inlined from the same batch; what cannot be counted is refused with the reason.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { translateSigma, type DocumentResult } from '../../../src/engine/sigma/index.ts';

const failed = `title: Failed logon
id: 10000000-0000-4000-8000-000000000001
name: failed_logon
logsource: { product: windows, service: security }
detection:
  selection: { EventID: 4625 }
  condition: selection
level: low
`;
const success = `title: Successful logon
id: 10000000-0000-4000-8000-000000000002
name: success_logon
logsource: { product: windows, service: security }
detection:
  selection: { EventID: 4624 }
  condition: selection
level: low
`;
const correlation = (body: string) => `title: Correlated
id: 20000000-0000-4000-8000-000000000001
level: high
tags: [attack.credential-access, attack.t1110]
correlation:
${body}`;

function run(...docs: string[]): DocumentResult[] {
  return translateSigma([{ name: 'batch.yml', content: docs.join('---\n') }]);
}
const last = (results: DocumentResult[]) => results.at(-1)!;
const rule = (r: DocumentResult) => {
  assert.equal(r.outcome, 'translated', r.outcome === 'refused' ? r.reason : '');
  return (r as DocumentResult & { outcome: 'translated' }).rule;
};
const failedFilter = { 'winlog.channel': { equals: 'Security' }, 'winlog.event_id': { equals: 4625 } };
const successFilter = { 'winlog.channel': { equals: 'Security' }, 'winlog.event_id': { equals: 4624 } };

describe('Sigma correlations', () => {
  it('event_count -> threshold (gte N), group-by as a list, timespan in seconds; the named rule is inlined', () => {
    const results = run(failed, correlation(`  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress, TargetUserName]
  timespan: 5m
  condition: { gte: 10 }
`));
    const r = rule(last(results));
    assert.equal(r.rule_type, 'threshold');
    assert.deepEqual(r.conditions, {
      event_filter: failedFilter,
      threshold: 10,
      window_seconds: 300,
      group_by: ['winlog.event_data.IpAddress', 'winlog.event_data.TargetUserName'],
    });
    assert.equal(r.severity, 'high');
    assert.equal(r.mitre_tactic, 'TA0006');
    assert.deepEqual(r.origin.correlated, ['10000000-0000-4000-8000-000000000001']);
    // The base rule is part of the correlation, not a rule of its own (generate: false).
    assert.equal(results[0]!.outcome, 'included');
  });

  it('gt N -> threshold N + 1; rules named by id; timespans in h and d', () => {
    const r = rule(last(run(failed, correlation(`  type: event_count
  rules: [10000000-0000-4000-8000-000000000001]
  group-by: [IpAddress]
  timespan: 1h
  condition: { gt: 4 }
`))));
    assert.equal(r.conditions.threshold, 5);
    assert.equal(r.conditions.window_seconds, 3600);
  });

  it('value_count -> aggregation count_distinct of the field', () => {
    const r = rule(last(run(failed, correlation(`  type: value_count
  rules: failed_logon
  group-by: [IpAddress]
  timespan: 2d
  condition: { gte: 20, field: TargetUserName }
`))));
    assert.equal(r.rule_type, 'aggregation');
    assert.deepEqual(r.conditions, {
      event_filter: failedFilter,
      aggregation: 'count_distinct',
      aggregation_field: 'winlog.event_data.TargetUserName',
      threshold: 20,
      window_seconds: 172_800,
      group_by: ['winlog.event_data.IpAddress'],
    });
  });

  it('temporal_ordered -> sequence in order; temporal -> sequence with ordered: false', () => {
    const body = (type: string) => `  type: ${type}
  rules: [failed_logon, success_logon]
  group-by: [IpAddress]
  timespan: 10m
`;
    const ordered = rule(last(run(failed, success, correlation(body('temporal_ordered')))));
    assert.equal(ordered.rule_type, 'sequence');
    assert.deepEqual(ordered.conditions, {
      steps: [{ event_filter: failedFilter }, { event_filter: successFilter }],
      window_seconds: 600,
      group_by: ['winlog.event_data.IpAddress'],
    });
    const unordered = rule(last(run(failed, success, correlation(body('temporal')))));
    assert.equal(unordered.conditions.ordered, false);
  });

  it('aliases name a field per rule', () => {
    const r = rule(last(run(failed, success, correlation(`  type: temporal
  rules: [failed_logon, success_logon]
  aliases:
    ip: { failed_logon: IpAddress, success_logon: IpAddress }
  group-by: [ip]
  timespan: 10m
`))));
    assert.deepEqual(r.conditions.group_by, ['winlog.event_data.IpAddress']);
  });

  it('generate: true keeps the named rules as rules of their own', () => {
    const results = run(failed, correlation(`  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 5m
  condition: { gte: 3 }
  generate: true
`));
    assert.equal(results[0]!.outcome, 'translated');
  });

  const refusals: [string, string, RegExp, string][] = [
    ['lt cannot be expressed', `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: { lt: 3 }\n`, /'lt' cannot be expressed/, 'condition'],
    ['eq cannot be expressed', `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: { eq: 3 }\n`, /'eq' cannot be expressed/, 'condition'],
    ['a range', `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: { gte: 3, lte: 9 }\n`, /no ranges/, 'condition'],
    ['a rule not in the batch', `  type: event_count\n  rules: [elsewhere]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: { gte: 3 }\n`, /not in this import/, 'rules'],
    ['no group-by', `  type: event_count\n  rules: [failed_logon]\n  timespan: 5m\n  condition: { gte: 3 }\n`, /group-by is required/, 'group-by'],
    ['a bad timespan', `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: soon\n  condition: { gte: 3 }\n`, /timespan 'soon'/, 'timespan'],
    ['a timespan over a week', `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 8d\n  condition: { gte: 3 }\n`, /outside/, 'timespan'],
    ['value_sum', `  type: value_sum\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: { gte: 3, field: x }\n`, /'value_sum' is not supported/, 'type'],
    ['an alias that is not a map', `  type: event_count\n  rules: [failed_logon]\n  aliases: { ip: null }\n  group-by: [ip]\n  timespan: 5m\n  condition: { gte: 3 }\n`, /alias 'ip' must map rule names/, 'group-by'],
    ['value_count without a field', `  type: value_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: { gte: 3 }\n`, /needs condition.field/, 'condition'],
  ];
  for (const [what, body, reason, field] of refusals) {
    it(`refused: ${what}`, () => {
      const results = run(failed, correlation(body));
      const r = last(results);
      assert.equal(r.outcome, 'refused');
      assert.match((r as { reason: string }).reason, reason);
      assert.equal((r as { field?: string }).field, field);
      // The named rule then stands on its own.
      assert.equal(results[0]!.outcome, 'translated');
    });
  }

  it('a correlation naming a refused rule is refused with that rule\'s reason', () => {
    const broken = failed.replace('selection: { EventID: 4625 }', "selection: { 'EventID|expand': '%x%' }");
    const r = last(run(broken, correlation(`  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: { gte: 3 }\n`)));
    assert.equal(r.outcome, 'refused');
    assert.match((r as { reason: string }).reason, /was refused: placeholders/);
  });
});
