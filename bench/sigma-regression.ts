// Sigma regression figure: SigmaHQ ships, for some rules, the Windows events they must
// detect (regression_data/**/<event>.json with info.yml naming the rule). Each event is
// shaped as Winlogbeat sends it, goes through our parser, and the imported rule runs on it
// in the engine. Prints how many rules fire on their own positive events. Asserts nothing.
//   node --import tsx bench/sigma-regression.ts <sigma checkout> [--misses]
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { replayRule } from '../server/src/engine/correlation/engine.ts';
import { toEngineEvent, type EngineEvent } from '../server/src/engine/correlation/event.ts';
import { prepareParsed } from '../server/src/engine/normalize/from-parse.ts';
import { parseDocument } from '../server/src/engine/parse/index.ts';
import { describeProblem, prepareRule } from '../server/src/engine/rules/load.ts';
import { translateSigma } from '../server/src/engine/sigma/index.ts';

const root = process.argv[2];
const showMisses = process.argv.includes('--misses');
if (!root) {
  process.stderr.write('usage: node --import tsx bench/sigma-regression.ts <sigma checkout (rules*/ and regression_data/)> [--misses]\n');
  process.exit(2);
}

function* walk(d: string, re: RegExp): Generator<string> {
  for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, entry.name);
    if (entry.isDirectory()) yield* walk(p, re);
    else if (re.test(entry.name)) yield p;
  }
}

const rulesById = new Map<string, string>();
for (const dir of fs.readdirSync(root).filter((d) => d.startsWith('rules'))) {
  for (const file of walk(path.join(root, dir), /\.ya?ml$/)) {
    const id = /^id:\s*(\S+)/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
    if (id) rulesById.set(id, file);
  }
}

type Obj = Record<string, unknown>;
const attr = (v: unknown, name: string) => ((v as Obj | undefined)?.['#attributes'] as Obj | undefined)?.[name];

/** An evtx record as JSON (Event.System / Event.EventData) -> the Winlogbeat document shape. */
function winlogbeat(record: Obj): Obj | null {
  const event = (record.Event ?? record) as Obj;
  const system = event.System as Obj | undefined;
  if (!system) return null;
  const eventId = typeof system.EventID === 'object' ? (system.EventID as Obj)['#text'] : system.EventID;
  const data: Obj = {};
  for (const source of [event.EventData, (event.UserData as Obj | undefined) && Object.values(event.UserData as Obj)[0]]) {
    if (source && typeof source === 'object') {
      for (const [k, v] of Object.entries(source as Obj)) if (k !== '#attributes') data[k] = typeof v === 'number' ? String(v) : v;
    }
  }
  return {
    '@timestamp': attr(system.TimeCreated, 'SystemTime') ?? '2026-01-01T00:00:00Z',
    winlog: { event_id: String(eventId), channel: system.Channel, provider_name: attr(system.Provider, 'Name'), computer_name: system.Computer, event_data: data },
  };
}

function eventsOf(file: string): EngineEvent[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: EngineEvent[] = [];
  for (const chunk of text.split(/\n(?=\{)/)) {
    let record: Obj;
    try {
      record = JSON.parse(chunk) as Obj;
    } catch {
      continue;
    }
    const doc = winlogbeat(record);
    if (!doc) continue;
    const result = parseDocument(doc, { referenceMs: Date.now() });
    const p = prepareParsed({ result, raw: doc, nowMs: Date.now() });
    out.push(toEngineEvent({ ...p, id: (out.length + 1).toString(16).padStart(24, '0'), scenario_run_id: null }));
  }
  return out;
}

let tests = 0;
let fired = 0;
let notImported = 0;
const misses: string[] = [];
for (const info of walk(path.join(root, 'regression_data'), /^info\.yml$/)) {
  const meta = parseYaml(fs.readFileSync(info, 'utf8')) as { rule_metadata?: { id: string; title: string }[] };
  const events = [...walk(path.dirname(info), /\.json$/)].flatMap(eventsOf);
  if (events.length === 0) continue;
  for (const { id, title } of meta.rule_metadata ?? []) {
    const file = rulesById.get(id);
    if (!file) continue;
    tests++;
    const [r] = translateSigma([{ name: file, content: fs.readFileSync(file, 'utf8') }]);
    if (!r || r.outcome !== 'translated') {
      notImported++;
      misses.push(`${title}: not imported (${r && r.outcome === 'refused' ? r.reason : 'no rule'})`);
      continue;
    }
    const prepared = prepareRule({ id: 'f'.repeat(24), name: r.rule.name, rule_type: r.rule.rule_type, conditions: r.rule.conditions, severity: r.rule.severity, mitre_tactic: null, mitre_technique: null });
    if (!prepared.ok) {
      notImported++;
      misses.push(`${title}: refused by the rule check (${describeProblem(prepared.error)})`);
      continue;
    }
    if (replayRule(prepared.rule, events, 0).length > 0) fired++;
    else misses.push(`${title} (${path.relative(root, path.dirname(info))})`);
  }
}
console.log(`Sigma regression events through our Winlogbeat parser and engine`);
console.log(`  rules with positive events: ${tests}, fire: ${fired} (${((100 * fired) / Math.max(1, tests)).toFixed(1)} %), not imported: ${notImported}`);
if (showMisses) for (const m of misses) console.log(`  miss: ${m}`);
