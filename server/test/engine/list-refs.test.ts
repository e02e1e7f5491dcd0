// referencedLists: the list names a rule's conditions reference through in_list and
// not_in_list, at any depth, once each; anything else (including malformed operands) is ignored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { referencedLists } from '../../src/engine/rules/list-refs.ts';

describe('referencedLists', () => {
  const cases: { name: string; conditions: unknown; expected: string[] }[] = [
    { name: 'no lists', conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5 }, expected: [] },
    { name: 'one operand in the event filter', conditions: { event_filter: { 'user.name': { in_list: 'admins' } } }, expected: ['admins'] },
    {
      name: 'a list of operands and the negated form',
      conditions: { event_filter: { source_ip: { not_in_list: ['scanners', 'vpn'] }, hostname: { in_list: 'dcs' } } },
      expected: ['scanners', 'vpn', 'dcs'],
    },
    {
      name: 'nested combinators, steps and exceptions, each name once',
      conditions: {
        steps: [
          { event_filter: { any: [{ username: { in_list: 'admins' } }, { not: { hostname: { in_list: 'dcs' } } }] } },
          { event_filter: { all: [{ username: [{ in_list: 'admins' }, 'root'] }] } },
        ],
        exceptions: [{ source_ip: { in_list: 'scanners' } }, { username: 'svc' }],
      },
      expected: ['admins', 'dcs', 'scanners'],
    },
    { name: 'malformed operands are skipped', conditions: { event_filter: { a: { in_list: 5 }, b: { in_list: ['', null, 'ok'] }, c: { in_list: {} } } }, expected: ['ok'] },
    { name: 'not an object', conditions: 'in_list', expected: [] },
    { name: 'null', conditions: null, expected: [] },
  ];
  for (const c of cases) {
    it(`finds the lists: ${c.name}`, () => assert.deepEqual(referencedLists(c.conditions), c.expected));
  }

  it('stops at a bounded depth instead of overflowing on a deeply nested value', () => {
    let deep: unknown = { x: { in_list: 'deepest' } };
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    assert.deepEqual(referencedLists({ event_filter: { top: { in_list: 'top' } }, nested: deep }), ['top']);
  });
});
