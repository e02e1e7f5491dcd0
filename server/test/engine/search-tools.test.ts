// Search-tool pure parts: the histogram's bucket width for a range (a human interval, never
// more buckets than asked), aligned bucket starts, and CSV cells (RFC 4180 quoting, formula
// injection made inert).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bucketCount, bucketStarts, chooseInterval, intervalLabel } from '../../src/engine/search/histogram.ts';
import { csvCell, csvLine } from '../../src/engine/search/csv.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('histogram bucket width', () => {
  const cases: { range: number; buckets: number; width: number; label: string; offset?: number }[] = [
    { range: 24 * H, buckets: 60, width: 30 * M, label: '30m' },
    { range: 24 * H, buckets: 200, width: 10 * M, label: '10m' },
    { range: H, buckets: 60, width: M, label: '1m' },
    { range: 15 * M, buckets: 60, width: 30 * S, label: '30s' },
    { range: M, buckets: 60, width: S, label: '1s' },
    { range: 5 * S, buckets: 60, width: S, label: '1s' },
    { range: 7 * D, buckets: 60, width: 3 * H, label: '3h' },
    { range: 30 * D, buckets: 60, width: 12 * H, label: '12h' },
    { range: 30 * D, buckets: 20, width: 2 * D, label: '2d' },
    { range: 365 * D, buckets: 60, width: 7 * D, label: '7d' },
    // Unaligned: 60 minutes starting at :30 s touch 61 one-minute buckets.
    { range: H, buckets: 60, width: 5 * M, label: '5m', offset: 30 * S },
    { range: H, buckets: 1, width: 3 * H, label: '3h', offset: 30 * S },
  ];
  for (const c of cases) {
    it(`${c.range / S} s in at most ${c.buckets} buckets${c.offset ? ' (unaligned)' : ''} -> ${c.label}`, () => {
      const since = T0 + (c.offset ?? 0);
      const width = chooseInterval(since, since + c.range, c.buckets);
      assert.equal(width, c.width);
      assert.equal(intervalLabel(width), c.label);
      assert.ok(bucketCount(since, since + c.range, width) <= c.buckets);
    });
  }

  it('never more buckets than asked, whatever the range', () => {
    for (const range of [1, 999, S, 61 * S, 7 * H + 3, 40 * D, 9000 * D]) {
      for (const buckets of [1, 7, 60, 200]) {
        const width = chooseInterval(T0 + 17, T0 + 17 + range, buckets);
        assert.ok(bucketCount(T0 + 17, T0 + 17 + range, width) <= buckets, `${range} ${buckets}`);
      }
    }
  });

  it('bucket starts are aligned on the width and cover the range', () => {
    const starts = bucketStarts(T0 + 90 * S, T0 + 5 * M, M);
    assert.deepEqual(starts.map((s) => (s - T0) / M), [1, 2, 3, 4]);
    assert.deepEqual(bucketStarts(T0, T0 + 3 * M, M).map((s) => (s - T0) / M), [0, 1, 2]);
  });
});

describe('CSV cells', () => {
  const cases: [unknown, string][] = [
    ['plain', 'plain'],
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [-5, '-5'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', `"'\rCR"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    [{ a: 1 }, '"{""a"":1}"'],
    [['x', 'y'], '"[""x"",""y""]"'],
  ];
  for (const [value, cell] of cases) {
    it(`${JSON.stringify(value) ?? 'undefined'} -> ${JSON.stringify(cell)}`, () => assert.equal(csvCell(value), cell));
  }
  it('a line ends with CRLF', () => assert.equal(csvLine(['a', 'b,c', null]), 'a,"b,c",\r\n'));
});
