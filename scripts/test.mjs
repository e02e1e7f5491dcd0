// `npm test`: lint, type-check, then every test file with node's test runner. Suites that
// need a PostgreSQL or Redis server run when DATABASE_URL / REDIS_URL are set and are
// named loudly as skipped otherwise.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function run(label, cmd, args, env = process.env) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return result.status === 0;
}

function testFiles() {
  const dirs = ['server/test', 'contracts/test', 'web/test'].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  const files = [];
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && /\.test\.tsx?$/.test(entry.name)) files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
    }
  }
  return files.sort().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
}

function skippedBanner() {
  const skipped = [];
  if (!process.env.DATABASE_URL) skipped.push('PostgreSQL server suites (DATABASE_URL not set): store and ingest ran on embedded PGlite only');
  if (!process.env.REDIS_URL) skipped.push('Redis suites (REDIS_URL not set): bus and rate limits ran in memory only');
  if (!fs.existsSync('/usr/bin/chromium')) skipped.push('browser suites (/usr/bin/chromium not installed)');
  if (skipped.length === 0) return;
  console.log('\n' + '!'.repeat(78));
  for (const s of skipped) console.log(`!! SKIPPED: ${s}`);
  console.log('!'.repeat(78) + '\n');
}

let ok = true;
skippedBanner();
if (only.length === 0) {
  ok = run('lint', 'npx', ['eslint', '.']) && ok;
  ok = run('type-check', 'npx', ['tsc', '-p', 'server/tsconfig.json', '--noEmit']) && ok;
}
const files = testFiles();
const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
ok = run(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], env) && ok;
skippedBanner();
process.exit(ok ? 0 : 1);
