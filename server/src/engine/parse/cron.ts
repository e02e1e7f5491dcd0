// cron and cronie: "(root) CMD (run-parts /etc/cron.hourly)". The command runs to the last
// ")" because commands often contain parentheses of their own.
import { setProcessFromCommandLine } from './process-name.ts';
import type { MessageParse, ParsedFields } from './types.ts';

export function parseCron(message: string): MessageParse | null {
  if (message.charCodeAt(0) !== 40) return null;
  const close = message.indexOf(') ');
  if (close < 2 || close > 258) return null;
  const user = message.slice(1, close);
  const rest = message.slice(close + 2);
  if (!rest.startsWith('CMD (') || !rest.endsWith(')')) return null;
  const fields: ParsedFields = { 'user.name': user, 'event.category': 'process', 'event.action': 'cron_command', 'service.name': 'cron' };
  setProcessFromCommandLine(fields, rest.slice(5, -1));
  return { parser: 'cron', source_type: 'endpoint', event_type: 'cron_command', fields };
}
