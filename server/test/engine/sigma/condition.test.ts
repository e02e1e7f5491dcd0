// Sigma condition expressions: precedence (not > and > or), parentheses, `1 of` / `all of`
// with wildcards and `them`, how AND / OR / NOT land in our filter, and the bounds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../../../src/engine/sigma/condition.ts';
import { filterOf, refusalOf } from './helpers.ts';

const sel = (v: string) => ({ Foo: v });
const detection = (condition: string) => ({ a: sel('a'), b: sel('b'), c: { Bar: 'c' }, filter_x: { Baz: 'x' }, filter_y: { Baz: 'y' }, _helper: { Qux: 'h' }, condition });

describe('Sigma conditions', () => {
  it('and: one object; a repeated field goes into all', () => {
    assert.deepEqual(filterOf(detection('a and c')), { 'fields.Foo': { equals: 'a' }, 'fields.Bar': { equals: 'c' } });
    assert.deepEqual(filterOf(detection('a and b')), { 'fields.Foo': { equals: 'a' }, all: [{ 'fields.Foo': { equals: 'b' } }] });
  });

  it('or on one field: one operand list; on several fields: any', () => {
    assert.deepEqual(filterOf(detection('a or b')), { 'fields.Foo': { equals: ['a', 'b'] } });
    assert.deepEqual(filterOf(detection('a or c')), { any: [{ 'fields.Foo': { equals: 'a' } }, { 'fields.Bar': { equals: 'c' } }] });
  });

  it('not: the negated operator when there is one, else a not filter', () => {
    assert.deepEqual(filterOf(detection('c and not a')), { 'fields.Bar': { equals: 'c' }, 'fields.Foo': { not_equals: 'a' } });
    assert.deepEqual(filterOf(detection('c and not (a and filter_x)')), {
      'fields.Bar': { equals: 'c' },
      not: { 'fields.Foo': { equals: 'a' }, 'fields.Baz': { equals: 'x' } },
    });
    assert.deepEqual(filterOf({ s: { Foo: 'a' }, n: { Bar: null }, condition: 's and not n' }), { 'fields.Foo': { equals: 'a' }, 'fields.Bar': { exists: true } });
  });

  it('precedence: not binds tighter than and, and tighter than or', () => {
    assert.deepEqual(parseCondition('a or b and not c'), {
      kind: 'or',
      items: [{ kind: 'ref', name: 'a' }, { kind: 'and', items: [{ kind: 'ref', name: 'b' }, { kind: 'not', item: { kind: 'ref', name: 'c' } }] }],
    });
    assert.deepEqual(parseCondition('(a or b) and c'), {
      kind: 'and',
      items: [{ kind: 'or', items: [{ kind: 'ref', name: 'a' }, { kind: 'ref', name: 'b' }] }, { kind: 'ref', name: 'c' }],
    });
  });

  it('keywords are case-insensitive (AND, Not, 1 OF)', () => {
    assert.deepEqual(parseCondition('a AND Not b'), { kind: 'and', items: [{ kind: 'ref', name: 'a' }, { kind: 'not', item: { kind: 'ref', name: 'b' } }] });
  });

  it('1 of filter_*: any of the matching selections; all of: every one', () => {
    assert.deepEqual(filterOf(detection('c and not 1 of filter_*')), { 'fields.Bar': { equals: 'c' }, 'fields.Baz': { not_equals: ['x', 'y'] } });
    assert.deepEqual(filterOf(detection('all of filter_*')), { 'fields.Baz': { equals: 'x' }, all: [{ 'fields.Baz': { equals: 'y' } }] });
  });

  it('1 of them / all of them leave out selections starting with _', () => {
    const any = filterOf({ a: sel('a'), c: { Bar: 'c' }, _h: { Qux: 'h' }, condition: '1 of them' });
    assert.deepEqual(any, { any: [{ 'fields.Foo': { equals: 'a' } }, { 'fields.Bar': { equals: 'c' } }] });
    const all = filterOf({ a: sel('a'), c: { Bar: 'c' }, _h: { Qux: 'h' }, condition: 'all of them' });
    assert.deepEqual(all, { 'fields.Foo': { equals: 'a' }, 'fields.Bar': { equals: 'c' } });
  });

  it('a selection that is a list of maps is an OR of ANDs', () => {
    const f = filterOf({ s: [{ Foo: 'a', Bar: 'b' }, { Foo: 'c' }], condition: 's' });
    assert.deepEqual(f, { any: [{ 'fields.Foo': { equals: 'a' }, 'fields.Bar': { equals: 'b' } }, { 'fields.Foo': { equals: 'c' } }] });
  });

  it('several conditions (a list): any of them', () => {
    assert.deepEqual(filterOf({ ...detection(''), condition: ['a', 'c'] }), { any: [{ 'fields.Foo': { equals: 'a' } }, { 'fields.Bar': { equals: 'c' } }] });
  });

  it('a selection used twice is built once and means the same', () => {
    assert.deepEqual(filterOf(detection('(a or c) and not (a and c)')).any, [{ 'fields.Foo': { equals: 'a' } }, { 'fields.Bar': { equals: 'c' } }]);
  });
});

describe('bad conditions are refused at the condition', () => {
  const cases: [string, RegExp][] = [
    ['a and', /expected a selection at the end/],
    ['a b', /unexpected token at 'b'/],
    ['(a or b', /expected '\)'/],
    ['missing', /'missing', which is not a selection/],
    ['1 of nothing_*', /matches no selection/],
    ['2 of a*', /only '1 of' and 'all of'/],
    ['a | count() > 5', /deprecated Sigma v1 form/],
    [`${'('.repeat(40)}a${')'.repeat(40)}`, /nested deeper than 32/],
    [Array.from({ length: 300 }, () => 'a').join(' or '), /longer than 512 tokens/],
  ];
  for (const [condition, reason] of cases) {
    it(condition.slice(0, 40), () => {
      const r = refusalOf(detection(condition));
      assert.match(r.reason, reason);
      assert.equal(r.field, 'condition');
    });
  }

  it('a condition that can never match', () => {
    // Not reachable from Sigma syntax alone; a missing condition is the common mistake.
    const r = refusalOf({ a: sel('a') });
    assert.match(r.reason, /condition must be a non-empty string/);
  });
});
