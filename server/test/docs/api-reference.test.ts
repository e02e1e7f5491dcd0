// The API reference in docs/api/ stays in step with the OpenAPI document the server
// generates: every operation has its heading (`### METHOD /v1/path`), every heading names an
// operation that exists, and no operation is described twice. Also: nothing the project
// ships (docs, README, source) points at files outside the repository.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestSystem, type TestSystem } from '../helpers/system.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const API_DOCS = path.join(ROOT, 'docs', 'api');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const HEADING = /^### (GET|POST|PUT|PATCH|DELETE) (\/\S+)\s*$/gm;

let system: TestSystem;
before(async () => {
  system = await startTestSystem();
});
after(async () => {
  await system.stop();
});

/** `METHOD /path` of every operation the OpenAPI document lists, without the /api alias. */
async function openApiOperations(): Promise<Set<string>> {
  const doc = (await system.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
  const ops = new Set<string>();
  for (const [p, item] of Object.entries(doc.paths)) {
    if (p.startsWith('/api/')) continue;
    for (const m of METHODS) if (item[m]) ops.add(`${m.toUpperCase()} ${p}`);
  }
  return ops;
}

function documentedOperations(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of fs.readdirSync(API_DOCS).filter((f) => f.endsWith('.md')).sort()) {
    const text = fs.readFileSync(path.join(API_DOCS, file), 'utf8');
    for (const m of text.matchAll(HEADING)) {
      const op = `${m[1]} ${m[2]}`;
      found.set(op, [...(found.get(op) ?? []), file]);
    }
  }
  return found;
}

test('every OpenAPI operation is described in docs/api/, and nothing else is', async () => {
  const ops = await openApiOperations();
  assert.ok(ops.size > 50, `the OpenAPI document lists ${ops.size} operations`);
  const documented = documentedOperations();
  const missing = [...ops].filter((op) => !documented.has(op)).sort();
  const unknown = [...documented.keys()].filter((op) => !ops.has(op)).sort();
  const twice = [...documented].filter(([, files]) => files.length > 1).map(([op, files]) => `${op} (${files.join(', ')})`);
  assert.equal(missing.length, 0, `operations without a "### METHOD /path" heading in docs/api/*.md:\n${missing.join('\n')}`);
  assert.equal(unknown.length, 0, `headings in docs/api/*.md for operations the server does not have:\n${unknown.join('\n')}`);
  assert.equal(twice.length, 0, `operations described more than once:\n${twice.join('\n')}`);
});

test('every docs/api page is linked from the index, and every link between docs resolves', () => {
  const index = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
  for (const file of fs.readdirSync(API_DOCS).filter((f) => f.endsWith('.md'))) {
    assert.ok(index.includes(`(api/${file})`), `docs/api.md links api/${file}`);
  }
  const pages = [path.join(ROOT, 'README.md'), ...walk(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))];
  for (const page of pages) {
    const text = fs.readFileSync(page, 'utf8');
    for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      assert.ok(fs.existsSync(path.resolve(path.dirname(page), target)), `${path.relative(ROOT, page)} links ${target}, which does not exist`);
    }
  }
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('nothing the project ships points outside the repository', () => {
  const roots = ['README.md', 'docs', 'server/src', 'web/src', 'contracts/src', 'bench', 'deploy', 'scripts'];
  // The design notes, the API contract and the style guide the team keeps beside the
  // repository are not shipped: users of the project must never be sent to them.
  const outside = /(\.\.\/shared\b|\/work\/|\b(DESIGN|STYLE|API)\.md\b)/;
  const offenders: string[] = [];
  for (const r of roots) {
    const full = path.join(ROOT, r);
    if (!fs.existsSync(full)) continue;
    const files = fs.statSync(full).isDirectory() ? walk(full) : [full];
    for (const f of files.filter((x) => /\.(ts|tsx|md|mjs|js|conf|yml|yaml|sh)$/.test(x))) {
      const lines = fs.readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (outside.test(line)) offenders.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
  }
  assert.deepEqual(offenders, [], `lines pointing outside the repository:\n${offenders.join('\n')}`);
});
