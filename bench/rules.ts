// Rule-count scaling of the correlation engine (engine alone: no bus, no store). The rule
// set is the 20 correlation rules of bench/correlation.ts plus N single-event rules shaped
// like imported Sigma process-creation rules (an image's last path segment, command-line
// fragments, original file names, parent images; a tenth match on the command line only,
// so no index can skip them). The event stream is the correlation mix with 30 % process
// starts over 2,000 program names. Prints events/s for N = 0, 100, 250, 500, 1000, with the
// second-level rule index and without it (every rule of an event's type is offered the
// event), so the cost per added rule is visible. Prints numbers, never asserts.
// `--sigma DIR`: the N single-event rules are instead the first N that the Sigma importer
// translates from DIR (e.g. a checkout's rules/windows/process_creation), and half of the
// process starts run common Windows programs those rules watch.
//   node --import tsx [--expose-gc] bench/rules.ts [--events 200000] [--counts 0,500] [--indexed-only] [--sigma DIR]
import { createCorrelationEngine, toEngineEvent, type EngineEvent, type EngineEventInput } from '../server/src/engine/correlation/index.ts';
import { loadRules, type CompiledRule } from '../server/src/engine/rules/index.ts';
import fs from 'node:fs';
import path from 'node:path';
import { translateSigma } from '../server/src/engine/sigma/index.ts';
import { START_MS, compileRules, makeBusEvent, rng } from './correlation-workload.ts';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const EVENTS = Number(option('--events') ?? 200_000);
const COUNTS = (option('--counts') ?? '0,100,250,500,1000').split(',').map(Number);
const RUNS = 3;
const SIGMA_DIR = option('--sigma');
const WINDOWS = ['cmd.exe', 'powershell.exe', 'rundll32.exe', 'regsvr32.exe', 'mshta.exe', 'certutil.exe', 'wmic.exe', 'bitsadmin.exe', 'net.exe',
  'net1.exe', 'schtasks.exe', 'reg.exe', 'sc.exe', 'whoami.exe', 'msiexec.exe', 'cscript.exe', 'wscript.exe', 'explorer.exe', 'svchost.exe',
  'conhost.exe', 'taskkill.exe', 'vssadmin.exe', 'wevtutil.exe', 'nltest.exe', 'curl.exe', 'forfiles.exe', 'msbuild.exe', 'installutil.exe'];

const PROGRAMS = Array.from({ length: 2000 }, (_, i) => `tool${i}.exe`);
const DIRS = ['C:\\Windows\\System32\\', 'C:\\Windows\\SysWOW64\\', 'C:\\Users\\Public\\', 'C:\\ProgramData\\', 'C:\\Program Files\\App\\'];
const FRAGMENTS = ['-enc', '/c', 'http://', 'downloadstring', 'bypass', '-nop', 'hidden', 'urlcache', 'add', 'create', '/s', 'shadowcopy', 'delete', 'export', 'dump'];

/** N single-event rules; rule i watches program i (so a program is watched by at most one rule). */
function singleRules(n: number, rand: () => number): Array<{ name: string; conditions: Record<string, unknown> }> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const image = PROGRAMS[i]!;
    const roll = rand();
    let filter: Record<string, unknown>;
    if (roll < 0.55) filter = { 'process.executable': { endswith: `\\${image}` }, 'process.command_line': { contains: [pick(FRAGMENTS), pick(FRAGMENTS)] } };
    else if (roll < 0.7) filter = { any: [{ 'process.executable': { endswith: `\\${image}` } }, { 'process.pe.original_file_name': image.toUpperCase() }], 'process.command_line': { contains: pick(FRAGMENTS) } };
    else if (roll < 0.8) filter = { 'process.parent.executable': { endswith: `\\${pick(PROGRAMS)}` }, 'process.executable': { endswith: [`\\${image}`, `\\${PROGRAMS[(i + 1) % PROGRAMS.length]}`] } };
    else if (roll < 0.9) filter = { 'process.executable': { wildcard: `C:\\\\Windows\\\\*\\\\${image}` }, not: { 'user.name': { in: ['SYSTEM', 'LOCAL SERVICE'] } } };
    else filter = { 'process.command_line': { contains: [`${pick(FRAGMENTS)} ${i}`, `payload-${i}`], of: 'all' } };
    return { name: `single ${i}`, conditions: { event_filter: { event_type: 'process_start', ...filter } } };
  });
}

function processEvent(i: number, timeMs: number, rand: () => number, base: EngineEventInput): EngineEventInput {
  // Long tail: a few programs run most of the time.
  const image = SIGMA_DIR !== undefined && rand() < 0.5 ? WINDOWS[Math.floor(WINDOWS.length * rand())]! : PROGRAMS[Math.floor(PROGRAMS.length * rand() ** 2)]!;
  const parent = PROGRAMS[Math.floor(PROGRAMS.length * rand() ** 2)]!;
  const dir = DIRS[Math.floor(rand() * DIRS.length)]!;
  return {
    ...base,
    event_type: 'process_start',
    source_type: 'endpoint',
    fields: {
      'process.executable': `${dir}${image}`,
      'process.name': image,
      'process.pe.original_file_name': image.toUpperCase(),
      'process.parent.executable': `${dir}${parent}`,
      'process.command_line': `${image} ${FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]} ${Math.floor(rand() * 1000)}`,
      'user.name': rand() < 0.3 ? 'SYSTEM' : `user${Math.floor(rand() * 50)}`,
    },
  };
}

function generate(n: number): EngineEvent[] {
  const rand = rng(42);
  let t = START_MS;
  const out: EngineEvent[] = [];
  for (let i = 0; i < n; i++) {
    t += Math.floor(rand() * 10);
    const base = makeBusEvent(i, t, rand);
    out.push(toEngineEvent(rand() < 0.3 ? processEvent(i, t, rand, base) : base));
  }
  return out;
}

/** The first n single-event rules the Sigma importer makes of the files under dir. */
function sigmaRules(dir: string, n: number): Array<{ name: string; conditions: Record<string, unknown> }> {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => ({ name: f, content: fs.readFileSync(path.join(dir, f), 'utf8') }));
  const out: Array<{ name: string; conditions: Record<string, unknown> }> = [];
  for (const r of translateSigma(files)) {
    if (out.length >= n) break;
    if (r.outcome === 'translated' && r.rule.rule_type === 'single') out.push({ name: r.rule.name, conditions: r.rule.conditions as Record<string, unknown> });
  }
  return out;
}

function ruleSet(n: number): CompiledRule[] {
  const singles = SIGMA_DIR === undefined ? singleRules(n, rng(n + 1)) : sigmaRules(SIGMA_DIR, n);
  const stored = singles.map(({ name, conditions }, i) => ({
    id: (0xdef000 + i).toString(16).padStart(24, '0'),
    name,
    rule_type: 'single',
    conditions,
    severity: 'high' as const,
    mitre_tactic: null,
    mitre_technique: null,
    cooldown_seconds: null,
  }));
  const { rules, failures } = loadRules(stored);
  if (failures.length > 0) throw new Error(`bench rules rejected: ${failures[0]!.message}`);
  return [...compileRules(null), ...rules];
}

/** The same rules with their anchors removed: the engine then offers every event of a type to every rule of it. */
const unindexed = (rules: CompiledRule[]): CompiledRule[] => rules.map((r) => ({ ...r, anchors: [] }));

const gc = (globalThis as { gc?: () => void }).gc;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function measure(rules: CompiledRule[], events: EngineEvent[]): { wall: number; cpu: number; fired: number } {
  const engine = createCorrelationEngine({ cooldownMs: 300_000 });
  engine.setRules(rules);
  const span = events[events.length - 1]!.timeMs - events[0]!.timeMs + 10;
  let best = { wall: 0, cpu: 0, fired: 0 };
  for (let run = 0; run < RUNS + 2; run++) {
    if (run > 0) for (const e of events) (e as { timeMs: number }).timeMs += span;
    gc?.();
    let fired = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < events.length; i++) fired += engine.process(events[i]!).length;
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    const result = { wall: (events.length / ms) * 1000, cpu: (events.length / ((used.user + used.system) / 1000)) * 1000, fired };
    // The first two runs warm the JIT; firings are those of the last run (state carries over runs).
    if (run >= 2 && result.cpu > best.cpu) best = { ...result, fired: best.fired };
    if (run === RUNS + 1) best.fired = fired;
  }
  return best;
}

const events = generate(EVENTS);
console.log(`rules bench: ${fmt(EVENTS)} events (30 % process starts), 20 correlation rules + N single-event rules${SIGMA_DIR ? ` imported from ${SIGMA_DIR}` : ''}, best of ${RUNS} runs, node ${process.version}`);
console.log('  N single   indexed: events/s (per CPU s)      unindexed: events/s (per CPU s)   firings/run');
for (const n of COUNTS) {
  const rules = ruleSet(n);
  const indexed = measure(rules, events);
  const plain = args.includes('--indexed-only') ? indexed : measure(unindexed(rules), events);
  console.log(`  ${String(n).padStart(8)}   ${fmt(indexed.wall).padStart(9)} (${fmt(indexed.cpu).padStart(9)})      ${fmt(plain.wall).padStart(9)} (${fmt(plain.cpu).padStart(9)})      ${fmt(indexed.fired)}${indexed.fired === plain.fired ? '' : ` (unindexed: ${fmt(plain.fired)}!)`}`);
}
