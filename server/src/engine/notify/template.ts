// The message template admins edit: text with {{variable}} placeholders taken from a fixed
// list (TEMPLATE_VARIABLES). One pass, no expressions, no loops, no code: a value is never
// read again as template text, and the output is cut at a bound.
import { NOTIFY_LIMITS, TEMPLATE_VARIABLES } from '@siem/contracts';
import type { TemplateVariable } from '@siem/contracts';
import type { NotifyAlert } from './types.ts';

export interface TemplateProblem {
  /** Character offset of the faulty placeholder. */
  at: number;
  message: string;
}

type Part = { text: string } | { variable: TemplateVariable };

const KNOWN = new Set<string>(TEMPLATE_VARIABLES);
const NAME = /^[a-z_]+(\.[a-z_]+)?$/;

/** Splits a template into text and variables, or lists every problem (unknown name, unclosed braces). */
export function parseTemplate(template: string): { parts: Part[]; problems: TemplateProblem[] } {
  const parts: Part[] = [];
  const problems: TemplateProblem[] = [];
  if (template.length > NOTIFY_LIMITS.maxTemplate) {
    return { parts, problems: [{ at: 0, message: `a template is at most ${NOTIFY_LIMITS.maxTemplate} characters` }] };
  }
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    const close = template.indexOf('}}', open + 2);
    if (close < 0) {
      problems.push({ at: open, message: 'unclosed "{{": close it with "}}"' });
      break;
    }
    const name = template.slice(open + 2, close).trim();
    if (!NAME.test(name) || !KNOWN.has(name)) {
      problems.push({ at: open, message: `unknown variable ${JSON.stringify(name.slice(0, 60))}; known: ${TEMPLATE_VARIABLES.join(', ')}` });
    } else {
      parts.push({ variable: name as TemplateVariable });
    }
    i = close + 2;
  }
  return { parts, problems };
}

export function variableValue(alert: NotifyAlert, name: TemplateVariable): string {
  const value = {
    'alert.id': alert.id,
    'alert.title': alert.title,
    'alert.severity': alert.severity,
    'alert.status': alert.status,
    'alert.group_value': alert.group_value,
    'alert.url': alert.url,
    'alert.fired_at': alert.fired_at,
    'alert.matched_event_count': String(alert.matched_event_count),
    'alert.mitre_tactic': alert.mitre_tactic,
    'alert.mitre_technique': alert.mitre_technique,
    'rule.id': alert.rule_id,
    'rule.name': alert.rule_name,
    'rule.tags': (alert.rule_tags ?? []).join(', '),
  }[name];
  return value ?? '';
}

export interface Rendered {
  text: string;
  truncated: boolean;
}

/**
 * Renders a template for an alert. A template with problems renders its text as is (the
 * save path refuses such templates; this keeps a stored one from blocking a delivery).
 */
export function renderTemplate(template: string, alert: NotifyAlert, maxChars: number = NOTIFY_LIMITS.maxRendered): Rendered {
  const { parts, problems } = parseTemplate(template);
  if (problems.length > 0) return cut(template, maxChars);
  let out = '';
  for (const part of parts) {
    out += 'text' in part ? part.text : variableValue(alert, part.variable);
    if (out.length > maxChars) return cut(out, maxChars);
  }
  return { text: out, truncated: false };
}

function cut(text: string, maxChars: number): Rendered {
  if (text.length <= maxChars) return { text, truncated: false };
  return { text: `${text.slice(0, Math.max(0, maxChars - 1))}…`, truncated: true };
}
