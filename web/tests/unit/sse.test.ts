// The live-feed helper with a fake EventSource: URL and token, batching into the handler,
// reconnect with exponential backoff, resync after a manual reopen, and stop.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { backoffDelay, startLiveFeeds, useConnection } from '../../src/lib/sse.ts';
import type { FeedSpec } from '../../src/lib/sse.ts';

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  private listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data?: unknown, lastEventId = '') {
    if (type === 'open') this.readyState = 1;
    for (const fn of this.listeners.get(type) ?? []) fn({ data: data === undefined ? undefined : JSON.stringify(data), lastEventId } as MessageEvent);
  }
  /** A dropped connection the browser will retry (CONNECTING) or has given up on (CLOSED). */
  fail(giveUp = false) {
    this.readyState = giveUp ? 2 : 0;
    this.emit('error');
  }
}
const last = () => FakeEventSource.instances.at(-1)!;

function setup(extra: Partial<Parameters<typeof startLiveFeeds>[0]> = {}) {
  const batches: number[][] = [];
  const resyncs: number[] = [];
  const spec: FeedSpec<number> = {
    name: 'test',
    path: '/test/stream',
    event: 'tick',
    parse: (d) => (typeof (d as { n?: unknown }).n === 'number' ? (d as { n: number }).n : null),
    onBatch: (items) => batches.push(items),
    onResync: () => resyncs.push(1),
  };
  const feeds = startLiveFeeds({
    queryClient: new QueryClient(),
    token: 'tok en',
    feeds: [spec],
    EventSourceImpl: FakeEventSource as unknown as typeof EventSource,
    backoff: { initialMs: 1000, maxMs: 8000, factor: 2 },
    flushMs: 100,
    random: () => 0.5,
    ...extra,
  });
  return { feeds, batches, resyncs };
}

describe('live feeds', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.instances = [];
    useConnection.getState().reset();
  });
  afterEach(() => vi.useRealTimers());

  it('opens the stream with the token in the query and reports the connection state', () => {
    const { feeds } = setup();
    expect(last().url).toBe('/api/v1/test/stream?token=tok+en');
    expect(useConnection.getState().feeds.test?.status).toBe('connecting');
    last().emit('open');
    expect(useConnection.getState().feeds.test?.status).toBe('open');
    feeds.stop();
  });

  it('hands messages to the handler in batches and drops the ones that do not parse', () => {
    const { feeds, batches } = setup();
    last().emit('open');
    last().emit('tick', { n: 1 });
    last().emit('tick', { bad: true });
    last().emit('tick', { n: 2 });
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[1, 2]]);
    last().emit('tick', { n: 3 });
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[1, 2], [3]]);
    feeds.stop();
  });

  it('leaves the first error to the browser retry (Last-Event-ID), then reopens with growing backoff', () => {
    const { feeds, resyncs } = setup();
    const first = last();
    first.emit('open');
    first.emit('tick', { n: 1 }, '1700000000000-4');
    first.fail();
    expect(first.closed).toBe(false);
    expect(FakeEventSource.instances).toHaveLength(1);
    first.fail();
    expect(first.closed).toBe(true);
    expect(useConnection.getState().feeds.test).toEqual({ status: 'reconnecting', attempt: 1 });
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(last().url, 'a reopened source resumes after the last message seen').toContain('last_event_id=1700000000000-4');
    // The reopened source fails outright (e.g. a 401 makes EventSource give up): 2 s next.
    last().fail(true);
    vi.advanceTimersByTime(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(3);
    expect(resyncs).toHaveLength(0);
    last().emit('open');
    // A manual reopen starts at "now": the lists are refetched once it is open.
    expect(resyncs).toHaveLength(1);
    expect(useConnection.getState().feeds.test).toEqual({ status: 'open', attempt: 0 });
    feeds.stop();
  });

  it('caps the backoff and spreads it with jitter', () => {
    const b = { initialMs: 1000, maxMs: 8000, factor: 2 };
    expect([0, 1, 2, 3, 4, 9].map((a) => backoffDelay(a, b, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(0, b, () => 0)).toBe(800);
    expect(backoffDelay(0, b, () => 1)).toBe(1200);
  });

  it('gives up when the session check says the token is no longer valid', async () => {
    const beforeReconnect = vi.fn(async () => false);
    const { feeds } = setup({ beforeReconnect });
    last().fail(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(beforeReconnect).toHaveBeenCalledOnce();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(useConnection.getState().feeds.test?.status).toBe('closed');
    feeds.stop();
  });

  it('stops: closes the source, drops pending messages and never reconnects', () => {
    const { feeds, batches } = setup();
    const es = last();
    es.emit('open');
    es.emit('tick', { n: 1 });
    es.fail(true);
    feeds.stop();
    expect(es.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(batches).toEqual([]);
    expect(useConnection.getState().feeds.test?.status).toBe('idle');
  });
});
