// Recorded events of every group of one rule, in one slab: typed arrays for event times
// and list links, one array of ids, a free list. A group is a doubly linked list of slots
// in time order (EntryList). Compared with arrays per group this allocates nothing per
// event or per group and keeps entries out of the garbage collector's way, which matters
// for long-tail traffic where most groups hold a single event.

/** A group's list of slots, oldest to newest; embedded in the group state objects. */
export class EntryList {
  first = -1;
  last = -1;
  /** Oldest slot that still holds its id: ids are kept only for the newest keepIds. */
  boundary = -1;
  size = 0;
}

const INITIAL_CAPACITY = 256;

export class EntrySlab {
  ts: Float64Array;
  next: Int32Array;
  prev: Int32Array;
  /** Event ids; "" for free slots and for entries older than the newest keepIds. */
  readonly ids: string[];
  /** Step masks (sequence rules). */
  masks: Int32Array | null;
  /** Distinct keys (aggregation rules). */
  readonly values: (string | null)[] | null;
  private free = -1;
  private capacity = 0;
  /** Slots in use, over all groups. */
  used = 0;

  constructor(
    payload: 'none' | 'mask' | 'value',
    private readonly keepIds: number,
  ) {
    this.ts = new Float64Array(0);
    this.next = new Int32Array(0);
    this.prev = new Int32Array(0);
    this.ids = [];
    this.masks = payload === 'mask' ? new Int32Array(0) : null;
    this.values = payload === 'value' ? [] : null;
    this.grow(INITIAL_CAPACITY);
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const copy = <A extends Float64Array | Int32Array>(from: A, to: A): A => {
      to.set(from);
      return to;
    };
    this.ts = copy(this.ts, new Float64Array(capacity));
    this.next = copy(this.next, new Int32Array(capacity));
    this.prev = copy(this.prev, new Int32Array(capacity));
    if (this.masks) this.masks = copy(this.masks, new Int32Array(capacity));
    for (let i = old; i < capacity; i++) {
      this.ids.push('');
      this.values?.push(null);
      this.next[i] = i + 1 < capacity ? i + 1 : this.free;
    }
    this.free = old;
    this.capacity = capacity;
  }

  /**
   * Inserts in time order, after entries with the same time (ties keep arrival order).
   * Returns the slot, or -1 when an entry with the same time and id is already there: a
   * redelivered event must not count twice. The payload is set by the caller.
   */
  insert(list: EntryList, timeMs: number, id: string): number {
    const { ts, prev, ids } = this;
    // Walk back from the newest: events are nearly always in order.
    let after = list.last;
    let passedBoundary = false;
    while (after !== -1 && ts[after]! > timeMs) {
      if (after === list.boundary) passedBoundary = true;
      after = prev[after]!;
    }
    for (let j = after; j !== -1 && ts[j] === timeMs; j = prev[j]!) if (ids[j] === id) return -1;
    if (this.free === -1) this.grow(this.capacity * 2);
    const slot = this.free;
    const next = this.next;
    this.free = next[slot]!;
    this.used++;
    ts[slot] = timeMs;
    const before = after === -1 ? list.first : next[after]!;
    prev[slot] = after;
    next[slot] = before;
    if (after === -1) list.first = slot;
    else next[after] = slot;
    if (before === -1) list.last = slot;
    else prev[before] = slot;
    list.size++;
    if (list.boundary === -1) {
      list.boundary = slot;
      ids[slot] = id;
    } else if (passedBoundary && list.size > this.keepIds) {
      ids[slot] = ''; // older than the newest keepIds: nothing to keep
    } else {
      ids[slot] = id;
      if (list.size > this.keepIds) {
        const b = list.boundary;
        ids[b] = '';
        list.boundary = next[b]!;
      } else if (after === -1) {
        list.boundary = slot; // new oldest while all ids are kept
      }
    }
    return slot;
  }

  /** Frees the oldest slot of a non-empty list. */
  shift(list: EntryList): void {
    const slot = list.first;
    const next = this.next[slot]!;
    list.first = next;
    if (next === -1) list.last = -1;
    else this.prev[next] = -1;
    if (list.boundary === slot) list.boundary = next;
    list.size--;
    this.release(slot);
  }

  /** Drops entries older than lowMs (the window's lower edge is inclusive) and beyond max. */
  dropOld(list: EntryList, lowMs: number, max: number): void {
    const ts = this.ts;
    while (list.first !== -1 && (ts[list.first]! < lowMs || list.size > max)) this.shift(list);
  }

  clear(list: EntryList): void {
    while (list.first !== -1) this.shift(list);
    list.boundary = -1;
  }

  private release(slot: number): void {
    this.ids[slot] = '';
    if (this.values) this.values[slot] = null;
    this.next[slot] = this.free;
    this.free = slot;
    this.used--;
  }

  /** The kept ids of a list, oldest first (the newest keepIds entries). */
  keptIds(list: EntryList): string[] {
    const out: string[] = [];
    for (let s = list.boundary; s !== -1; s = this.next[s]!) out.push(this.ids[s]!);
    return out;
  }
}
