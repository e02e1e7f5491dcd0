// Small setters shared by the message parsers, so every format names the same fact the
// same way: an address that is not an IP becomes `<side>.domain`, never an error.
import { isIp } from '../normalize/ip.ts';
import { readPort } from './scan.ts';
import type { ParsedFields } from './types.ts';

/** Puts an address under `<side>.ip` when it is an IP (brackets stripped), else `<side>.domain`. */
export function putAddress(fields: ParsedFields, side: 'source' | 'destination' | 'client' | 'server', value: string): void {
  let text = value;
  if (text.length > 2 && text.charCodeAt(0) === 91 && text.charCodeAt(text.length - 1) === 93) text = text.slice(1, -1);
  if (text === '' || text === '?' || text === '-') return;
  if (isIp(text)) fields[`${side}.ip`] = text;
  else fields[`${side}.domain`] = text;
}

export function putPort(fields: ParsedFields, side: 'source' | 'destination' | 'client' | 'server', value: string): void {
  const port = readPort(value);
  if (port >= 0) fields[`${side}.port`] = port;
}

/** Sets a text field unless the value is empty or a placeholder ("?", "-", "(unknown)"). */
export function putText(fields: ParsedFields, name: string, value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  if (value === '' || value === '?' || value === '-' || value === '(unknown)') return;
  fields[name] = value;
}

/** Authentication outcome fields every login source shares. */
export function authFields(service: string, outcome: 'success' | 'failure' | 'unknown', action: string): ParsedFields {
  return {
    'event.category': 'authentication',
    'event.action': action,
    'event.outcome': outcome,
    'service.name': service,
  };
}
