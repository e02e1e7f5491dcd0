// The feed formats by name: an unknown name is an error listing the known ones.
import type { IntelFormat } from '@siem/contracts';
import { INTEL_FORMATS } from '@siem/contracts';
import type { FeedLimits, FeedParser, ParsedFeed } from '../feed.ts';
import { parseCsv } from './csv.ts';
import { parseMisp } from './misp.ts';
import { parseStix } from './stix.ts';

export const FEED_PARSERS: Readonly<Record<IntelFormat, FeedParser>> = { csv: parseCsv, stix: parseStix, misp: parseMisp };

export function parseFeed(format: string, text: string, limits: FeedLimits): ParsedFeed {
  const parser = (FEED_PARSERS as Record<string, FeedParser | undefined>)[format];
  if (!parser) throw new Error(`Unknown feed format '${format}': use one of ${INTEL_FORMATS.join(', ')}`);
  return parser(text, limits);
}
