// E-mail: a one-line subject (no line breaks: they would start new headers) and a plain
// text body with the rendered template followed by the alert's fields.
import type { Formatter } from '../types.ts';

const oneLine = (s: string, max: number) => s.replace(/[\r\n\t]+/g, ' ').slice(0, max);

export const formatEmail: Formatter = ({ alert, text }) => ({
  transport: 'smtp',
  subject: oneLine(`[SIEM ${alert.severity}] ${alert.title}`, 200),
  text: [
    text,
    '',
    `Severity: ${alert.severity}`,
    `Rule: ${alert.rule_name}`,
    `Group: ${alert.group_value ?? '-'}`,
    `Fired at: ${alert.fired_at}`,
    ...(alert.url ? [`Link: ${alert.url}`] : []),
  ].join('\n'),
});
