// The field names a rule reads, located: what the rules service checks against the fields
// stored events carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldNamesOf } from '../../src/engine/rules/field-names.ts';

test('every field a rule names, with where it is named', () => {
  const names = fieldNamesOf({
    event_filter: { event_type: 'x', any: [{ 'process.name': 'a' }, { not: { 'raw.a.b': 'c' } }] },
    exceptions: [{ 'normalized.service': 'sshd' }],
    group_by: ['source_ip', 'user.name'],
    aggregation_field: 'fields.dns.question.name',
  });
  assert.deepEqual(names.map((n) => [n.path, n.name, n.kind]), [
    ['event_filter.event_type', 'event_type', 'column'],
    ['event_filter.any.0.process.name', 'process.name', 'field'],
    ['event_filter.any.1.not.raw.a.b', 'raw.a.b', 'raw'],
    ['exceptions.0.normalized.service', 'normalized.service', 'normalized'],
    ['group_by.0', 'source_ip', 'column'],
    ['group_by.1', 'user.name', 'field'],
    ['aggregation_field', 'fields.dns.question.name', 'field'],
  ]);
  assert.deepEqual(fieldNamesOf({ steps: [{ event_filter: { 'a.b': 'x' } }, { event_filter: {} }], group_by: 'hostname' }).map((n) => n.path), ['steps.0.event_filter.a.b', 'group_by']);
});
