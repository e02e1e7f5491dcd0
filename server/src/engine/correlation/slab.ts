// Recorded events of every group of one rule, in one slab with a free list. A group is a
// doubly linked list of slots in time order (EntryList). An entry's time, links and payload
// share one 32-byte record of a single buffer (one cache line, not one per field array);
// ids stay strings: decoding binary ids at every firing cost more than keeping them.
// Nothing is allocated per event or per group, and no double crosses a call (arguments are
// tagged values: a time passed to a function that is not inlined is boxed on every call).

/** A group's list of slots, oldest to newest; embedded in the group state objects. */
export class EntryList {
  first = -1;
  last = -1;
  /** Oldest slot that still holds its id: ids are kept only for the newest keepIds. */
  boundary = -1;
  size = 0;
}

/** Record layout over one buffer: the time as a float64 at f64[slot * F64_STRIDE], int32
 *  fields at i32[slot * I32_STRIDE + NEXT | PREV | PAYLOAD]. Links are int32 so the group
 *  fields they are copied into stay small integers (a double there would be boxed); hot
 *  paths index these arrays directly for the same reason. */
export const F64_STRIDE = 4;
export const I32_STRIDE = 8;
export const NEXT = 2;
const PREV = 3;
export const PAYLOAD = 4; // step mask (sequence rules)
const INITIAL_CAPACITY = 1024;
/** Same-time entries checked for a redelivered id (see insert). */
const DEDUP_SCAN = 64;

export class EntrySlab {
  f64: Float64Array;
  i32: Int32Array;
  /** Event ids by slot; "" for entries older than the newest keepIds (free slots: stale). */
  readonly ids: string[] = [];
  /** Distinct keys (aggregation rules), by slot; the caller writes it on every insert. */
  readonly values: (string | null)[] | null;
  private free = -1;
  private capacity = 0;
  /** Slots in use, over all groups. */
  used = 0;

  constructor(
    withValues: boolean,
    private readonly keepIds: number,
  ) {
    this.f64 = new Float64Array(0);
    this.i32 = new Int32Array(0);
    this.values = withValues ? [] : null;
    this.grow(INITIAL_CAPACITY);
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const buffer = new ArrayBuffer(capacity * I32_STRIDE * 4);
    const i32 = new Int32Array(buffer);
    i32.set(this.i32);
    for (let i = old; i < capacity; i++) {
      i32[i * I32_STRIDE + NEXT] = i + 1 < capacity ? i + 1 : this.free;
      this.ids.push('');
      this.values?.push(null);
    }
    this.f64 = new Float64Array(buffer);
    this.i32 = i32;
    this.free = old;
    this.capacity = capacity;
  }

  /** Event time of a slot (not for hot paths: see the layout note). */
  time(slot: number): number {
    return this.f64[slot * F64_STRIDE]!;
  }

  /**
   * Inserts an event in time order, after entries with the same time (ties keep arrival
   * order). Returns the slot, or -1 when an entry with the same time and id is already
   * there: a redelivered event must not count twice (recognised while its id is kept, i.e.
   * among the newest keepIds entries). The payload is set by the caller.
   */
  insert(list: EntryList, e: { readonly timeMs: number; readonly id: string }): number {
    const { f64, i32, ids } = this;
    const timeMs = e.timeMs;
    const id = e.id;
    // Walk back from the newest: events are nearly always in order.
    let after = list.last;
    let passedBoundary = false;
    while (after !== -1 && f64[after * F64_STRIDE]! > timeMs) {
      if (after === list.boundary) passedBoundary = true;
      after = i32[after * I32_STRIDE + PREV]!;
    }
    // Redeliveries come close together: the newest DEDUP_SCAN entries of the same time are
    // looked at, not all of them (second-resolution syslog puts thousands of a group's
    // events on one time, and a full scan per insert made a busy group quadratic).
    let scanned = 0;
    for (let j = after; j !== -1 && scanned < DEDUP_SCAN && f64[j * F64_STRIDE] === timeMs; j = i32[j * I32_STRIDE + PREV]!) {
      if (ids[j] === id) return -1;
      scanned++;
    }
    if (this.free === -1) this.grow(this.capacity * 2);
    const f = this.f64;
    const n = this.i32;
    const slot = this.free;
    const s = slot * I32_STRIDE;
    this.free = n[s + NEXT]!;
    this.used++;
    const before = after === -1 ? list.first : n[after * I32_STRIDE + NEXT]!;
    f[slot * F64_STRIDE] = timeMs;
    n[s + PREV] = after;
    n[s + NEXT] = before;
    n[s + PAYLOAD] = 0;
    if (after === -1) list.first = slot;
    else n[after * I32_STRIDE + NEXT] = slot;
    if (before === -1) list.last = slot;
    else n[before * I32_STRIDE + PREV] = slot;
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
        list.boundary = n[b * I32_STRIDE + NEXT]!;
      } else if (after === -1) {
        list.boundary = slot; // new oldest while all ids are kept
      }
    }
    return slot;
  }

  /** Frees the oldest slot of a non-empty list. */
  shift(list: EntryList): void {
    const i32 = this.i32;
    const slot = list.first;
    const next = i32[slot * I32_STRIDE + NEXT]!;
    list.first = next;
    if (next === -1) list.last = -1;
    else i32[next * I32_STRIDE + PREV] = -1;
    if (list.boundary === slot) list.boundary = next;
    list.size--;
    // The slot's id and value are left in place (overwritten when reused): clearing them
    // would write to a cold cache line on every expiry, and free slots are reused first.
    i32[slot * I32_STRIDE + NEXT] = this.free;
    this.free = slot;
    this.used--;
  }

  /**
   * Drops entries older than the list's window, [newest - windowMs, newest] (the lower edge
   * is inclusive), and the oldest beyond max entries; returns how many went for the cap.
   */
  dropOld(list: EntryList, windowMs: number, max: number): number {
    if (list.last === -1) return 0;
    const f64 = this.f64;
    const low = f64[list.last * F64_STRIDE]! - windowMs;
    let capped = 0;
    while (list.first !== -1 && (f64[list.first * F64_STRIDE]! < low || list.size > max)) {
      if (f64[list.first * F64_STRIDE]! >= low) capped++;
      this.shift(list);
    }
    return capped;
  }

  clear(list: EntryList): void {
    while (list.first !== -1) this.shift(list);
    list.boundary = -1;
  }

  /** The kept ids of a list, oldest first (the newest keepIds entries). */
  keptIds(list: EntryList): string[] {
    const out: string[] = [];
    for (let s = list.boundary; s !== -1; s = this.i32[s * I32_STRIDE + NEXT]!) out.push(this.ids[s]!);
    return out;
  }
}
