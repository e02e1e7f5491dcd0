// Sigma values and modifiers -> our operators: every modifier, wildcards, null, numbers,
// keywords, case sensitivity, and the refusals with their field and modifier.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { filterOf, refusalOf } from './helpers.ts';

const one = (field: string, value: unknown) => filterOf({ sel: { [field]: value }, condition: 'sel' });

describe('Sigma values become the cheapest equivalent operator', () => {
  const cases: [string, string, unknown, Record<string, unknown>][] = [
    ['plain value: case-insensitive equality', 'Foo', 'abc', { 'fields.Foo': { equals: 'abc' } }],
    ['list: any of', 'Foo', ['a', 'b'], { 'fields.Foo': { equals: ['a', 'b'] } }],
    ['number', 'Foo', 4688, { 'fields.Foo': { equals: 4688 } }],
    ['boolean', 'Foo', true, { 'fields.Foo': { equals: true } }],
    ['null: absent', 'Foo', null, { 'fields.Foo': { exists: false } }],
    ['empty string: absent or empty', 'Foo', '', { 'fields.Foo': { exists: false } }],
    ['leading *: endswith', 'Foo', '*\\cmd.exe', { 'fields.Foo': { endswith: '\\cmd.exe' } }],
    ['trailing *: startswith', 'Foo', 'C:\\Windows\\\\*', { 'fields.Foo': { startswith: 'C:\\Windows\\' } }],
    ['a backslash before * escapes it (Sigma)', 'Foo', 'C:\\Windows\\*', { 'fields.Foo': { equals: 'C:\\Windows*' } }],
    ['both ends: contains', 'Foo', '*evil*', { 'fields.Foo': { contains: 'evil' } }],
    ['inner wildcard: wildcard', 'Foo', 'a*b?c', { 'fields.Foo': { wildcard: 'a*b?c' } }],
    ['escaped wildcard is literal', 'Foo', 'a\\*b', { 'fields.Foo': { equals: 'a*b' } }],
    ['escaped backslash before a wildcard', 'Foo', '*\\\\*', { 'fields.Foo': { contains: '\\' } }],
    ['lone *: the field is set', 'Foo', '*', { 'fields.Foo': { exists: true } }],
    ['contains', 'Foo|contains', 'x', { 'fields.Foo': { contains: 'x' } }],
    ['contains with an inner wildcard', 'Foo|contains', 'a*b', { 'fields.Foo': { wildcard: '*a*b*' } }],
    ['startswith', 'Foo|startswith', ['x', 'y'], { 'fields.Foo': { startswith: ['x', 'y'] } }],
    ['endswith', 'Foo|endswith', '.exe', { 'fields.Foo': { endswith: '.exe' } }],
    ['contains|all: of all', 'Foo|contains|all', ['a', 'b'], { 'fields.Foo': { contains: ['a', 'b'], of: 'all' } }],
    ['cased', 'Foo|cased', 'AbC', { 'fields.Foo': { equals: 'AbC', cased: true } }],
    ['contains|cased', 'Foo|contains|cased', 'AbC', { 'fields.Foo': { contains: 'AbC', cased: true } }],
    ['re: case-sensitive', 'Foo|re', '^a.+b$', { 'fields.Foo': { regex: '^a.+b$', cased: true } }],
    ['re|i', 'Foo|re|i', '^ab', { 'fields.Foo': { regex: '^ab' } }],
    ['re|m|s: inline flags', 'Foo|re|m|s', 'a.b', { 'fields.Foo': { regex: '(?ms)a.b', cased: true } }],
    ['cidr', 'Foo|cidr', ['10.0.0.0/8', 'fe80::/10'], { 'fields.Foo': { cidr: ['10.0.0.0/8', 'fe80::/10'] } }],
    ['gt', 'Foo|gt', 10, { 'fields.Foo': { gt: 10 } }],
    ['gte from numeric text', 'Foo|gte', '10', { 'fields.Foo': { gte: 10 } }],
    ['lt', 'Foo|lt', 3, { 'fields.Foo': { lt: 3 } }],
    ['lte', 'Foo|lte', 3, { 'fields.Foo': { lte: 3 } }],
    ['exists', 'Foo|exists', true, { 'fields.Foo': { exists: true } }],
    ['exists false', 'Foo|exists', false, { 'fields.Foo': { exists: false } }],
    ['base64', 'Foo|base64', 'hello', { 'fields.Foo': { equals: 'aGVsbG8=' } }],
    ['base64|contains', 'Foo|base64|contains', 'hello', { 'fields.Foo': { contains: 'aGVsbG8=' } }],
  ];
  for (const [what, field, value, expected] of cases) {
    it(what, () => assert.deepEqual(one(field, value), expected));
  }

  it('mixed operators on one field become a value list (any of)', () => {
    assert.deepEqual(one('Foo', ['*.exe', 'cmd', null]), { 'fields.Foo': [{ endswith: '.exe' }, { equals: 'cmd' }, { exists: false }] });
  });

  it('base64offset|contains: the three offsets, as contains any-of', () => {
    const variants = (one('Foo|base64offset|contains', 'http://') as Record<string, { contains: string[] }>)['fields.Foo']!.contains;
    assert.equal(variants.length, 3);
    // Each variant is found in the encoding of the value placed at that byte offset.
    for (let shift = 0; shift < 3; shift++) {
      const encoded = Buffer.concat([Buffer.from('ab'.slice(0, shift)), Buffer.from('http://'), Buffer.from('x')]).toString('base64');
      assert.ok(variants.some((v) => encoded.includes(v)), `offset ${shift}: ${encoded}`);
    }
  });

  it('utf16le / wide then base64: UTF-16LE bytes encoded', () => {
    const expected = Buffer.from('ping', 'utf16le').toString('base64');
    assert.deepEqual(one('Foo|wide|base64', 'ping'), { 'fields.Foo': { equals: expected } });
    assert.deepEqual(one('Foo|utf16le|base64|contains', 'ping'), { 'fields.Foo': { contains: expected } });
  });

  it('utf16be and utf16 (with a byte-order mark)', () => {
    const be = Buffer.from('hi', 'utf16le').swap16();
    assert.deepEqual(one('Foo|utf16be|base64', 'hi'), { 'fields.Foo': { equals: be.toString('base64') } });
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]);
    assert.deepEqual(one('Foo|utf16|base64', 'hi'), { 'fields.Foo': { equals: bom.toString('base64') } });
  });

  it('windash: every dash Windows accepts, before or after the match modifier', () => {
    const expected = { 'fields.Foo': { contains: [' -enc ', ' /enc ', ' \u2013enc ', ' \u2014enc ', ' \u2015enc '] } };
    assert.deepEqual(one('Foo|windash|contains', ' -enc '), expected);
    assert.deepEqual(one('Foo|contains|windash', ' -enc '), expected);
  });

  it('windash leaves dashes inside words alone', () => {
    assert.deepEqual(one('Foo|windash|contains', 'x-y'), { 'fields.Foo': { contains: 'x-y' } });
  });

  it('contains|all with windash: every value (each in any dash) must hold', () => {
    const f = one('Foo|windash|contains|all', ['-a', '-b']) as Record<string, unknown>;
    assert.deepEqual(Object.keys(f).sort(), ['all', 'fields.Foo']);
  });

  it('keywords: unfielded values searched in the message, case-insensitively', () => {
    assert.deepEqual(filterOf({ keywords: ['evil', 'bad*thing'], condition: 'keywords' }), {
      message: [{ contains: 'evil' }, { wildcard: '*bad*thing*' }],
    });
    assert.deepEqual(filterOf({ keywords: { '|all': ['a', 'b'] }, condition: 'keywords' }), { message: { contains: ['a', 'b'], of: 'all' } });
    assert.deepEqual(filterOf({ keywords: { '|re': 'a+b' }, condition: 'keywords' }), { message: { regex: 'a+b', cased: true } });
  });
});

describe('values our language cannot express are refused, located', () => {
  const cases: [string, string, unknown, string, RegExp][] = [
    ['expand (placeholders)', 'Foo|expand', '%admins%', 'expand', /placeholders/],
    ['fieldref', 'Foo|fieldref', 'Bar', 'fieldref', /fieldref/],
    ['an unknown modifier', 'Foo|sometimes', 'x', 'sometimes', /unknown modifier 'sometimes'/],
    ['look-around in re', 'Foo|re', 'a(?=b)', 're', /look-around/],
    ['a back-reference in re', 'Foo|re', '(a)\\1', 're', /back-references/],
    ['a non-number with gt', 'Foo|gt', 'ten', 'gt', /not a number/],
    ['utf16 without base64', 'Foo|wide', 'x', 'wide', /without base64/],
    ['base64 of a wildcard value', 'Foo|base64', 'a*', 'base64', /wildcards/],
  ];
  for (const [what, field, value, modifier, reason] of cases) {
    it(what, () => {
      const r = refusalOf({ sel: { [field]: value }, condition: 'sel' });
      assert.match(r.reason, reason);
      assert.equal(r.field, 'Foo');
      assert.equal(r.modifier, modifier);
    });
  }

  it('a regular expression over 1,000 characters', () => {
    const r = refusalOf({ sel: { 'Foo|re': 'a'.repeat(1001) }, condition: 'sel' });
    assert.match(r.reason, /longer than 1000/);
  });

  it('an empty value list', () => {
    assert.match(refusalOf({ sel: { Foo: [] }, condition: 'sel' }).reason, /empty value list/);
  });
});
