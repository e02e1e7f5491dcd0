// The recorded events of one (rule, group): parallel arrays of event time, id and a per-type
// payload, kept in time order with a moving head. Plain number arrays stay unboxed doubles
// in V8; ids are kept only for the newest `keepIds` entries, so a long window costs about
// 16 bytes per event rather than holding every id string alive.

export class EventWindow<X = undefined> {
  /** Event times, ascending from `head`; ties keep arrival order. */
  ts: number[] = [];
  /** Event ids; "" where an id is no longer kept (older than the newest keepIds). */
  ids: string[] = [];
  /** Per-entry payload (step mask, distinct key), or null when the rule type needs none. */
  extra: X[] | null;
  /** Index of the oldest live entry; entries before it are dead until compaction. */
  head = 0;

  constructor(withExtra: boolean) {
    this.extra = withExtra ? [] : null;
  }

  get size(): number {
    return this.ts.length - this.head;
  }

  /**
   * Inserts in time order, after entries with the same time. Returns the (absolute) index,
   * or -1 when an entry with the same time and id is already there: a redelivered event
   * must not count twice.
   */
  insert(timeMs: number, id: string, payload: X, keepIds: number): number {
    const ts = this.ts;
    const end = ts.length;
    let pos = end;
    // Events are nearly always newest-first; a linear walk back beats a binary search.
    while (pos > this.head && ts[pos - 1]! > timeMs) pos--;
    for (let j = pos - 1; j >= this.head && ts[j] === timeMs; j--) if (this.ids[j] === id) return -1;
    if (pos === end) {
      ts.push(timeMs);
      this.ids.push(id);
      this.extra?.push(payload);
    } else {
      ts.splice(pos, 0, timeMs);
      this.ids.splice(pos, 0, id);
      this.extra?.splice(pos, 0, payload);
    }
    // Ids live exactly in the newest keepIds positions [cut, length): an entry inserted
    // below that range keeps none, otherwise the entry pushed out of the range drops its id.
    const cut = ts.length - keepIds;
    if (pos < cut) this.ids[pos] = '';
    else if (cut - 1 >= this.head) this.ids[cut - 1] = '';
    return pos;
  }

  /** Drops entries older than lowMs (the window's lower edge is inclusive). */
  dropBefore(lowMs: number): void {
    const ts = this.ts;
    let h = this.head;
    while (h < ts.length && ts[h]! < lowMs) h++;
    this.head = h;
    this.compact();
  }

  /** Drops the oldest entries beyond `max` (the per-group memory bound). */
  capTo(max: number): void {
    if (this.size > max) {
      this.head = this.ts.length - max;
      this.compact();
    }
  }

  /** Reclaims dead slots once they are at least half of the arrays (amortized O(1)). */
  compact(): void {
    const h = this.head;
    if (h === 0) return;
    const len = this.ts.length;
    if (h === len) {
      this.clear();
      return;
    }
    if (h < 32 || h * 2 < len) return;
    this.ts.copyWithin(0, h);
    this.ts.length = len - h;
    this.ids.copyWithin(0, h);
    this.ids.length = len - h;
    if (this.extra) {
      this.extra.copyWithin(0, h);
      this.extra.length = len - h;
    }
    this.head = 0;
  }

  clear(): void {
    this.ts.length = 0;
    this.ids.length = 0;
    if (this.extra) this.extra.length = 0;
    this.head = 0;
  }

  /** The kept ids of the live entries, oldest first (at most keepIds of them). */
  keptIds(keepIds: number): string[] {
    const end = this.ids.length;
    return this.ids.slice(Math.max(this.head, end - keepIds), end);
  }
}
