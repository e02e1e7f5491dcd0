// Correlation engine throughput and memory, engine alone (no bus, no store). Default mode:
// 200,000 synthetic events through 20 rules of the three types, best of several timed runs
// after a warm-up, plus heap/RSS. `--memory [--seconds N]`: an endless stream over 100,000
// distinct group values, heapUsed printed every few seconds (run with --expose-gc for
// settled figures). `--late`: the same mix where a fifth of the events come from a source
// whose clock runs an hour behind (a shipper catching up), interleaved with live traffic.
// Prints numbers, never asserts.
//   node --import tsx [--expose-gc] bench/correlation.ts [--only threshold,aggregation,sequence] [--late] [--lateness S]
//   node --import tsx [--expose-gc] bench/correlation.ts --memory [--seconds 60]
import { createCorrelationEngine, toEngineEvent, type EngineEvent, type EngineEventInput } from '../server/src/engine/correlation/index.ts';
import { loadRules, type CompiledRule, type StoredRule } from '../server/src/engine/rules/index.ts';

const EVENTS = 200_000;
const RUNS = 5;
const START_MS = Date.UTC(2026, 2, 1);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Long-tail pools: index = floor(size * r^3) puts most traffic on a few heads.
const ipPool = (prefix: string, size: number) => Array.from({ length: size }, (_, i) => `${prefix}.${(i >> 8) & 255}.${i & 255}`);
const EXTERNAL = ipPool('203.0', 50_000);
const INTERNAL = ipPool('10.1', 5_000);
const LAGGING = ipPool('198.19', 50_000);
const USERS = Array.from({ length: 2_000 }, (_, i) => (i < 10 ? ['root', 'admin', 'alice', 'bob', 'carol', 'svc-backup', 'svc-deploy', 'dave', 'eve', 'mallory'][i]! : `user${i}`));
const HOSTS = Array.from({ length: 500 }, (_, i) => `host-${i}`);
const PORTS = [22, 80, 443, 3389, 445, 8080, 25, 53, 3306, 5432, 6379, 9200, 21, 23, 135, 139, 1433, 5900, 8443, 27017];
const DOMAINS = ['example.com', 'updates.example.net', 'cdn.example.org', 'mail.example.com'];

// event_type mix (cumulative weights out of 100).
const MIX: Array<[string, number]> = [
  ['login_failure', 20], ['login_success', 28], ['firewall_deny', 43], ['connection', 58], ['dns_query', 73],
  ['http_request', 85], ['process_start', 93], ['ids_alert', 98], ['port_scan', 100],
];

function makeBusEvent(i: number, timeMs: number, rand: () => number, distinctGroups = 0): EngineEventInput {
  const tail = <T>(pool: T[]) => pool[Math.floor(pool.length * rand() ** 3)]!;
  const pick = <T>(pool: T[]) => pool[Math.floor(pool.length * rand())]!;
  const roll = rand() * 100;
  const type = MIX.find(([, upTo]) => roll < upTo)![0];
  const external = distinctGroups > 0 ? `198.18.${(i % distinctGroups) >> 8}.${i % distinctGroups & 255}` : tail(EXTERNAL);
  const sourceIp = type === 'dns_query' || type === 'http_request' || (type === 'connection' && rand() < 0.5) ? tail(INTERNAL) : external;
  const normalized: Record<string, unknown> = {};
  let severity = 'info';
  if (type === 'dns_query') normalized.query = `${Math.floor(rand() * 1e6).toString(36)}.${pick(DOMAINS)}`;
  if (type === 'http_request') normalized.bytes_transferred = Math.floor(rand() * 100_000);
  if (type === 'process_start') normalized.command_line = rand() < 0.05 ? 'powershell -enc SQBFAFgA' : 'powershell Get-Process';
  if (type === 'ids_alert') {
    normalized.signature_name = rand() < 0.1 ? 'ET EXPLOIT possible exploit attempt' : 'ET SCAN Potential SSH Scan';
    severity = 'high';
  }
  if (type === 'login_failure' || type === 'firewall_deny') severity = 'medium';
  return {
    id: (0x6650000000 + i).toString(16).padStart(24, '0'),
    timestamp: new Date(timeMs).toISOString(),
    source_type: 'generic',
    severity,
    event_type: type,
    source_ip: sourceIp,
    dest_ip: `10.0.${Math.floor(rand() * 4)}.${Math.floor(rand() * 250)}`,
    source_port: 1024 + Math.floor(rand() * 60_000),
    dest_port: pick(PORTS),
    hostname: tail(HOSTS),
    username: tail(USERS),
    mitre_tactic: null,
    mitre_technique: null,
    scenario_run_id: null,
    normalized,
  };
}

const T = (event_type: unknown, threshold: number, window_seconds: number, group_by: string, extra: Record<string, unknown> = {}) => ({
  event_filter: { event_type, ...extra },
  threshold,
  window_seconds,
  group_by,
});
const D = (event_type: unknown, field: string, threshold: number, window_seconds: number, group_by: string, extra: Record<string, unknown> = {}) => ({
  event_filter: { event_type, ...extra },
  aggregation: 'count_distinct',
  aggregation_field: field,
  threshold,
  window_seconds,
  group_by,
});
const S = (steps: Array<[Record<string, unknown>, number]>, window_seconds: number, group_by: string) => ({
  steps: steps.map(([event_filter, count]) => ({ event_filter, count })),
  window_seconds,
  group_by,
});

const RULES: Array<[string, StoredRule['rule_type'], unknown]> = [
  ['SSH brute force', 'threshold', T('login_failure', 10, 60, 'source_ip')],
  ['Failures per user', 'threshold', T('login_failure', 20, 300, 'username')],
  ['Firewall deny burst', 'threshold', T('firewall_deny', 50, 60, 'source_ip')],
  ['RDP/SMB connections', 'threshold', T('connection', 5, 60, 'source_ip', { dest_port: { in: ['3389', '445'] } })],
  ['DNS burst', 'threshold', T('dns_query', 100, 60, 'source_ip')],
  ['IDS exploit', 'threshold', T('ids_alert', 3, 600, 'dest_ip', { 'normalized.signature_name': { contains: 'exploit' } })],
  ['Encoded PowerShell', 'threshold', T('process_start', 1, 60, 'hostname', { 'normalized.command_line': { contains: '-enc' } })],
  ['Large transfers', 'threshold', T('http_request', 5, 300, 'username', { 'normalized.bytes_transferred': { gt: 90_000 } })],
  ['High severity per host (any type)', 'threshold', { event_filter: { severity: { in: ['high', 'critical'] } }, threshold: 20, window_seconds: 60, group_by: 'hostname' }],
  ['Password spray', 'aggregation', D('login_failure', 'username', 10, 300, 'source_ip')],
  ['Port scan', 'aggregation', D({ in: ['firewall_deny', 'connection'] }, 'dest_port', 15, 60, 'source_ip')],
  ['Host sweep', 'aggregation', D('connection', 'dest_ip', 20, 120, 'source_ip')],
  ['DNS tunnelling', 'aggregation', D('dns_query', 'normalized.query', 50, 60, 'source_ip')],
  ['User on many hosts', 'aggregation', D('login_success', 'hostname', 5, 600, 'username')],
  ['Internal fan-out', 'aggregation', D('connection', 'dest_port', 10, 300, 'source_ip', { source_ip: { cidr: '10.0.0.0/8' } })],
  ['Brute force then success', 'sequence', S([[{ event_type: 'login_failure' }, 5], [{ event_type: 'login_success' }, 1]], 300, 'source_ip')],
  ['Recon then exploit', 'sequence', S([[{ event_type: 'port_scan' }, 1], [{ event_type: 'ids_alert' }, 1]], 600, 'source_ip')],
  ['Login then encoded shell', 'sequence', S([[{ event_type: 'login_success' }, 1], [{ event_type: 'process_start', 'normalized.command_line': { contains: '-enc' } }, 1]], 600, 'username')],
  ['Failures, success, process', 'sequence', S([[{ event_type: 'login_failure' }, 3], [{ event_type: 'login_success' }, 1], [{ event_type: 'process_start' }, 1]], 900, 'username')],
  ['Deny then connect', 'sequence', S([[{ event_type: 'firewall_deny' }, 3], [{ event_type: 'connection' }, 1]], 120, 'source_ip')],
];

/** `--only threshold,sequence`: a subset of the rules, to see what each type costs. */
function compileRules(only: string[] | null): CompiledRule[] {
  const { rules, failures } = loadRules(
    RULES.filter(([, type]) => only === null || only.includes(type)).map(([name, rule_type, conditions], i) => ({
      id: (0xabc000 + i).toString(16).padStart(24, '0'),
      name,
      rule_type,
      conditions,
      severity: 'high',
      mitre_tactic: null,
      mitre_technique: null,
      cooldown_seconds: null,
    })),
  );
  if (failures.length > 0) throw new Error(`bench rules rejected: ${failures.map((f) => `${f.ruleName}: ${f.message}`).join('; ')}`);
  return rules;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} events/s`;
const gc = (globalThis as { gc?: () => void }).gc;

/** Event time advances 0-10 ms per event (about 1,000 s in all); 1% arrive up to 2 s late. */
function generate(n: number, seed: number): EngineEventInput[] {
  const rand = rng(seed);
  let t = START_MS;
  const out: EngineEventInput[] = [];
  for (let i = 0; i < n; i++) {
    t += Math.floor(rand() * 10);
    out.push(makeBusEvent(i, rand() < 0.01 ? t - Math.floor(rand() * 2000) : t, rand));
  }
  return out;
}

/**
 * As generate, but a fifth of the events come from a lagging source: its own addresses
 * (198.19.x.x), its own clock one hour behind the live one, interleaved at random.
 */
function generateLate(n: number, seed: number): EngineEventInput[] {
  const rand = rng(seed);
  let t = START_MS + 3_600_000;
  let lagging = START_MS;
  const out: EngineEventInput[] = [];
  for (let i = 0; i < n; i++) {
    if (rand() < 0.2) {
      lagging += Math.floor(rand() * 40); // keeps pace with the live clock (a fifth of the events)
      const e = makeBusEvent(i, lagging, rand);
      out.push({ ...e, source_ip: LAGGING[Math.floor(LAGGING.length * rand() ** 3)]! });
    } else {
      t += Math.floor(rand() * 10);
      out.push(makeBusEvent(i, rand() < 0.01 ? t - Math.floor(rand() * 2000) : t, rand));
    }
  }
  return out;
}

function throughput(only: string[] | null, late: boolean): void {
  const rules = compileRules(only);
  let bus: EngineEventInput[] | null = late ? generateLate(EVENTS, 42) : generate(EVENTS, 42);
  const t0 = performance.now();
  const events: EngineEvent[] = bus.map(toEngineEvent);
  const parseMs = performance.now() - t0;
  bus = null; // only the engine events stay alive: less for every GC to walk

  // One engine for every run, as in a live process: each run replays the batch shifted
  // forward in event time (outside the timed loop), so state, slabs and pools are warm.
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const engine = createCorrelationEngine({ cooldownMs: 300_000, ...engineOptions });
  engine.setRules(rules);
  const span = events[events.length - 1]!.timeMs - events[0]!.timeMs + 10; // a continuous stream
  let shift = 0;
  const runOnce = () => {
    if (shift > 0) for (const e of events) (e as { timeMs: number }).timeMs += span;
    shift++;
    gc?.(); // collect the harness's own garbage outside the timed loop
    let fired = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < events.length; i++) fired += engine.process(events[i]!).length;
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000, fired };
  };

  for (let i = 0; i < 3; i++) runOnce(); // warm-up: let the JIT settle on every path
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let last = runOnce();
  for (let i = 0; i < RUNS; i++) {
    if (i > 0) last = runOnce();
    times.push(last.ms);
    cpuTimes.push(last.cpuMs);
  }
  cpuTimes.sort((a, b) => a - b);
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  const stats = engine.stats();
  const count = (type: string) => rules.filter((r) => r.ruleType === type).length;
  if (late) console.log('late workload: a fifth of the events from a source one hour behind the live one, interleaved');
  console.log(`correlation bench: ${EVENTS.toLocaleString('en-US')} events, ${rules.length} rules (${count('threshold')} threshold, ${count('aggregation')} aggregation, ${count('sequence')} sequence), node ${process.version}`);
  console.log(`  engine.process   best ${rate(EVENTS, times[0]!)}   median ${rate(EVENTS, times[Math.floor(times.length / 2)]!)}   (${RUNS} runs of the batch after 3 warm-up runs, one live engine)`);
  console.log(`  per CPU second   best ${rate(EVENTS, cpuTimes[0]!)}   median ${rate(EVENTS, cpuTimes[Math.floor(cpuTimes.length / 2)]!)}   (process CPU incl. GC threads; steadier on a shared machine)`);
  console.log(`  toEngineEvent    ${rate(EVENTS, parseMs)} (timestamp parse + copy, once per event, cold)`);
  console.log(`  firings per run  ${last.fired.toLocaleString('en-US')}`);
  console.log(`  end state        groups ${stats.groups.toLocaleString('en-US')}, tracked events ${stats.trackedEvents.toLocaleString('en-US')}, evicted over all runs ${stats.evictedGroups.toLocaleString('en-US')}, errors ${stats.errors}`);
  const n = (v: number | undefined) => (v ?? 0).toLocaleString('en-US');
  console.log(`  late and caps    late events ${n(stats.lateEvents)}, capped groups ${n(stats.cappedGroups)}, capped cooldowns ${n(stats.cappedCooldowns)}, capped events ${n(stats.cappedEvents)}`);
  console.log(`  heap used        ${mb(heapAfter)} (engine state ~${mb(Math.max(0, heapAfter - heapBefore))}${gc ? '' : '; run with --expose-gc for settled figures'})`);
  console.log(`  peak RSS         ${mb(process.resourceUsage().maxRSS * 1024)} (includes the 200k pre-built events)`);
}

function memory(seconds: number): void {
  const rules = compileRules(null);
  const engine = createCorrelationEngine({ cooldownMs: 300_000, ...engineOptions });
  engine.setRules(rules);
  const rand = rng(7);
  const started = performance.now();
  let nextReport = started;
  let t = START_MS;
  let i = 0;
  console.log(`memory mode: ${seconds} s, 100,000 distinct external source IPs, event time +1 ms per event`);
  for (;;) {
    for (let k = 0; k < 10_000; k++, i++) {
      t += 1;
      engine.process(toEngineEvent(makeBusEvent(i, t, rand, 100_000)));
    }
    const now = performance.now();
    if (now >= nextReport) {
      gc?.();
      const s = engine.stats();
      const elapsed = ((now - started) / 1000).toFixed(0).padStart(4);
      console.log(`  ${elapsed} s  events ${i.toLocaleString('en-US').padStart(12)}  heapUsed ${mb(process.memoryUsage().heapUsed).padStart(9)}  groups ${s.groups.toLocaleString('en-US').padStart(8)}  tracked ${s.trackedEvents.toLocaleString('en-US').padStart(9)}`);
      nextReport += 5000;
    }
    if (now - started >= seconds * 1000) break;
  }
  console.log(`  peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}${gc ? '' : ' (run with --expose-gc for settled heap figures)'}`);
}

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
// `--lateness S`: CORRELATION_MAX_LATENESS_SECONDS for the engine (default: the engine's, 24 h).
const lateness = option('--lateness');
const engineOptions = lateness === undefined ? {} : { maxLatenessMs: Number(lateness) * 1000 };
if (lateness !== undefined) console.log(`max lateness ${lateness} s`);
if (args.includes('--memory')) {
  memory(Number(option('--seconds') ?? 60));
} else {
  throughput(option('--only')?.split(',') ?? null, args.includes('--late'));
}
