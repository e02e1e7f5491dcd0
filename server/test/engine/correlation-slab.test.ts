import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntryList, EntrySlab, F64_STRIDE, I32_STRIDE, NEXT } from '../../src/engine/correlation/slab.ts';

/** Slots of a list, oldest first, by following the links. */
function walk(slab: EntrySlab, list: EntryList): number[] {
  const out: number[] = [];
  for (let s = list.first; s !== -1; s = slab.i32[s * I32_STRIDE + NEXT]!) out.push(s);
  return out;
}

type Entry = { t: number; id: string };

test('slab lists match a sorted-array model under random inserts, late events, redeliveries and expiry', () => {
  let seed = 3;
  const rand = (n: number) => ((seed = (seed * 1664525 + 1013904223) >>> 0) % n);
  for (const keepIds of [1, 3, 1000]) {
    // A small initial capacity is not configurable, so many groups force growth instead.
    const slab = new EntrySlab(false, keepIds);
    const lists = Array.from({ length: 40 }, () => new EntryList());
    const models: Entry[][] = lists.map(() => []);
    const newest = lists.map(() => 0);
    let counter = 0;
    for (let step = 0; step < 20_000; step++) {
      const g = rand(lists.length);
      const list = lists[g]!;
      const model = models[g]!;
      const op = rand(10);
      if (op < 7) {
        // Mostly in order, sometimes late, sometimes a tie or a redelivery (of an entry
        // whose id is still kept: older ones cannot be recognised).
        const kept = model.slice(-keepIds);
        const pick = kept.length > 0 && rand(20) === 0 ? kept[rand(kept.length)]! : null;
        const t = pick ? pick.t : newest[g]! + rand(4) - (rand(8) === 0 ? rand(50) : 0);
        const id = pick ? pick.id : `e${++counter}`;
        const slot = slab.insert(list, { timeMs: t, id });
        if (pick) {
          assert.equal(slot, -1, 'a redelivered event is refused');
          continue;
        }
        assert.ok(slot >= 0);
        let at = model.length;
        while (at > 0 && model[at - 1]!.t > t) at--;
        model.splice(at, 0, { t, id });
        newest[g] = Math.max(newest[g]!, t);
      } else if (op < 9) {
        slab.dropOld(list, 20, 1 + rand(30));
        const max = list.size;
        const low = model.length > 0 ? model[model.length - 1]!.t - 20 : 0;
        while (model.length > 0 && (model[0]!.t < low || model.length > max)) model.shift();
      } else if (model.length > 0) {
        slab.shift(list);
        model.shift();
      }
      const slots = walk(slab, list);
      assert.equal(list.size, model.length);
      assert.deepEqual(slots.map((s) => slab.f64[s * F64_STRIDE]), model.map((m) => m.t));
      assert.deepEqual(slab.keptIds(list), model.slice(-keepIds).map((m) => m.id));
    }
    assert.equal(slab.used, models.reduce((n, m) => n + m.length, 0));
    for (const list of lists) slab.clear(list);
    assert.equal(slab.used, 0);
  }
});
