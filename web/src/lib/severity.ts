// Severity order and chart colours (the CSS variables hold the same values for badges;
// charts draw in SVG attributes, which need the literal colour).
import type { Severity } from '@siem/contracts';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#f43f5e',
  high: '#fb923c',
  medium: '#facc15',
  low: '#38bdf8',
  info: '#94a3b8',
};
