// Search tools in the web app: the query the tools send follows the log filters, and a
// saved search turns into the same filters it was saved from (relative ranges stay
// relative, custom ones absolute).
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../../src/features/logs/api/filters.ts';
import type { LogFilters } from '../../src/features/logs/api/filters.ts';
import { filtersToSaved, savedToFilters } from '../../src/features/logs/api/saved-searches.ts';
import { toolQuery, toolsApply } from '../../src/features/logs/api/tool-query.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('tool query', () => {
  it('carries the filters and resolves a relative range', () => {
    const f: LogFilters = { ...EMPTY_FILTERS, severity: 'high', hostname: 'web-1', range: '1h' };
    expect(toolQuery(f, NOW)).toEqual({ severity: 'high', hostname: 'web-1', since: '2026-03-01T11:00:00.000Z' });
  });
  it('a literal text search turns the tools off', () => {
    expect(toolsApply({ ...EMPTY_FILTERS, q: 'x' })).toBe(false);
    expect(toolsApply(EMPTY_FILTERS)).toBe(true);
  });
});

describe('saved search params', () => {
  const cases: LogFilters[] = [
    { ...EMPTY_FILTERS },
    { ...EMPTY_FILTERS, source_type: 'auth', severity: 'critical', username: 'alice', range: '24h' },
    { ...EMPTY_FILTERS, event_type: 'login_failed', range: 'custom', since: '2026-02-01T00:00:00.000Z', until: '2026-02-02T00:00:00.000Z' },
    { ...EMPTY_FILTERS, q: 'needle', range: '7d' },
  ];
  for (const f of cases) {
    it(`round-trips ${JSON.stringify(f)}`, () => expect(savedToFilters(filtersToSaved(f), NOW)).toEqual(f));
  }
  it('a relative range no preset matches becomes a custom range ending now', () => {
    const f = savedToFilters({ filters: {}, range: { type: 'relative', seconds: 7200 } }, NOW);
    expect(f.range).toBe('custom');
    expect(f.since).toBe('2026-03-01T10:00:00.000Z');
    expect(f.until).toBeNull();
  });
  it('saves the range as relative seconds', () => {
    expect(filtersToSaved({ ...EMPTY_FILTERS, range: '15m' }).range).toEqual({ type: 'relative', seconds: 900 });
  });
});
