// Numbers about a DNS query name that tunnelling rules compare: the label count, the longest
// label and the Shannon entropy of the most random label. Computed once at parse time for
// every dns_query, whatever its source, so rules compare numbers instead of scanning names.
import type { ParsedFields } from './types.ts';

// Names are at most 253 characters on the wire; a longer value is not a DNS name and
// is measured only over its first 253 characters, so the cost stays bounded.
const MAX_NAME = 253;

export interface DnsNameStats {
  labelCount: number;
  longestLabelLength: number;
  /** Bits per character, 2 decimals. */
  maxLabelEntropy: number;
}

/**
 * Stats of a query name. The last two labels (registered domain and TLD) are left out of
 * the entropy when there are more than two: a tunnel's payload is in the labels before them,
 * and a random-looking registered name alone is not tunnelling. Length counts every label.
 */
export function dnsNameStats(name: string): DnsNameStats {
  let text = name.length > MAX_NAME ? name.slice(0, MAX_NAME) : name;
  if (text.endsWith('.')) text = text.slice(0, -1);
  const labels = text === '' ? [] : text.split('.');
  let longest = 0;
  for (const label of labels) if (label.length > longest) longest = label.length;
  const measured = labels.length > 2 ? labels.slice(0, -2) : labels;
  let entropy = 0;
  for (const label of measured) {
    const e = shannon(label);
    if (e > entropy) entropy = e;
  }
  return { labelCount: labels.length, longestLabelLength: longest, maxLabelEntropy: Math.round(entropy * 100) / 100 };
}

/** Shannon entropy of the characters of s, in bits per character (case-folded). */
export function shannon(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let e = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    e -= p * Math.log2(p);
  }
  return e;
}

/** Adds the dns.question.* numbers when the fields hold a query name. */
export function addDnsStats(fields: ParsedFields): void {
  const name = fields['dns.question.name'];
  if (typeof name !== 'string' || name === '') return;
  const stats = dnsNameStats(name);
  fields['dns.question.label_count'] = stats.labelCount;
  fields['dns.question.longest_label_length'] = stats.longestLabelLength;
  fields['dns.question.max_label_entropy'] = stats.maxLabelEntropy;
}
