import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../../src/engine/parse/index.ts';
import { OPTS } from './parse-helpers.ts';

const K = 65_536;
const fill = (head: string, unit: string, tail = '') => head + unit.repeat(Math.ceil((K - head.length - tail.length) / unit.length)) + tail;
const CEF = 'CEF:0|V|P|1|100|n|5|';

test('adversarial 64 KiB lines of the CEF, LEEF, web and JSON formats parse without super-linear scans', () => {
  const lines: Array<[string, string]> = [
    ['cef many bars', fill('CEF:0', '|')],
    ['cef many escaped bars', fill('CEF:0|', '\\|')],
    ['cef backslash runs', fill('CEF:0|', '\\\\\\\\\\|')],
    ['cef many equals', fill(CEF, '=')],
    ['cef many empty keys', fill(CEF, ' =')],
    ['cef many pairs', fill(CEF, 'k=v ')],
    ['cef one value with spaces', fill(`${CEF}msg=`, 'a ', ' src=192.0.2.1')],
    ['cef escaped equals', fill(`${CEF}msg=`, '\\=')],
    ['cef custom labels', fill(CEF, 'cs1Label=x cs1=y ')],
    ['cef under syslog', fill(`<134>Mar 15 10:00:00 h ${CEF}`, 'a=b ')],
    ['cef mid-message', fill('x '.repeat(100) + 'CEF:0|', 'a')],
    ['leef many tabs', fill('LEEF:1.0|V|P|1|E|', '\t')],
    ['leef many pairs', fill('LEEF:2.0|V|P|1|E|^|', 'a=b^')],
    ['leef many bars', fill('LEEF:1.0', '|')],
    ['access many brackets', fill('192.0.2.1 - - ', ' [')],
    ['access open quote', fill('192.0.2.1 - - [15/Mar/2026:10:00:00 +0000] "', 'a')],
    ['access escaped quotes', fill('192.0.2.1 - - [15/Mar/2026:10:00:00 +0000] "', '\\"')],
    ['access many quoted', fill('192.0.2.1 - - [15/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 ', '"a" ')],
    ['nginx error many contexts', fill('2026/03/15 10:00:00 [error] 1#1: *1 x', ', client: a')],
    ['nginx error many colons', fill('2026/03/15 10:00:00 [error] 1#1: *1 x, client: 192.0.2.1, ', 'k: v, ')],
    ['nginx error quotes', fill('2026/03/15 10:00:00 [error] 1#1: *1 x, client: 192.0.2.1, request: "', '\\"')],
    ['apache many groups', fill('[Sun Mar 15 10:00:00 2026]', ' [error]')],
    ['apache client brackets', fill('[Sun Mar 15 10:00:00 2026] [error] [client [', '[')],
    ['apache auth', fill('[Sun Mar 15 10:00:00 2026] [auth_basic:error] [pid 1] user ', 'a: authentication failure for "')],
    ['json deep arrays', `{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}`],
    ['json deep objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['json many keys', `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(',')}}`],
    ['json long string', `{"message":"${'x'.repeat(K - 20)}"}`],
    ['json nested message', `{"message":"${'{\\"message\\":\\"'.repeat(4000)}"}`],
    ['json broken', fill('{"a":', '"')],
    ['json under syslog', `<14>Mar 15 10:00:00 h app: {${Array.from({ length: 4000 }, (_, i) => `"k${i}":"v"`).join(',')}}`],
  ];
  for (const [name, line] of lines) {
    let best = Infinity;
    // Best of three: the machine is shared, and a GC pause is not the parser's cost.
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const r = parseLine(line, OPTS);
      best = Math.min(best, performance.now() - started);
      assert.ok(Object.keys(r.fields).length <= 128, `${name}: field count`);
    }
    // A guard against super-linear scans, not a speed check (bench/parse.ts measures speed):
    // a quadratic scan of 64 KiB takes seconds, a linear one a few ms even on a busy machine.
    assert.ok(best < 1000, `${name}: ${best.toFixed(1)} ms`);
    if (process.env.PARSE_TIMINGS) console.log(`${name}: ${best.toFixed(2)} ms`);
  }
});
