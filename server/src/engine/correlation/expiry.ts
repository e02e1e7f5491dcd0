// The order in which a rule's groups (and cooldowns) come due for eviction: entries of
// (key, item, time), the smallest time first. Live traffic pushes times in order, which a
// FIFO ring serves at no cost; a late event's group (or a group looked at again by a
// sweep) pushes an older time, which goes to a binary heap instead. The front is the
// smaller of the two fronts, so eviction follows event time exactly, whatever the arrival
// order: a late group is let go as soon as its horizon passes, not after the live groups
// queued before it.

/**
 * A FIFO of (key, item, time) in a ring of three parallel arrays, times non-decreasing.
 * It grows by doubling and never shrinks: a trimmed array would be reallocated on the
 * next pushes.
 */
class Ring<T> {
  keys: string[] = new Array<string>(1024).fill('');
  items: (T | null)[] = new Array<T | null>(1024).fill(null);
  times = new Float64Array(1024);
  head = 0;
  size = 0;

  push(key: string, item: T, time: number): void {
    if (this.size === this.keys.length) this.grow();
    const at = (this.head + this.size) & (this.keys.length - 1);
    this.keys[at] = key;
    this.items[at] = item;
    this.times[at] = time;
    this.size++;
  }

  /** Time of the newest entry; check size first. */
  tailTime(): number {
    return this.times[(this.head + this.size - 1) & (this.keys.length - 1)]!;
  }

  pop(): void {
    this.items[this.head] = null;
    this.head = (this.head + 1) & (this.keys.length - 1);
    this.size--;
  }

  private grow(): void {
    const n = this.keys.length;
    const keys = new Array<string>(n * 2).fill('');
    const items = new Array<T | null>(n * 2).fill(null);
    const times = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const from = (this.head + i) & (n - 1);
      keys[i] = this.keys[from]!;
      items[i] = this.items[from]!;
      times[i] = this.times[from]!;
    }
    this.keys = keys;
    this.items = items;
    this.times = times;
    this.head = 0;
  }
}

/** A binary min-heap of (key, item, time) on three parallel arrays (the root at 0). */
class Heap<T> {
  keys: string[] = [];
  items: (T | null)[] = [];
  times = new Float64Array(64);
  size = 0;

  push(key: string, item: T, time: number): void {
    if (this.size === this.times.length) {
      const times = new Float64Array(this.size * 2);
      times.set(this.times);
      this.times = times;
    }
    let i = this.size++;
    const { keys, items, times } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= time) break;
      keys[i] = keys[parent]!;
      items[i] = items[parent]!;
      times[i] = times[parent]!;
      i = parent;
    }
    keys[i] = key;
    items[i] = item;
    times[i] = time;
  }

  pop(): void {
    const n = --this.size;
    const { keys, items, times } = this;
    const key = keys[n]!;
    const item = items[n]!;
    const time = times[n]!;
    items[n] = null;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && times[child + 1]! < times[child]!) child++;
      if (times[child]! >= time) break;
      keys[i] = keys[child]!;
      items[i] = items[child]!;
      times[i] = times[child]!;
      i = child;
    }
    keys[i] = key;
    items[i] = item;
    times[i] = time;
  }
}

export class ExpiryQueue<T> {
  private readonly ring = new Ring<T>();
  private readonly heap = new Heap<T>();

  get size(): number {
    return this.ring.size + this.heap.size;
  }

  push(key: string, item: T, time: number): void {
    const ring = this.ring;
    if (ring.size === 0 || time >= ring.tailTime()) ring.push(key, item, time);
    else this.heap.push(key, item, time);
  }

  /** Whether the front entry is the heap's (check size first). */
  private fromHeap(): boolean {
    const heap = this.heap;
    return heap.size > 0 && (this.ring.size === 0 || heap.times[0]! < this.ring.times[this.ring.head]!);
  }

  /** Time of the front (oldest) entry; check size first. */
  frontTime(): number {
    return this.fromHeap() ? this.heap.times[0]! : this.ring.times[this.ring.head]!;
  }

  frontKey(): string {
    return this.fromHeap() ? this.heap.keys[0]! : this.ring.keys[this.ring.head]!;
  }

  frontItem(): T {
    return (this.fromHeap() ? this.heap.items[0] : this.ring.items[this.ring.head])!;
  }

  pop(): void {
    if (this.fromHeap()) this.heap.pop();
    else this.ring.pop();
  }
}
