// Log search at scale on the PostgreSQL server (DATABASE_URL): fills a scratch schema with
// N synthetic events in SQL (INSERT ... SELECT generate_series, secondary indexes built
// after the fill), then times the search service for several kinds of term, with and
// without a one-hour range, with the trigram index and without it. Prints numbers,
// asserts nothing; drops the schema at the end.
//   node --import tsx bench/search.ts [--n 10000000] [--runs 20] [--timeout 5000] [--no-baseline]
import { createLogService } from '../server/src/services/logs.ts';
import { openDb, type Db } from '../server/src/store/db.ts';
import { createEventsRepo } from '../server/src/store/events-repo.ts';
import { migrate } from '../server/src/store/migrate.ts';
import { createRollupsRepo } from '../server/src/store/rollups-repo.ts';
import { percentile, pgSchema } from './lib.ts';

const args = process.argv.slice(2);
const argValue = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const N = argValue('--n', 10_000_000);
const RUNS = argValue('--runs', 20);
const TIMEOUT_MS = argValue('--timeout', 5000);
const BASELINE = !args.includes('--no-baseline');
const CHUNK = 1_000_000;
const SPAN_DAYS = 30;

/**
 * Rows [from, to] of N, evenly spread over the last SPAN_DAYS days (row N newest). Seven
 * kinds of event like bench/lib.ts makeEvent, 5,000 users, 2,000 workstations, 1,000
 * outside addresses; about one row in a million mentions "mimikatz" (the rare term).
 */
const fillSql = `
INSERT INTO log_events (id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
  hostname, username, message, raw, normalized)
SELECT lpad(to_hex(i), 24, '0'), ts, st, 'info', et, sip, dip, sp, dp, host, usr, msg,
  jsonb_build_object('message', msg), '{}'::jsonb
FROM (
  SELECT i, $4::timestamptz - interval '${SPAN_DAYS} days' * (1 - i::float8 / $3) AS ts, k, k % 7 AS kind,
    '203.0.' || (k >> 4) % 4 || '.' || 1 + (k >> 6) % 250 AS ext_ip,
    '10.0.' || (k >> 8) % 4 || '.' || (k >> 10) % 254 + 1 AS int_ip,
    'user' || lpad(((k >> 5) % 5000)::text, 4, '0') AS u,
    (ARRAY['web-01', 'web-02', 'db-01', 'dc-01', 'jump-01'])[1 + (k >> 7) % 5] AS h0,
    'ws-' || (k >> 9) % 2000 || '.corp.example' AS h1,
    1024 + (k >> 3) % 60000 AS port
  FROM (SELECT i, abs(hashint4(i)) AS k FROM generate_series($1::int, $2::int) AS i) s
) g,
LATERAL (SELECT
  (ARRAY['auth', 'firewall', 'dns', 'endpoint', 'proxy', 'ids', 'generic'])[kind + 1] AS st,
  CASE kind WHEN 0 THEN CASE WHEN k % 10 < 7 THEN 'login_failure' ELSE 'login_success' END
            WHEN 1 THEN CASE WHEN k % 2 = 0 THEN 'firewall_deny' ELSE 'connection' END
            WHEN 2 THEN 'dns_query' WHEN 3 THEN 'process_start' WHEN 4 THEN 'http_request'
            WHEN 5 THEN 'ids_alert' ELSE 'app_log' END AS et,
  CASE WHEN kind IN (0, 1, 5) THEN ext_ip WHEN kind IN (2, 4) THEN int_ip END AS sip,
  CASE WHEN kind IN (1, 5) THEN int_ip END AS dip,
  CASE WHEN kind IN (0, 1) THEN port END AS sp,
  CASE WHEN kind = 1 THEN (ARRAY[22, 80, 443, 3389, 445])[1 + k % 5] END AS dp,
  CASE WHEN kind IN (0, 3) THEN h1 WHEN kind = 6 THEN h0 END AS host,
  CASE WHEN kind IN (0, 3, 4) THEN u END AS usr,
  CASE
    WHEN i % 1000000 = 500000 THEN 'process mimikatz.exe pid ' || k % 30000 || ' sekurlsa::logonpasswords'
    WHEN kind = 0 AND k % 10 < 7 THEN 'Failed password for ' || u || ' from ' || ext_ip || ' port ' || port || ' ssh2'
    WHEN kind = 0 THEN 'Accepted publickey for ' || u || ' from ' || ext_ip || ' port ' || port || ' ssh2'
    WHEN kind = 1 THEN 'DROP IN=eth0 OUT= SRC=' || ext_ip || ' DST=' || int_ip || ' PROTO=TCP SPT=' || port || ' DPT=' || (ARRAY[22, 80, 443, 3389, 445])[1 + k % 5]
    WHEN kind = 2 THEN 'query[A] ' || to_hex(k % 1000003) || '.' || (ARRAY['example.com', 'updates.example.net', 'cdn.example.org', 'mail.example.com'])[1 + k % 4] || ' from ' || int_ip
    WHEN kind = 3 THEN 'process powershell.exe pid ' || k % 30000 || ' cmd ' || CASE WHEN k % 20 = 0 THEN 'powershell -enc SQBFAFgA' ELSE 'powershell Get-Process' END
    WHEN kind = 4 THEN 'GET https://' || (ARRAY['example.com', 'updates.example.net', 'cdn.example.org', 'mail.example.com'])[1 + k % 4] || '/path/' || i || ' 200 ' || k % 100000
    WHEN kind = 5 THEN CASE WHEN k % 10 = 0 THEN 'ET EXPLOIT possible exploit attempt' ELSE 'ET SCAN Potential SSH Scan' END
    ELSE CASE WHEN k % 10 = 0 THEN 'warning: disk almost full' ELSE 'request served in ' || k % 900 || ' ms' END
  END AS msg) f`;

const QUERIES: { kind: string; q: string }[] = [
  { kind: 'rare term', q: 'mimikatz' },
  { kind: 'common term', q: 'Failed password' },
  { kind: 'IP address', q: '203.0.2.117' },
  { kind: 'username', q: 'user0042' },
  { kind: '2-char term', q: 'zq' },
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timeIt<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, performance.now() - t];
}

/** Fills log_events with the secondary indexes dropped, then builds them again (timed). */
async function fill(db: Db, endMs: number) {
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = 'log_events'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const ix of indexes) await db.exec(`DROP INDEX ${ix.name}`);
  const started = performance.now();
  // Two writers: this box has two cores.
  let next = 1;
  const worker = async () => {
    while (next <= N) {
      const from = next;
      const to = Math.min(N, from + CHUNK - 1);
      next = to + 1;
      await db.query(fillSql, [from, to, N, new Date(endMs).toISOString()]);
      process.stdout.write(`  filled ${to.toLocaleString()} rows (${seconds(performance.now() - started)})\r`);
    }
  };
  await Promise.all([worker(), worker()]);
  const fillMs = performance.now() - started;
  console.log(`fill: ${N.toLocaleString()} events in ${seconds(fillMs)} (${Math.round(N / (fillMs / 1000)).toLocaleString()} rows/s, SQL, secondary indexes off)`);
  for (const ix of indexes) {
    const [, ms] = await timeIt(() =>
      db.transaction(async (tx) => {
        await tx.query("SET LOCAL maintenance_work_mem = '1GB'");
        await tx.exec(ix.def);
      }),
    );
    console.log(`  index ${ix.name}: built in ${seconds(ms)}`);
  }
  const [, analyzeMs] = await timeIt(() => db.exec('ANALYZE log_events'));
  console.log(`  ANALYZE: ${seconds(analyzeMs)}`);
  return indexes;
}

async function measure(db: Db, label: string, endMs: number, runs: number) {
  const logs = createLogService({ events: createEventsRepo(db), rollups: createRollupsRepo(db), db, searchTimeoutMs: TIMEOUT_MS, pivotMax: 1000, eventListMaxBytes: 16 << 20 });
  console.log(`\n${label} (${runs} runs each, budget ${TIMEOUT_MS} ms, first page of 50)`);
  console.log('  query                        range    p50 ms   p95 ms   p99 ms   page  total');
  for (const { kind, q } of QUERIES) {
    for (const ranged of [false, true]) {
      const query = { q, page: 1, per_page: 50, ...(ranged ? { since: endMs - 3_600_000, until: endMs } : {}) };
      const times: number[] = [];
      let shown = '';
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        try {
          const page = await logs.search(query);
          times.push(performance.now() - t);
          shown = `${String(page.items.length).padStart(5)}  ${page.total}${page.total_exact ? '' : '+ (lower bound)'}`;
        } catch (err) {
          if ((err as { code?: string }).code !== 'SEARCH_TIMEOUT') throw err;
          shown = `timed out after ${TIMEOUT_MS} ms`;
          break;
        }
      }
      times.sort((a, b) => a - b);
      const p = (n: number) => (times.length ? percentile(times, n).toFixed(1) : '-').padStart(8);
      console.log(`  ${`${kind} "${q}"`.padEnd(28)} ${(ranged ? '1 h' : 'all').padEnd(5)} ${p(50)} ${p(95)} ${p(99)}  ${shown}`);
    }
  }
}

async function main() {
  const scratch = await pgSchema('bench_search');
  if (!scratch) {
    console.log('DATABASE_URL is not set: this bench needs a PostgreSQL server');
    return;
  }
  const db = await openDb({ databaseUrl: scratch.env.DATABASE_URL, dataDir: ':memory:', schema: scratch.env.DATABASE_SCHEMA, poolSize: 4, boundedPoolSize: 2 });
  try {
    await migrate(db);
    const endMs = Date.now();
    await fill(db, endMs);
    const { rows: sizes } = await db.query<{ table: string; search: string | null }>(
      "SELECT pg_size_pretty(pg_table_size('log_events')) AS table, pg_size_pretty(pg_relation_size(to_regclass('log_events_search_idx'))) AS search",
    );
    console.log(`sizes: table ${sizes[0]?.table}, search index ${sizes[0]?.search ?? 'absent'}`);
    await measure(db, 'with the trigram index', endMs, RUNS);
    if (BASELINE) {
      await db.exec('DROP INDEX log_events_search_idx');
      await measure(db, 'baseline without the trigram index', endMs, Math.min(RUNS, 3));
    }
  } finally {
    await db.close();
    await scratch.drop();
  }
}

await main();
