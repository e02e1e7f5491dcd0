// Filters -> URL -> query keys: every filter is part of the key (a changed filter is a
// different cache entry), unknown values are dropped, and the live tail shows only
// what the list would.
import { describe, expect, it } from 'vitest';
import { alertFiltersFromParams, alertListKey } from '../../src/features/alerts/api/alerts.ts';
import { EMPTY_FILTERS, acceptsLive, logFiltersFromParams, logFiltersToParams, matchesLive, timeBounds } from '../../src/features/logs/api/filters.ts';
import { logListKey } from '../../src/features/logs/api/logs.ts';
import { TIMELINE_RANGES, fillTimeline, timelineQueryOptions } from '../../src/features/dashboard/api/timeline.ts';

const item = { id: 'a'.repeat(24), timestamp: new Date().toISOString(), source_type: 'auth' as const, severity: 'medium' as const, event_type: 'login_failure', source_ip: '203.0.113.45', dest_ip: '10.0.1.10', hostname: 'bastion-01', username: 'deploy' };

describe('log filters', () => {
  it('round-trip through the URL and drop unknown enum values', () => {
    const f = logFiltersFromParams(new URLSearchParams('source_type=auth&severity=loud&source_ip=%201.2.3.4%20&range=1h&since=2020-01-01'));
    expect(f).toEqual({ ...EMPTY_FILTERS, source_type: 'auth', source_ip: '1.2.3.4', range: '1h' });
    expect(logFiltersFromParams(logFiltersToParams(f))).toEqual(f);
    expect(logFiltersFromParams(new URLSearchParams('')).range, 'no range is "all time", never null').toBe('');
    expect(logFiltersFromParams(new URLSearchParams('')), 'an empty URL is the empty filter').toEqual(EMPTY_FILTERS);
  });

  it('key the list by every filter, and search apart from the list', () => {
    const a = logFiltersFromParams(new URLSearchParams('username=alice'));
    const b = logFiltersFromParams(new URLSearchParams('username=bob'));
    expect(logListKey(a)).not.toEqual(logListKey(b));
    expect(logListKey(a)).toEqual(logListKey(logFiltersFromParams(new URLSearchParams('username=alice'))));
    expect(logListKey({ ...a, q: 'ssh' })[1]).toBe('search');
    expect(logListKey(a)[1]).toBe('list');
  });

  it('resolve relative ranges when fetching, custom ones as given', () => {
    const now = Date.UTC(2026, 2, 1, 12);
    expect(timeBounds({ ...EMPTY_FILTERS, range: '1h' }, now)).toEqual({ since: '2026-03-01T11:00:00.000Z' });
    const custom = { ...EMPTY_FILTERS, range: 'custom' as const, since: '2026-03-01T00:00:00.000Z', until: '2026-03-01T06:00:00.000Z' };
    expect(timeBounds(custom, now)).toEqual({ since: custom.since, until: custom.until });
    expect(acceptsLive(custom)).toBe(false);
  });

  it('match live items like the server would', () => {
    expect(matchesLive(item, EMPTY_FILTERS)).toBe(true);
    expect(matchesLive(item, { ...EMPTY_FILTERS, source_ip: '203.0.113.45', severity: 'medium' })).toBe(true);
    expect(matchesLive(item, { ...EMPTY_FILTERS, source_ip: '203.0.113.4' })).toBe(false);
    expect(matchesLive(item, { ...EMPTY_FILTERS, q: 'BASTION' })).toBe(true);
    expect(matchesLive(item, { ...EMPTY_FILTERS, q: 'nothing' })).toBe(false);
    expect(matchesLive({ ...item, timestamp: '2000-01-01T00:00:00Z' }, { ...EMPTY_FILTERS, range: '15m' })).toBe(false);
  });
});

describe('alert filters', () => {
  it('read known values from the URL and key the list by them', () => {
    const f = alertFiltersFromParams(new URLSearchParams('status=new&severity=nope&page=2'));
    expect(f).toEqual({ status: 'new', page: 2 });
    expect(alertListKey(f)).toEqual(['alerts', 'list', { status: 'new', severity: null, technique: null, since: null, page: 2, per_page: 25 }]);
    expect(alertListKey({ page: 1, status: 'resolved' })).not.toEqual(alertListKey({ page: 1, status: 'new' }));
    expect(alertFiltersFromParams(new URLSearchParams('status=open')).status, '"open" is the three open statuses').toBe('open');
    expect(alertFiltersFromParams(new URLSearchParams('technique=t1110.001')).technique).toBe('T1110.001');
    expect(alertFiltersFromParams(new URLSearchParams('technique=nope')).technique).toBeUndefined();
    // The coverage view's period start: kept as an ISO instant; anything unparseable is dropped.
    expect(alertFiltersFromParams(new URLSearchParams('since=2026-11-29T12:00:00.000Z')).since).toBe('2026-11-29T12:00:00.000Z');
    expect(alertFiltersFromParams(new URLSearchParams('since=yesterday')).since).toBeUndefined();
    expect(alertFiltersFromParams(new URLSearchParams('status=opened')).status).toBeUndefined();
  });
});

describe('timeline', () => {
  it('keys by range and fills the bins the server omits', () => {
    expect(timelineQueryOptions('1h').queryKey).not.toEqual(timelineQueryOptions('24h').queryKey);
    const now = Date.UTC(2026, 2, 1, 12, 7, 30);
    const points = fillTimeline([{ bucket: 'Sun, 01 Mar 2026 12:00:00 GMT', count: 3, by_severity: { high: 1, info: 2 } }], '1h', now);
    expect(points).toHaveLength(61);
    expect(points[0]!.t).toBe(Date.UTC(2026, 2, 1, 11, 7));
    expect(points.find((p) => p.t === Date.UTC(2026, 2, 1, 12))).toMatchObject({ high: 1, info: 2, critical: 0 });
    expect(TIMELINE_RANGES['7d'].bucket_minutes).toBe(120);
  });
});
