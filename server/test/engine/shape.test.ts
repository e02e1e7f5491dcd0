import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkJsonShape, DEFAULT_SHAPE_LIMITS, MAX_SHAPE_ISSUES } from '../../src/engine/normalize/shape.ts';

const SMALL = { maxDepth: 3, maxKeys: 10, maxStringLength: 8 };

/** [a, [b, [c, ...]]] built in a loop, so the test itself never recurses. */
function deepArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

test('DEFAULT_SHAPE_LIMITS are the documented values', () => {
  assert.deepEqual(DEFAULT_SHAPE_LIMITS, { maxDepth: 32, maxKeys: 10_000, maxStringLength: 65_536 });
});

test('checkJsonShape finds nothing wrong in values within the limits', () => {
  const ok: unknown[] = [
    null,
    42,
    'short',
    {},
    [],
    { a: 1, b: 'x', c: [1, 2, { d: null }] },
    { st: 'auth', 'ключ': 'значение' },
  ];
  for (const value of ok) assert.deepEqual(checkJsonShape(value, SMALL), [], JSON.stringify(value));
});

test('checkJsonShape reports each limit at the offending path', () => {
  const cases: Array<{ name: string; value: unknown; expected: Array<{ field: string; message: RegExp }> }> = [
    { name: 'too deep (object)', value: { a: { b: { c: { d: 1 } } } }, expected: [{ field: 'a.b.c', message: /nesting deeper than 3/ }] },
    { name: 'too deep (array)', value: [[[[1]]]], expected: [{ field: '0.0.0', message: /nesting deeper than 3/ }] },
    { name: 'exactly at depth', value: { a: { b: { c: 1 } } }, expected: [] },
    { name: 'too many keys', value: { a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, expected: [{ field: 'a', message: /more than 10 object keys/ }] },
    { name: 'exactly max keys', value: { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, expected: [] },
    { name: 'long value', value: { msg: 'x'.repeat(9) }, expected: [{ field: 'msg', message: /string longer than 8/ }] },
    { name: 'value at limit', value: { msg: 'x'.repeat(8) }, expected: [] },
    { name: 'long key', value: { ['k'.repeat(9)]: 1 }, expected: [{ field: 'k'.repeat(9), message: /key longer than 8/ }] },
    { name: 'NUL in value', value: { a: [0, 'x\u0000y'] }, expected: [{ field: 'a.1', message: /NUL character/ }] },
    { name: 'NUL in key', value: { n: { 'a\u0000': 1 } }, expected: [{ field: 'n.a\\u0000', message: /key contains the NUL/ }] },
    { name: 'root string', value: 'y'.repeat(9), expected: [{ field: '', message: /string longer than 8/ }] },
  ];
  for (const { name, value, expected } of cases) {
    const issues = checkJsonShape(value, SMALL);
    assert.equal(issues.length, expected.length, `${name}: ${JSON.stringify(issues)}`);
    expected.forEach((want, i) => {
      assert.equal(issues[i]!.field, want.field, name);
      assert.match(issues[i]!.message, want.message, name);
      assert.equal(issues[i]!.type, 'value_error', name);
    });
  }
});

test('checkJsonShape reports several problems in one value', () => {
  const issues = checkJsonShape({ a: 'x'.repeat(9), b: { c: 'ok\u0000' } }, SMALL);
  assert.deepEqual(issues.map((i) => i.field).sort(), ['a', 'b.c']);
});

test('checkJsonShape stops after MAX_SHAPE_ISSUES details', () => {
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'bad\u0000']));
  const issues = checkJsonShape(many, DEFAULT_SHAPE_LIMITS);
  assert.equal(issues.length, MAX_SHAPE_ISSUES);
});

test('checkJsonShape handles a 100000-deep nested array without a RangeError', () => {
  const value = deepArray(100_000);
  const issues = checkJsonShape(value, DEFAULT_SHAPE_LIMITS);
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.message, /nesting deeper than 32/);
  assert.equal(issues[0]!.field, Array(32).fill('0').join('.'));
});

test('checkJsonShape counts keys across the whole document', () => {
  const wide = { list: Array.from({ length: 10_001 }, (_, i) => i) };
  const issues = checkJsonShape(wide, DEFAULT_SHAPE_LIMITS);
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.message, /more than 10000/);
});

test('checkJsonShape refuses unpaired UTF-16 surrogates in values and keys, and accepts pairs', () => {
  assert.deepEqual(checkJsonShape({ ok: '\u{1F4A5} \ud83d\udca5' }, SMALL), []);
  const issues = checkJsonShape({ a: 'x\ud800', b: ['\udfff'], c: { '\udc00\ud800': 1 } }, SMALL);
  assert.deepEqual(issues.map((i) => i.field).sort(), ['a', 'b.0', 'c.\\udc00\\ud800']);
  for (const issue of issues) assert.match(issue.message, /unpaired UTF-16 surrogate/);
});

test('checkJsonShape refuses a __proto__ key only when asked to', () => {
  const value = JSON.parse('{"a":{"__proto__":{"x":1}}}') as unknown;
  const limits = { ...SMALL, maxStringLength: 16 };
  assert.deepEqual(checkJsonShape(value, limits), []);
  const issues = checkJsonShape(value, { ...limits, forbidProtoKey: true });
  assert.deepEqual(issues.map((i) => [i.field, i.type]), [['a.__proto__', 'value_error']]);
});
