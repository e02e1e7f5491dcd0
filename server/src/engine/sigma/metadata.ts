// The parts of a Sigma rule that are not detection logic: title -> name, level -> severity,
// ATT&CK tags -> tactic and technique ids, and the origin record kept with the imported rule.
import { ruleTagsFrom } from '@siem/contracts';
import type { Severity } from '@siem/contracts';
import { SigmaRefusal, type SigmaOrigin } from './types.ts';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 10_000;

const LEVELS: Readonly<Record<string, Severity>> = { informational: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

const TACTICS: Readonly<Record<string, string>> = {
  reconnaissance: 'TA0043',
  resource_development: 'TA0042',
  initial_access: 'TA0001',
  execution: 'TA0002',
  persistence: 'TA0003',
  privilege_escalation: 'TA0004',
  defense_evasion: 'TA0005',
  // ATT&CK v18 names TA0005 "Stealth"; its new Defense Impairment tactic is left unmapped until its id is settled here.
  stealth: 'TA0005',
  credential_access: 'TA0006',
  discovery: 'TA0007',
  lateral_movement: 'TA0008',
  collection: 'TA0009',
  command_and_control: 'TA0011',
  exfiltration: 'TA0010',
  impact: 'TA0040',
};

const text = (v: unknown): string | null => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? String(v) : null);
const textList = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(text).filter((s): s is string => s !== null);

export interface RuleMetadata {
  name: string;
  description: string;
  severity: Severity;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  mitre_techniques: string[];
  tags: string[];
  origin: SigmaOrigin;
}

export function readTitle(doc: Record<string, unknown>): string {
  const title = text(doc.title)?.trim();
  if (!title) throw new SigmaRefusal('title is required', { field: 'title' });
  return title;
}

export function readMetadata(doc: Record<string, unknown>, logsource: Record<string, string>, warnings: string[]): RuleMetadata {
  const title = readTitle(doc);
  const level = text(doc.level)?.trim().toLowerCase() ?? null;
  let severity: Severity = 'medium';
  if (level === null) warnings.push('no level: imported with severity medium');
  else if (LEVELS[level]) severity = LEVELS[level]!;
  else warnings.push(`unknown level '${level}': imported with severity medium`);
  const tags = textList(doc.tags);
  const techniques: string[] = [];
  let tactic: string | null = null;
  for (const tag of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag.trim());
    if (m) {
      const id = m[1]!.toUpperCase();
      if (!techniques.includes(id)) techniques.push(id);
      continue;
    }
    const t = /^attack\.([a-z_-]+)$/i.exec(tag.trim());
    const ta = t ? TACTICS[t[1]!.toLowerCase().replaceAll('-', '_')] : undefined;
    if (ta && tactic === null) tactic = ta;
  }
  const status = text(doc.status);
  if (status === 'deprecated' || status === 'unsupported') warnings.push(`the Sigma rule's status is '${status}'`);
  if (title.length > NAME_MAX) warnings.push(`title cut to ${NAME_MAX} characters`);
  return {
    name: title.slice(0, NAME_MAX),
    description: (text(doc.description) ?? '').slice(0, DESCRIPTION_MAX),
    severity,
    mitre_tactic: tactic,
    mitre_technique: techniques[0] ?? null,
    mitre_techniques: techniques,
    tags: ruleTagsFrom(tags),
    origin: {
      kind: 'sigma',
      id: text(doc.id),
      status,
      author: text(doc.author),
      references: textList(doc.references),
      false_positives: textList(doc.falsepositives),
      tags,
      level,
      date: text(doc.date),
      modified: text(doc.modified),
      logsource,
    },
  };
}

/** logsource as strings (product, category, service, definition...). */
export function readLogsource(doc: Record<string, unknown>): Record<string, string> {
  const ls = doc.logsource;
  if (ls === undefined || ls === null) return {};
  if (typeof ls !== 'object' || Array.isArray(ls)) throw new SigmaRefusal('logsource must be a map', { field: 'logsource' });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ls as Record<string, unknown>)) {
    const t = text(v);
    if (t !== null) out[k] = t;
  }
  return out;
}
