// YAML in: several documents per file, several files per batch, each result located by file
// and document; the bounds (size, document count, aliases, depth) hold.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { translateSigma, SigmaBoundsError } from '../../../src/engine/sigma/index.ts';

const ok = (title: string, id: string) => `title: ${title}\nid: ${id}\nlogsource: { product: linux, category: process_creation }\ndetection:\n  sel:\n    Image|endswith: /nc\n  condition: sel\nlevel: high\n`;

describe('Sigma documents', () => {
  it('every document of every file gets a result, located by file and 1-based document', () => {
    const results = translateSigma([
      { name: 'a.yml', content: `${ok('One', 'id-1')}---\n${ok('Two', 'id-2')}` },
      { name: 'b.yml', content: 'title: Broken\ndetection:\n  sel: { Foo|re: "(?<=x)y" }\n  condition: sel\n' },
    ]);
    assert.deepEqual(results.map((r) => [r.file, r.document, r.title, r.outcome]), [
      ['a.yml', 1, 'One', 'translated'],
      ['a.yml', 2, 'Two', 'translated'],
      ['b.yml', 1, 'Broken', 'refused'],
    ]);
    const refused = results[2] as { reason: string; field?: string; modifier?: string };
    assert.deepEqual([refused.field, refused.modifier], ['Foo', 're']);
  });

  it('a YAML syntax error refuses that document only', () => {
    const results = translateSigma([{ name: 'c.yml', content: `${ok('Good', 'id-3')}---\ntitle: [unclosed\n` }]);
    assert.equal(results[0]!.outcome, 'translated');
    assert.equal(results[1]!.outcome, 'refused');
    assert.match((results[1] as { reason: string }).reason, /^YAML/);
  });

  it('a document that is not a rule is refused with why', () => {
    const [r] = translateSigma([{ name: 'd.yml', content: 'title: Only a title\n' }]);
    assert.match((r as { reason: string }).reason, /neither detection nor correlation/);
    const [list] = translateSigma([{ name: 'e.yml', content: '- a\n- b\n' }]);
    assert.match((list as { reason: string }).reason, /YAML map/);
  });

  it('alias expansion is bounded (billion laughs)', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill(`*${'abcdefgh'[i - 1]}`).join(', ')}]`);
    const [r] = translateSigma([{ name: 'bomb.yml', content: `${lines.join('\n')}\ntitle: Bomb\n` }]);
    assert.equal(r!.outcome, 'refused');
    assert.match((r as { reason: string }).reason, /alias/i);
  });

  it('nesting is bounded', () => {
    const [r] = translateSigma([{ name: 'deep.yml', content: `title: Deep\nx: ${'['.repeat(100)}${']'.repeat(100)}\n` }]);
    assert.match((r as { reason: string }).reason, /deeper than 64/);
  });

  it('more than 5 MB, or more than 2,000 documents, is refused as a whole', () => {
    assert.throws(() => translateSigma([{ name: 'big.yml', content: `# ${'x'.repeat(5 * 1024 * 1024)}` }]), (e: unknown) => e instanceof SigmaBoundsError && e.kind === 'too_large');
    const many = Array.from({ length: 2001 }, (_, i) => `title: R${i}`).join('\n---\n');
    assert.throws(() => translateSigma([{ name: 'many.yml', content: many }]), (e: unknown) => e instanceof SigmaBoundsError && e.kind === 'too_many_documents');
  });

  it('an empty trailing document is ignored', () => {
    assert.equal(translateSigma([{ name: 'f.yml', content: `${ok('One', 'id-4')}---\n` }]).length, 1);
  });
});
