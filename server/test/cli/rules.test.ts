// `npm run rules -- import` on an on-disk PGlite store: a directory read recursively, a dry
// run, a re-import that changes nothing, --strict, bad usage, and a store held by a running
// server (a plain message, no hang).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runRulesCli } from '../../src/cli/rules.ts';
import { acquireDataDirLock } from '../../src/store/db.ts';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(args: string[], env: Record<string, string>) {
  const out = sink();
  const err = sink();
  const status = await runRulesCli(args, { stdout: out.stream, stderr: err.stream, env });
  return { status, stdout: out.text(), stderr: err.text() };
}

const rule = (id: string, title: string, image: string) =>
  `title: ${title}\nid: ${id}\nlogsource: { product: windows, category: process_creation }\ndetection:\n  sel:\n    Image|endswith: '${image}'\n  condition: sel\nlevel: high\n`;

describe('npm run rules -- import', () => {
  let dataDir: string;
  let rulesDir: string;
  let env: Record<string, string>;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-rules-cli-'));
    rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-sigma-'));
    fs.mkdirSync(path.join(rulesDir, 'windows', 'process'), { recursive: true });
    fs.writeFileSync(path.join(rulesDir, 'windows', 'process', 'a.yml'), rule('50000000-0000-4000-8000-000000000001', 'CLI one', '\\a.exe'));
    fs.writeFileSync(path.join(rulesDir, 'windows', 'b.yaml'), rule('50000000-0000-4000-8000-000000000002', 'CLI two', '\\b.exe'));
    fs.writeFileSync(path.join(rulesDir, 'bad.yml'), "title: CLI bad\ndetection:\n  sel: { 'X|fieldref': Y }\n  condition: sel\n");
    fs.writeFileSync(path.join(rulesDir, 'notes.txt'), 'not a rule');
    env = { DATA_DIR: dataDir };
  });
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(rulesDir, { recursive: true, force: true });
  });

  it('dry run, import, re-import: per-document lines and a summary; refusals do not fail the run unless --strict', async () => {
    const dry = await cli(['import', rulesDir, '--dry-run'], env);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run \(nothing stored\): 3 Sigma documents in 3 files: 2 created, 0 updated, 0 unchanged, 0 included in correlations, 1 refused\./);
    assert.match(dry.stdout, /refused {3}bad\.yml "CLI bad" \[X\|fieldref\]: fieldref/);

    const real = await cli(['import', rulesDir, '--disabled'], env);
    assert.equal(real.status, 0, real.stderr);
    assert.match(real.stdout, /created {3}windows\/process\/a\.yml "CLI one" -> [0-9a-f]{24}/);
    assert.match(real.stdout, /2 created/);

    const again = await cli(['import', rulesDir, '--strict'], env);
    assert.equal(again.status, 1, 'a refusal with --strict');
    assert.match(again.stdout, /0 created, 0 updated, 2 unchanged/);

    const single = await cli(['import', path.join(rulesDir, 'windows', 'b.yaml')], env);
    assert.equal(single.status, 0);
    assert.match(single.stdout, /unchanged b\.yaml "CLI two"/);
  });

  it('bad usage exits 2 with the usage text; a missing path exits 2', async () => {
    const none = await cli([], env);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /Usage: npm run rules -- import/);
    const missing = await cli(['import', path.join(rulesDir, 'nope')], env);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file or directory/);
  });

  it('a data directory held by a running server: says so and exits 1 at once', async () => {
    const held = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-rules-held-'));
    const release = acquireDataDirLock(held);
    try {
      // The lock names this process: for the CLI it is "a running SIEM server".
      const result = await cli(['import', rulesDir], { DATA_DIR: held });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /in use by process \d+ \(a running SIEM server\?\)/);
    } finally {
      release();
      fs.rmSync(held, { recursive: true, force: true });
    }
  });
});
