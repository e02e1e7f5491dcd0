// Browser-test harness: builds the web app when its build is stale, starts the real server
// in this process on 127.0.0.1 (in-memory PGlite, fast scenarios), drives Debian's Chromium
// with playwright-core, and watches every page for console errors, page errors, failed
// requests and unexpected HTTP errors, any of which fails the test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = path.resolve(webDir, '..');
export const shotsDir = path.join(webDir, 'test-results', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(entries: string[]): number {
  let newest = 0;
  for (const entry of entries) {
    if (!fs.existsSync(entry)) continue;
    const stat = fs.statSync(entry);
    if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
    else for (const f of fs.readdirSync(entry, { recursive: true, withFileTypes: true })) if (f.isFile()) newest = Math.max(newest, fs.statSync(path.join(f.parentPath, f.name)).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than its sources (or the contracts). */
export function ensureBuild(): string {
  const dist = path.join(webDir, 'dist');
  const index = path.join(dist, 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => path.join(webDir, p)).concat(path.join(repoRoot, 'contracts/src'));
  if (!fs.existsSync(index) || newestMtime(sources) > fs.statSync(index).mtimeMs) {
    console.log('building the web app (dist missing or stale)...');
    // Test what ships: a production build, whatever NODE_ENV the test run has.
    const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  return dist;
}

/* The server is imported by computed path so the web type-check does not pull it in. */
interface ServerUsers {
  createOrPromoteAdmin(input: { username: string; email: string }, role?: 'analyst' | 'engineer' | 'admin'): Promise<unknown>;
}
/** The server's Sources registry, as inputs and the intake service report to it. */
export interface ServerSources {
  register(name: string, kind: string): { setState(state: 'listening' | 'off' | 'error', address?: string | null, error?: string | null): void; connectionOpened(): void; dropped(reason: 'invalid_utf8' | 'line_too_long', n?: number): void };
  recordEvent(input: string, r: { host: string | null; format: string; unparsed: boolean; line?: string; peer?: string | null }): void;
}
/** The server's store, for tests that write what another process would (cluster members). */
export interface ServerDb {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}
export interface RunningServer {
  baseUrl: string;
  users: ServerUsers;
  db: ServerDb;
  sources: ServerSources;
  /** A fresh one-time setup token, made the way the server makes the one it prints at start (null once an admin exists). */
  setupToken: () => Promise<string | null>;
  stop: () => Promise<void>;
}

export async function startServer(dist: string): Promise<RunningServer> {
  const load = (p: string) => import(pathToFileURL(path.join(repoRoot, p)).href);
  const [{ loadConfig }, { createSystem }, { createLogger }] = await Promise.all([
    load('server/src/config.ts'), load('server/src/system.ts'), load('server/src/logger.ts'),
  ]);
  const config = loadConfig({
    DATA_DIR: ':memory:',
    WEB_DIST_DIR: dist,
    SCENARIO_PLAYBOOK_DIR: path.join(repoRoot, 'server/playbooks'),
    SCENARIO_MAX_SPEED: '100',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // One test run signs in more than 10 times a minute from one address.
    RATELIMIT_AUTH: '1000/minute',
    RATELIMIT_DEFAULT: '100000/minute',
  });
  const system = await createSystem(config, createLogger('silent'));
  await system.app.listen({ host: '127.0.0.1', port: 0 });
  const address = system.app.server.address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${address.port}`, users: system.deps.users, db: system.deps.db, sources: system.deps.sources, setupToken: () => system.deps.setup.begin(), stop: () => system.stop() };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives each launch a fresh temporary profile directory.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    timeout: 30_000,
  });
}

/** Collects everything that should fail a test; expected HTTP errors are declared first. */
export class PageWatch {
  readonly problems: string[] = [];
  private readonly allowed: { url: RegExp; status: number }[] = [];

  expect(url: RegExp, status: number): void {
    this.allowed.push({ url, status });
  }

  private isAllowed(url: string, status: number): boolean {
    return this.allowed.some((a) => a.status === status && a.url.test(url));
  }

  attach(page: Page, label: string): void {
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // Chrome reports every 4xx as "Failed to load resource"; declared ones are fine.
      const status = /status of (\d{3})/.exec(m.text())?.[1];
      if (status && this.isAllowed(m.location().url, Number(status))) return;
      this.problems.push(`[${label}] console error: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => this.problems.push(`[${label}] page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      const text = r.failure()?.errorText ?? '';
      // Cancelled fetches (a filter changed) and closed live feeds abort by design; so does the
      // page icon's request when a navigation starts before it finished.
      if (text === 'net::ERR_ABORTED' && ['fetch', 'eventsource', 'xhr'].includes(r.resourceType())) return;
      if (text === 'net::ERR_ABORTED' && new URL(r.url()).pathname === '/favicon.svg') return;
      this.problems.push(`[${label}] request failed: ${r.method()} ${r.url()} ${text}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !this.isAllowed(r.url(), r.status())) {
        this.problems.push(`[${label}] HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
      }
    });
  }
}

export interface Ctx {
  baseUrl: string;
  server: RunningServer;
  watch: PageWatch;
  /** A page in a fresh context (own localStorage); width defaults to 1280. */
  newPage: (opts?: { width?: number; height?: number; label?: string }) => Promise<Page>;
  /** Full page by default; `viewport` for overlays (a fixed drawer over a long page). */
  shot: (page: Page, name: string, opts?: { viewport?: boolean }) => Promise<void>;
  api: <T>(method: string, path: string, body?: unknown, token?: string) => Promise<{ status: number; body: T }>;
}

export function createCtx(browser: Browser, server: RunningServer, contexts: BrowserContext[]): Ctx {
  const watch = new PageWatch();
  return {
    baseUrl: server.baseUrl,
    server,
    watch,
    newPage: async (opts = {}) => {
      const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 }, baseURL: server.baseUrl });
      contexts.push(context);
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      watch.attach(page, opts.label ?? `page${contexts.length}`);
      return page;
    },
    shot: async (page, name, opts = {}) => {
      fs.mkdirSync(shotsDir, { recursive: true });
      // A sticky header would otherwise be drawn where the page happens to be scrolled.
      if (!opts.viewport) await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: !opts.viewport, animations: 'disabled' });
    },
    api: async (method, p, body, token) => {
      const res = await fetch(`${server.baseUrl}/api/v1${p}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
  };
}

/** Signs a page in by writing the session the app persists, as a reload would find it. */
export async function signInAs(ctx: Ctx, page: Page, token: string): Promise<void> {
  const me = await ctx.api<Record<string, unknown>>('GET', '/auth/me', undefined, token);
  // The login page gives access to the origin's localStorage; let it settle first so
  // the next navigation aborts nothing.
  await page.goto('/login');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.evaluate(([t, u]) => localStorage.setItem('siem.session', JSON.stringify({ state: { token: t, user: u }, version: 0 })), [token, me.body] as const);
}

export async function registerViaApi(ctx: Ctx, username: string): Promise<string> {
  const r = await ctx.api<{ access_token: string }>('POST', '/auth/register', { username, email: `${username}@example.com`, password: 'password123' });
  if (r.status !== 201) throw new Error(`register ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token;
}
