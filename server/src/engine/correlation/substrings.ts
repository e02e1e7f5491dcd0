// Many substrings found in one pass (Aho-Corasick): the automaton of every needle the rules
// of a bucket require in one field. Scanning a text costs its length plus the matches,
// whatever the number of needles, which is what keeps rules that only say "the command
// line contains X" from costing every event one test per rule. Needles are lower-case;
// texts are lower-cased before the scan.

export class SubstringSet {
  /** goto[state] : char code -> next state. */
  private readonly next: Array<Map<number, number>> = [new Map()];
  private fail: Int32Array = new Int32Array(1);
  /** Needle ids ending at each state, own and inherited through failure links. */
  private out: number[][] = [[]];
  /** The root's transitions for ASCII, flat: most characters of a text leave the root at once. */
  private rootAscii = new Int32Array(128);
  private built = false;

  /** Adds a needle (lower-case, non-empty) under an id. */
  add(needle: string, id: number): void {
    if (this.built) throw new Error('SubstringSet: add after build');
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const c = needle.charCodeAt(i);
      let to = this.next[state]!.get(c);
      if (to === undefined) {
        to = this.next.length;
        this.next.push(new Map());
        this.out.push([]);
        this.next[state]!.set(c, to);
      }
      state = to;
    }
    this.out[state]!.push(id);
  }

  /** Computes failure links breadth first; call once after the last add. */
  build(): this {
    const fail = new Int32Array(this.next.length);
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) queue.push(to);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [c, to] of this.next[state]!) {
        queue.push(to);
        let f = fail[state]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = fail[f]!;
        const target = this.next[f]!.get(c);
        fail[to] = target !== undefined && target !== to ? target : 0;
        const inherited = this.out[fail[to]!]!;
        if (inherited.length > 0) this.out[to] = [...this.out[to]!, ...inherited];
      }
    }
    this.fail = fail;
    for (const [c, to] of this.next[0]!) if (c < 128) this.rootAscii[c] = to;
    this.built = true;
    return this;
  }

  /** Writes the id of every needle occurring in text into hits (an id may repeat); returns how many. */
  scan(text: string, hits: number[]): number {
    let n = 0;
    const { next, fail, out, rootAscii } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (state === 0 && c < 128) {
        // 0 means no transition from the root (no state but the root is 0).
        state = rootAscii[c]!;
        const ids = out[state]!;
        for (let k = 0; k < ids.length; k++) hits[n++] = ids[k]!;
        continue;
      }
      let to = next[state]!.get(c);
      while (to === undefined && state !== 0) {
        state = fail[state]!;
        to = next[state]!.get(c);
      }
      state = to ?? 0;
      const ids = out[state]!;
      for (let k = 0; k < ids.length; k++) hits[n++] = ids[k]!;
    }
    return n;
  }
}
