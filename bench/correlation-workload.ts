// The synthetic workload of the correlation benchmarks: a long-tail event mix over nine
// event types and the 20 rules of the three correlation types that watch it.
import type { EngineEventInput } from '../server/src/engine/correlation/index.ts';
import { loadRules, type CompiledRule, type StoredRule } from '../server/src/engine/rules/index.ts';

export const START_MS = Date.UTC(2026, 2, 1);

export function rng(seed: number) {
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
export const LAGGING = ipPool('198.19', 50_000);
const USERS = Array.from({ length: 2_000 }, (_, i) => (i < 10 ? ['root', 'admin', 'alice', 'bob', 'carol', 'svc-backup', 'svc-deploy', 'dave', 'eve', 'mallory'][i]! : `user${i}`));
const HOSTS = Array.from({ length: 500 }, (_, i) => `host-${i}`);
const PORTS = [22, 80, 443, 3389, 445, 8080, 25, 53, 3306, 5432, 6379, 9200, 21, 23, 135, 139, 1433, 5900, 8443, 27017];
const DOMAINS = ['example.com', 'updates.example.net', 'cdn.example.org', 'mail.example.com'];

// event_type mix (cumulative weights out of 100).
const MIX: Array<[string, number]> = [
  ['login_failure', 20], ['login_success', 28], ['firewall_deny', 43], ['connection', 58], ['dns_query', 73],
  ['http_request', 85], ['process_start', 93], ['ids_alert', 98], ['port_scan', 100],
];

export function makeBusEvent(i: number, timeMs: number, rand: () => number, distinctGroups = 0): EngineEventInput {
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

export const RULES: Array<[string, StoredRule['rule_type'], unknown]> = [
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
export function compileRules(only: string[] | null): CompiledRule[] {
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

/** Event time advances 0-10 ms per event (about 1,000 s in all); 1% arrive up to 2 s late. */
export function generate(n: number, seed: number): EngineEventInput[] {
  const rand = rng(seed);
  let t = START_MS;
  const out: EngineEventInput[] = [];
  for (let i = 0; i < n; i++) {
    t += Math.floor(rand() * 10);
    out.push(makeBusEvent(i, rand() < 0.01 ? t - Math.floor(rand() * 2000) : t, rand));
  }
  return out;
}

