// `npm start`: builds the web app when its build is missing or older than its sources,
// then runs the server (TypeScript through tsx), forwarding stop signals to it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webPkg = JSON.parse(fs.readFileSync(path.join(root, 'web/package.json'), 'utf8'));

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

if (webPkg.scripts?.build && !process.env.WEB_DIST_DIR) {
  const built = path.join(root, 'web/dist/index.html');
  const stale = !fs.existsSync(built) || newestMtime(path.join(root, 'web/src')) > fs.statSync(built).mtimeMs;
  if (stale) {
    console.log('Building the web app...');
    const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
