// Test helper: plays a playbook the way the runner does, without timers. Each event's time
// is the previous one plus delay / speed (optionally jittered like the runner), the event
// goes through the real ingest preparation, and the stored events run through the real
// correlation engine with the shipped rules.
import type { LogEvent } from '@siem/contracts';
import { createCorrelationEngine, toEngineEvent, type Firing } from '../../src/engine/correlation/index.ts';
import { ipInCidr } from '../../src/engine/normalize/index.ts';
import { loadRules } from '../../src/engine/rules/load.ts';
import type { Metrics } from '../../src/metrics.ts';
import { DEFAULT_RULES, type DefaultRule } from '../../src/scenarios/default-rules.ts';
import type { Playbook } from '../../src/scenarios/loader.ts';
import type { EventWriter } from '../../src/services/event-writer.ts';
import { createIngestService } from '../../src/services/ingest.ts';
import type { IntakeService } from '../../src/services/intake.ts';
import { newEventToLogEvent } from '../../src/store/events-repo.ts';

export const COOLDOWN_MS = 300_000;

let nowMs = 0;
// prepare() is pure apart from its clock; writer and metrics are only used by ingestOne/bulk.
const ingest = createIngestService({ writer: {} as EventWriter, intake: {} as IntakeService, metrics: {} as Metrics, bulkMax: 10_000, clock: () => nowMs });

export interface Replayed {
  fields: Record<string, unknown>;
  event: LogEvent;
}

/** The event as ingest would store it, received at `atMs`; throws when ingest would refuse it. */
export function ingestAt(fields: Record<string, unknown>, atMs: number, runId?: string): LogEvent {
  nowMs = atMs;
  const prepared = ingest.prepare(fields, runId === undefined ? {} : { scenarioRunId: runId });
  if (!prepared.ok) throw new Error(`ingest refused ${JSON.stringify(fields)}: ${JSON.stringify(prepared.details)}`);
  return newEventToLogEvent(prepared.event);
}

/** mulberry32: a seeded uniform [0, 1) so jittered runs are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulateOptions {
  startMs: number;
  speed: number;
  runId?: string;
  /** Apply the runner's uniform +/-20 % jitter to every pause, with this seed. */
  jitterSeed?: number;
}

export function simulate(playbook: Playbook, opts: SimulateOptions): Replayed[] {
  const random = opts.jitterSeed === undefined ? null : seeded(opts.jitterSeed);
  let t = opts.startMs;
  return playbook.events.map((e) => {
    const pause = (e.delay_seconds * 1000) / opts.speed;
    t += random === null ? pause : pause * (0.8 + 0.4 * random());
    return { fields: e.fields, event: ingestAt(e.fields, Math.round(t), opts.runId ?? 'bbbbbbbbbbbbbbbbbbbbbbbb') };
  });
}

/** The shipped rules compiled with fake ids, as the detection service would load them. */
export function compiledDefaults() {
  const { rules, failures } = loadRules(
    DEFAULT_RULES.map((d, i) => ({ id: (i + 1).toString(16).padStart(24, '0'), ...d.rule })),
  );
  if (failures.length > 0) throw new Error(failures.map((f) => `${f.ruleName}: ${f.message}`).join('\n'));
  return rules;
}

/** Every firing of the shipped rules over these events, fed in time order. */
export function alertsOf(replayed: readonly Replayed[] | readonly LogEvent[]): Firing[] {
  const events = replayed.map((r) => ('event' in r ? r.event : r));
  const ordered = events
    .map((e, i) => ({ e, i, t: Date.parse(e.timestamp) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => toEngineEvent(x.e));
  const engine = createCorrelationEngine({ cooldownMs: COOLDOWN_MS });
  engine.setRules(compiledDefaults());
  const out: Firing[] = [];
  for (const e of ordered) out.push(...engine.process(e));
  return out;
}

export function rulesByKey(): Map<string, DefaultRule> {
  return new Map(DEFAULT_RULES.map((d) => [d.key, d]));
}

/** T1110 is the parent of T1110.001; a technique is its own parent too. */
export const isParentOrSame = (parent: string, child: string) => child === parent || child.startsWith(`${parent}.`);

const ALLOWED_NETWORKS = ['10.0.0.0/8', '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'];
export const ipAllowed = (ip: string) => ALLOWED_NETWORKS.some((net) => ipInCidr(ip, net));
