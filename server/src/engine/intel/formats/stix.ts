// STIX 2.1 bundles: `indicator` objects (their `pattern`, `valid_until` as the expiry,
// `confidence`, revoked ones skipped) and the observable objects feeds sometimes ship bare
// (ipv4-addr, ipv6-addr, domain-name, url, file with hashes). Problems are located by the
// object's index in `objects`.
import type { IndicatorType } from '@siem/contracts';
import { createCollector, readConfidence, readExpiry, type FeedLimits, type ParsedFeed } from '../feed.ts';
import { parseStixPattern } from './stix-pattern.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SCO_TYPES: Readonly<Record<string, IndicatorType>> = { 'ipv4-addr': 'ip', 'ipv6-addr': 'ip', 'domain-name': 'domain', url: 'url' };
const FILE_HASHES: Readonly<Record<string, IndicatorType>> = { MD5: 'md5', 'SHA-1': 'sha1', SHA1: 'sha1', 'SHA-256': 'sha256', SHA256: 'sha256' };

export function parseStix(text: string, limits: FeedLimits): ParsedFeed {
  const c = createCollector(limits);
  const parsed = c.json(text);
  if (!parsed) return c.feed;
  const { doc } = parsed;
  // A bundle, or a single object.
  const objects = isObject(doc) && doc.type === 'bundle' ? doc.objects : isObject(doc) ? [doc] : null;
  if (!Array.isArray(objects)) {
    c.problem('document', 'a STIX 2.1 bundle is an object with "type": "bundle" and an "objects" list');
    return c.feed;
  }
  objects.forEach((o, i) => {
    const where = `objects[${i}]`;
    if (c.full()) {
      c.feed.truncated++;
      return;
    }
    if (!isObject(o) || typeof o.type !== 'string') {
      c.problem(where, 'not a STIX object (no "type")');
      return;
    }
    if (o.type === 'indicator') {
      if (o.revoked === true) return;
      if (o.pattern_type !== undefined && o.pattern_type !== 'stix') {
        c.problem(where, `pattern_type '${String(o.pattern_type).slice(0, 30)}' is not supported (stix only)`);
        return;
      }
      if (typeof o.pattern !== 'string') {
        c.problem(where, 'an indicator needs a "pattern" string');
        return;
      }
      const expiresMs = readExpiry(o.valid_until);
      if (expiresMs === null) {
        c.problem(where, 'valid_until is not a timestamp');
        return;
      }
      const confidence = readConfidence(o.confidence);
      if (confidence === null) {
        c.problem(where, 'confidence is not a number from 0 to 100');
        return;
      }
      const parsed = parseStixPattern(o.pattern);
      if (!parsed.ok) {
        c.problem(where, parsed.message);
        return;
      }
      for (const v of parsed.values) c.add(where, v.value, v.type, { expiresMs, confidence });
      return;
    }
    const scoType = SCO_TYPES[o.type];
    if (scoType) {
      if (typeof o.value !== 'string') c.problem(where, `a ${o.type} object needs a "value" string`);
      else c.add(where, o.value, scoType);
      return;
    }
    if (o.type === 'file' && isObject(o.hashes)) {
      for (const [alg, value] of Object.entries(o.hashes)) {
        const type = FILE_HASHES[alg.toUpperCase()];
        if (type && typeof value === 'string') c.add(`${where}.hashes.${alg}`, value, type);
      }
    }
    // Other objects (identity, relationship, malware, marking-definition...) carry no indicator.
  });
  return c.feed;
}
