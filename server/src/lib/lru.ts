// A bounded cache that keeps the recently used keys: two generations of at most
// capacity/2 entries each. A hit in the old generation is copied to the new one; when the
// new one is full, the old one is dropped whole. Every operation is O(1): a Map-based LRU
// that deletes its oldest key on each insertion degrades under churn (V8 leaves the
// deleted slots at the front of the table for the iterator to skip).

export interface Lru<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  /** Entries held now (at most the capacity). */
  readonly size: number;
  clear(): void;
}

export function createLru<K, V>(capacity: number): Lru<K, V> {
  if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`cache capacity must be an integer of at least 2, got ${capacity}`);
  const half = Math.floor(capacity / 2);
  let young = new Map<K, V>();
  let old = new Map<K, V>();
  function put(key: K, value: V): void {
    if (young.size >= half) {
      old = young;
      young = new Map();
    }
    young.set(key, value);
  }
  return {
    get(key) {
      const value = young.get(key);
      if (value !== undefined) return value;
      const aged = old.get(key);
      if (aged !== undefined) {
        old.delete(key);
        put(key, aged);
      }
      return aged;
    },
    set(key, value) {
      if (young.has(key)) young.set(key, value);
      else {
        old.delete(key);
        put(key, value);
      }
    },
    get size() {
      return young.size + old.size;
    },
    clear() {
      young = new Map();
      old = new Map();
    },
  };
}
