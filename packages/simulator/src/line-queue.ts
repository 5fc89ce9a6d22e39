import type { DataLine } from "@spinewatch/protocol";

interface Entry {
  key: number;
  seq: number;
  line: DataLine;
}

/**
 * Min-heap of data lines by time (`key`, usually the line's tMs), first-in first-out among equal
 * times, so that lines produced by different parts of the simulation come out in time order.
 */
export class LineQueue {
  readonly #heap: Entry[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(key: number, line: DataLine): void {
    const h = this.#heap;
    h.push({ key, seq: this.#seq++, line });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** Removes and yields every line with key ≤ `key`, in order. */
  *popUntil(key: number): Generator<DataLine> {
    const h = this.#heap;
    while (h.length > 0 && h[0].key <= key) yield this.#pop();
  }

  #pop(): DataLine {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top.line;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.key < b.key || (a.key === b.key && a.seq < b.seq);
}
