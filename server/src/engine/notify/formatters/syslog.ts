// Syslog forward: an RFC 5424 line whose message is the alert in CEF. The priority is the
// channel's facility with the alert's severity; CEF escapes keep the line one line.
import type { Severity } from '@siem/contracts';
import type { Formatter } from '../types.ts';

const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };
const CEF_SEVERITY: Record<Severity, number> = { critical: 10, high: 8, medium: 5, low: 3, info: 1 };

/** CEF header fields: backslash and pipe escaped, no line breaks. */
export const cefHeader = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
/** CEF extension values: backslash and equals escaped, line breaks as \n and \r. */
export const cefValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
/** RFC 5424 header fields: printable US-ASCII without spaces, bounded, "-" when empty. */
const field = (s: string, max: number) => s.replace(/[^\x21-\x7e]/g, '').slice(0, max) || '-';

export function toCef(input: Parameters<Formatter>[0]): string {
  const { alert, text } = input;
  const ext: [string, string | null][] = [
    ['rt', String(Date.parse(alert.fired_at) || input.now.getTime())],
    ['externalId', alert.id],
    ['msg', text],
    ['cs1Label', 'group'],
    ['cs1', alert.group_value],
    ['cs2Label', 'rule_name'],
    ['cs2', alert.rule_name],
    ['cs3Label', 'mitre_tactic'],
    ['cs3', alert.mitre_tactic],
    ['cs4Label', 'mitre_technique'],
    ['cs4', alert.mitre_technique],
    ['cnt', String(alert.matched_event_count)],
    ['request', alert.url || null],
  ];
  const extension = ext
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}=${cefValue(v!)}`)
    .join(' ');
  return `CEF:0|SIEM|SIEM|1.0|${cefHeader(alert.rule_id)}|${cefHeader(alert.title)}|${CEF_SEVERITY[alert.severity]}|${extension}`;
}

export const formatSyslog: Formatter = (input) => {
  const facility = typeof input.config.facility === 'number' ? input.config.facility : 16;
  const pri = facility * 8 + SYSLOG_SEVERITY[input.alert.severity];
  const header = `<${pri}>1 ${input.now.toISOString()} ${field(input.hostname, 255)} siem - alert -`;
  return { transport: 'syslog', line: `${header} ${toCef(input)}` };
};
