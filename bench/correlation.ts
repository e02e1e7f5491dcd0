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
import { LAGGING, START_MS, compileRules, generate, makeBusEvent, rng } from './correlation-workload.ts';

const EVENTS = 200_000;
const RUNS = 5;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} events/s`;
const gc = (globalThis as { gc?: () => void }).gc;

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
