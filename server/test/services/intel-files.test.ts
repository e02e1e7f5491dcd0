// Watched threat-intel paths: only under INTEL_WATCH_ROOT (symbolic links followed before the
// check), a directory contributes its feed files of the list's format in name order (MISP
// feed index files skipped), and the total size is bounded.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listFeedFiles, readFeedFiles, resolveWatchPath, signatureOf } from '../../src/services/intel-files.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'intel-files-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('paths resolve inside the root only, whatever their spelling', async () => {
  fs.mkdirSync(path.join(root, 'feeds'));
  fs.writeFileSync(path.join(root, 'feeds', 'a.csv'), '1.2.3.4\n');
  fs.symlinkSync(os.tmpdir(), path.join(root, 'out'));
  const real = fs.realpathSync(root);
  assert.equal(await resolveWatchPath(root, 'feeds/a.csv'), path.join(real, 'feeds', 'a.csv'));
  assert.equal(await resolveWatchPath(root, path.join(real, 'feeds')), path.join(real, 'feeds'));
  for (const bad of ['../etc/passwd', '/etc/passwd', 'out', 'feeds/../../x', 'missing', 'a\0b']) {
    await assert.rejects(resolveWatchPath(root, bad), (err: { code?: string }) => err.code === 'INTEL_PATH_REFUSED', bad);
  }
  await assert.rejects(resolveWatchPath(undefined, 'feeds'), /INTEL_WATCH_ROOT/);
});

test('a MISP feed directory gives its event files, not manifest.json, hashes.csv or symbolic links; sizes are bounded', async () => {
  const dir = path.join(root, 'misp');
  fs.mkdirSync(dir);
  for (const name of ['manifest.json', 'hashes.csv', 'b-event.json', 'a-event.json', '.hidden.json', 'notes.txt']) fs.writeFileSync(path.join(dir, name), '{}');
  // A link in a watched directory could point anywhere: never followed.
  fs.symlinkSync('/etc/hostname', path.join(dir, 'c-link.json'));
  const files = await listFeedFiles(dir, 'misp', 10);
  assert.deepEqual(files.map((f) => path.basename(f.name)), ['a-event.json', 'b-event.json']);
  assert.deepEqual((await listFeedFiles(dir, 'csv', 10)).map((f) => path.basename(f.name)), ['notes.txt']);
  assert.equal((await listFeedFiles(dir, 'misp', 1)).length, 1);
  assert.notEqual(signatureOf(files), signatureOf(files.slice(1)));
  assert.deepEqual(await readFeedFiles(files, 100), ['{}', '{}']);
  await assert.rejects(readFeedFiles(files, 3), /INTEL_IMPORT_MAX_BYTES/);
});
