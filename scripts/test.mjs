// `npm test`: lint, type-check, every server test file with node's test runner, then the
// web app's unit and browser tests. Suites that need PostgreSQL, Redis or Chromium run
// when they are available and are named loudly as skipped otherwise. Ends with one plain
// "N passed, N failed" line over everything that ran.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0 };

/** Runs a command, echoing its output; `count` extracts pass/fail figures from it. */
function run(label, cmd, args, { env = process.env, count } = {}) {
  console.log(`\n=== ${label} ===`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => {
      if (count) {
        const figures = count(tail);
        totals.passed += figures.passed;
        totals.failed += figures.failed;
        if (code !== 0 && figures.failed === 0) totals.failed += 1;
      } else if (code !== 0) totals.failed += 1;
      resolve(code === 0);
    });
  });
}

const lastNumber = (text, re) => {
  const all = [...text.matchAll(re)];
  return all.length ? Number(all.at(-1)[1]) : 0;
};
const nodeCounts = (text) => ({ passed: lastNumber(text, /^# pass (\d+)/gm), failed: lastNumber(text, /^# fail (\d+)/gm) });
const genericCounts = (text) => {
  // vitest: "Tests  12 passed (12)" / "Tests  1 failed | 11 passed (12)"; others: "N passed, N failed".
  const plain = [...text.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  if (plain) return { passed: Number(plain[1]), failed: Number(plain[2]) };
  const line = [...text.matchAll(/Tests\s+(.*)\(\d+\)/g)].at(-1)?.[1] ?? '';
  return { passed: Number(/(\d+) passed/.exec(line)?.[1] ?? 0), failed: Number(/(\d+) failed/.exec(line)?.[1] ?? 0) };
};

function testFiles() {
  const dirs = ['server/test', 'contracts/test'].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  const files = [];
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && /\.test\.tsx?$/.test(entry.name)) files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
    }
  }
  return files.sort().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
}

const webScripts = JSON.parse(fs.readFileSync(path.join(root, 'web/package.json'), 'utf8')).scripts ?? {};
const hasChromium = fs.existsSync('/usr/bin/chromium');

function skippedBanner() {
  const skipped = [];
  if (!process.env.DATABASE_URL) skipped.push('PostgreSQL server suites (DATABASE_URL not set): store, detection and accounts ran on embedded PGlite only');
  if (!process.env.REDIS_URL) skipped.push('Redis suites (REDIS_URL not set): bus, detection and rate limits ran in memory only');
  if (webScripts['test:browser'] && !hasChromium) skipped.push('browser suites (/usr/bin/chromium not installed: apt-get install -y chromium)');
  if (skipped.length === 0) return;
  console.log('\n' + '!'.repeat(78));
  for (const s of skipped) console.log(`!! SKIPPED: ${s}`);
  console.log('!'.repeat(78) + '\n');
}

skippedBanner();
const testEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
if (only.length === 0) {
  await run('lint', 'npx', ['eslint', '.']);
  await run('type-check (server, contracts)', 'npx', ['tsc', '-p', 'server/tsconfig.json', '--noEmit']);
  if (webScripts.typecheck) await run('type-check (web)', 'npm', ['run', 'typecheck', '-w', 'web']);
}
const files = testFiles();
await run(`server tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { env: testEnv, count: nodeCounts });
if (only.length === 0 && webScripts.test) await run('web unit tests', 'npm', ['run', 'test', '-w', 'web'], { env: testEnv, count: genericCounts });
if (only.length === 0 && webScripts['test:browser'] && hasChromium) {
  await run('browser tests', 'npm', ['run', 'test:browser', '-w', 'web'], { env: testEnv, count: genericCounts });
}
skippedBanner();
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
