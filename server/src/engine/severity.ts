// Severity classification: two exact event_type tables, then keyword
// tiers over one lower-cased text. Every pattern is compiled once from the constant
// stems below; nothing derived from an event ever becomes a regular expression.
import type { Severity } from '@siem/contracts';

const HIGH_EVENT_TYPES: ReadonlySet<string> = new Set([
  'privilege_escalation',
  'data_exfiltration',
  'c2_communication',
  'reverse_shell',
]);
const MEDIUM_EVENT_TYPES: ReadonlySet<string> = new Set(['login_failure', 'port_scan', 'firewall_deny', 'ids_alert']);

/** Stems as the v1 contract writes them: `~` is "at most one arbitrary character". */
export const SEVERITY_TIERS: ReadonlyArray<{ severity: Severity; stems: readonly string[] }> = [
  {
    severity: 'critical',
    stems: ['privilege~escalat', 'root~compromise', 'data~exfiltrat', 'ransomware', 'command~and~control', 'c2~beacon'],
  },
  {
    severity: 'high',
    stems: ['brute~force', 'lateral~movement', 'reverse~shell', 'malware', 'exploit', 'unauthorized~access'],
  },
  { severity: 'medium', stems: ['login~fail', 'authentication~fail', 'suspicious', 'port~scan', 'denied', 'blocked'] },
  { severity: 'low', stems: ['warning', 'policy~violation', 'anomal'] },
];

// The text fields, in the contract's order. A top-level `message` counts only through
// normalized.message, i.e. for generic events.
const TEXT_KEYS = ['message', 'signature_name', 'classification', 'command_line'] as const;

// Stems are plain lowercase letters/digits plus `~`; escaping anyway keeps the compiler
// safe should someone add a stem with a metacharacter.
function stemToSource(stem: string): string {
  return stem
    .split('~')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.?');
}

// `.` without the s flag does not cross a line break, and the parts are joined with
// "\n", so `~` never bridges two fields ("...privilege" + "escalation..." stays apart).
// That matches the legacy Python `re.search`, whose `.` also stops at newlines.
const TIER_PATTERNS = SEVERITY_TIERS.map(({ severity, stems }) => ({
  severity,
  pattern: new RegExp(stems.map(stemToSource).join('|')),
}));
// One pass that rejects the common benign event before any per-tier scan.
const ANY_STEM = new RegExp(SEVERITY_TIERS.flatMap((t) => t.stems.map(stemToSource)).join('|'));

export interface SeverityInput {
  event_type: string | null;
  normalized: Record<string, unknown>;
}

export function classifySeverity(input: SeverityInput): Severity {
  const eventType = input.event_type;
  if (eventType !== null) {
    if (HIGH_EVENT_TYPES.has(eventType)) return 'high';
    if (MEDIUM_EVENT_TYPES.has(eventType)) return 'medium';
  }
  const text = buildText(eventType, input.normalized);
  if (text === '' || !ANY_STEM.test(text)) return 'info';
  for (const { severity, pattern } of TIER_PATTERNS) {
    if (pattern.test(text)) return severity;
  }
  return 'info';
}

/** The lower-cased text the tiers scan; only string values count. */
export function buildText(eventType: string | null, normalized: Record<string, unknown>): string {
  let text = typeof eventType === 'string' ? eventType : '';
  for (const key of TEXT_KEYS) {
    const value = normalized[key];
    if (typeof value === 'string' && value !== '') text = text === '' ? value : `${text}\n${value}`;
  }
  return text.toLowerCase();
}
