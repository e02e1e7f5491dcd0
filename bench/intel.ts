// Threat-intel figures with 1,000,000 generated indicators (mixed types): CSV parse time,
// import into the store (embedded PGlite, and the PostgreSQL server when DATABASE_URL is
// set), index build time from the store and RSS, and the matcher's cost per event (µs,
// p50/p99) for events that hit and events that miss. Prints numbers; asserts nothing.
//   node --import tsx bench/intel.ts [--count 1000000] [--events 200000] [--pglite-dir <dir>]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { IndicatorType } from '@siem/contracts';
import { parseCsv } from '../server/src/engine/intel/formats/csv.ts';
import { IndicatorIndex } from '../server/src/engine/intel/indicator-index.ts';
import { createIntelMatcher } from '../server/src/services/intel-matcher.ts';
import { newObjectId } from '../server/src/lib/object-id.ts';
import { openDb } from '../server/src/store/db.ts';
import { migrate } from '../server/src/store/migrate.ts';
import { createIntelRepo, type IndicatorWrite } from '../server/src/store/intel-repo.ts';
import type { NewEvent } from '../server/src/store/events-repo.ts';
import { mb, percentile, pgSchema, rng } from './lib.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const COUNT = Number(arg('--count', '1000000'));
const EVENTS = Number(arg('--events', '200000'));
const log = pino({ level: 'silent' });
const rand = rng(7);
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const rss = () => mb(process.memoryUsage().rss);

/** The mix: 40% IPv4, 5% IPv6, 5% networks, 25% domains, 10% URLs, 15% hashes. */
function generate(n: number): IndicatorWrite[] {
  const out: IndicatorWrite[] = [];
  for (let i = 0; i < n; i++) {
    const r = i % 20;
    let type: IndicatorType;
    let value: string;
    if (r < 8) {
      type = 'ip';
      value = `${11 + ((i >>> 24) & 0x3f)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
    } else if (r < 9) {
      type = 'ip';
      value = `2001:db8:${(i >>> 16).toString(16)}::${(i & 0xffff).toString(16)}`;
    } else if (r < 10) {
      type = 'cidr';
      const p = 16 + (i % 13);
      const net = ((100 << 24) | ((i * 2654435761) >>> 8)) >>> 0;
      const size = 2 ** (32 - p);
      const base = Math.floor(net / size) * size;
      value = `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${p}`;
    } else if (r < 15) {
      type = 'domain';
      value = `d${i.toString(36)}.bad${i % 97}.example`;
    } else if (r < 17) {
      type = 'url';
      value = `http://u${i.toString(36)}.example/p/${i}`;
    } else {
      type = r === 17 ? 'md5' : r === 18 ? 'sha1' : 'sha256';
      value = hex(type === 'md5' ? 32 : type === 'sha1' ? 40 : 64);
    }
    out.push({ type, value, source: i % 3 === 0 ? 'feed-a' : 'feed-b', confidence: 50 + (i % 50), expiresMs: i % 10 === 0 ? Date.now() + 86_400_000 : null });
  }
  // Networks can coincide: keep one row per (type, value), as the import service does.
  const seen = new Set<string>();
  return out.filter((w) => (seen.has(`${w.type}:${w.value}`) ? false : (seen.add(`${w.type}:${w.value}`), true)));
}

function event(i: number, fields: Record<string, unknown> | null, src: string | null, dst: string | null): NewEvent {
  return {
    id: newObjectId(), timeMs: Date.now(), source_type: 'firewall', severity: 'info', event_type: 'connection', source_ip: src, dest_ip: dst,
    source_port: null, dest_port: null, hostname: `h${i % 50}`, username: null, message: null, mitre_tactic: null, mitre_technique: null,
    scenario_run_id: null, normalized: {}, fields, raw: {}, metadata: {}, createdAtMs: Date.now(),
  };
}

/** Half hit (a listed address, a subdomain of a listed domain, a listed URL or hash, an address in a network), half miss. */
function events(items: IndicatorWrite[], n: number): { hits: NewEvent[]; misses: NewEvent[] } {
  const hits: NewEvent[] = [];
  const misses: NewEvent[] = [];
  for (let i = 0; i < n / 2; i++) {
    const w = items[Math.floor(rand() * items.length)]!;
    const f: Record<string, unknown> = { 'url.original': '/index.html', 'dns.question.name': 'www.example.org', 'process.name': 'curl' };
    let dst = '192.0.2.10';
    if (w.type === 'ip') dst = w.value;
    else if (w.type === 'cidr') dst = w.value.split('/')[0]!;
    else if (w.type === 'domain') f['dns.question.name'] = `www.${w.value}`;
    else if (w.type === 'url') f['url.original'] = w.value;
    else f[`file.hash.${w.type}`] = w.value;
    hits.push(event(i, f, '10.0.0.5', dst));
    misses.push(event(i, { 'url.original': `http://ok${i}.example.org/x`, 'dns.question.name': `a${i}.b.example.org`, 'file.hash.sha256': hex(64) }, '10.0.0.5', `172.16.${(i >> 8) & 255}.${i & 255}`));
  }
  return { hits, misses };
}

function costPerEvent(enrich: (e: NewEvent[]) => void, list: NewEvent[]): { p50: number; p99: number; mean: number } {
  const times: number[] = [];
  for (const e of list.slice(0, 2000)) enrich([e]); // warm-up
  for (const e of list) {
    const t0 = process.hrtime.bigint();
    enrich([e]);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

async function store(kind: 'pglite' | 'postgres', items: IndicatorWrite[]) {
  const pg = kind === 'postgres' ? await pgSchema('bench_intel') : null;
  if (kind === 'postgres' && !pg) return null;
  const dir = kind === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'siem-intel-')) : ':memory:';
  const db = await openDb({ dataDir: dir, databaseUrl: pg?.env.DATABASE_URL, schema: pg?.env.DATABASE_SCHEMA, poolSize: 4 });
  try {
    await migrate(db);
    const repo = createIntelRepo(db);
    const list = await repo.insertList({ id: newObjectId(), name: 'bench', description: '', source: '', default_confidence: 50, feed_kind: 'manual', path: null, format: null, enabled: true, created_by: null });
    let t0 = performance.now();
    await repo.upsertIndicators(list.id, items, new Date());
    await repo.recordImport(list.id, null);
    const importMs = performance.now() - t0;
    t0 = performance.now();
    await repo.upsertIndicators(list.id, items.slice(0, 100_000), new Date());
    const refreshMs = performance.now() - t0;
    const before = process.memoryUsage().rss;
    const matcher = createIntelMatcher({ repo, log, maxLoaded: 50_000_000, reloadMs: 3_600_000 });
    t0 = performance.now();
    await matcher.reload();
    const buildMs = performance.now() - t0;
    global.gc?.();
    const after = process.memoryUsage().rss;
    return { importMs, refreshMs, buildMs, rssGrowth: after - before, matcher, loaded: matcher.status().indicators };
  } finally {
    await db.close();
    if (kind === 'pglite') fs.rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  }
}

async function main() {
  console.log(`threat-intel bench: ${COUNT.toLocaleString('en')} indicators, ${EVENTS.toLocaleString('en')} events; node ${process.version}, ${os.cpus().length} cores`);
  let t0 = performance.now();
  const items = generate(COUNT);
  console.log(`generated ${items.length.toLocaleString('en')} unique indicators in ${(performance.now() - t0).toFixed(0)} ms (RSS ${rss()})`);

  const csv = `value,type,confidence\n${items.map((w) => `${w.value},${w.type},${w.confidence}`).join('\n')}`;
  t0 = performance.now();
  const parsed = parseCsv(csv, { maxIndicators: 10_000_000 });
  console.log(`CSV parse (${mb(csv.length)} of text): ${(performance.now() - t0).toFixed(0)} ms, ${parsed.indicators.length.toLocaleString('en')} indicators, ${parsed.rejected} refused`);

  t0 = performance.now();
  const pure = new IndicatorIndex([{ id: 'l', name: 'bench' }]);
  for (const w of items) pure.add({ listIndex: 0, type: w.type, value: w.value, source: w.source, confidence: w.confidence, expiresMs: w.expiresMs ?? Infinity });
  console.log(`index build from memory: ${(performance.now() - t0).toFixed(0)} ms (RSS ${rss()})`);

  const { hits, misses } = events(items, EVENTS);
  for (const kind of ['pglite', 'postgres'] as const) {
    const r = await store(kind, items);
    if (!r) {
      console.log('postgres: DATABASE_URL not set, skipped');
      continue;
    }
    console.log(`${kind}: import ${(r.importMs / 1000).toFixed(1)} s (${Math.round(items.length / (r.importMs / 1000)).toLocaleString('en')} indicators/s), ` +
      `re-import of 100,000 existing ${(r.refreshMs / 1000).toFixed(1)} s, index build from the store ${(r.buildMs / 1000).toFixed(1)} s for ${r.loaded.toLocaleString('en')} loaded, RSS growth ${mb(r.rssGrowth)} (RSS ${rss()})`);
    const matched = hits.slice(0, 1000).filter((e) => r.matcher.matchEvent(e).length > 0).length;
    const hit = costPerEvent(r.matcher.enricher.enrich, hits);
    const miss = costPerEvent(r.matcher.enricher.enrich, misses);
    console.log(`${kind}: matcher per event, hitting (${matched}/1000 matched): p50 ${hit.p50.toFixed(2)} µs, p99 ${hit.p99.toFixed(2)} µs, mean ${hit.mean.toFixed(2)} µs`);
    console.log(`${kind}: matcher per event, missing: p50 ${miss.p50.toFixed(2)} µs, p99 ${miss.p99.toFixed(2)} µs, mean ${miss.mean.toFixed(2)} µs`);
  }
}

await main();
