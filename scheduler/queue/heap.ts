/**
 * A binary min-heap with keyed access (kube-scheduler's internal/heap): the scheduling
 * queue must push, pop, look up, delete and re-order one pod by its key in O(log n),
 * because pods are updated and deleted while they wait.
 *
 * Ordering is `less(a, b)` (true: a comes out before b). Ties are broken by insertion
 * order, so pods that compare equal — the same priority, added at the same instant of a
 * FakeClock — come out first-in first-out instead of in an arbitrary heap order.
 *
 * Worked example, less = smaller number first, keys are letters:
 *   push(a:5) push(b:3) push(c:5)    array [b:3, a:5, c:5]; each slot knows its index
 *   update(c:1)                      c sifts up to the root: [c:1, a:5, b:3]
 *   delete(a)                        the last slot (b) takes a's place and is re-sifted
 *   pop() → c, pop() → b
 */

interface Slot<T> {
  item: T;
  key: string;
  /** where the slot sits in the array; kept on the slot so a swap touches no Map */
  index: number;
  /** insertion order, for the FIFO tie-break */
  seq: number;
}

export class KeyedHeap<T> {
  private readonly slots: Slot<T>[] = [];
  private readonly byKey = new Map<string, Slot<T>>();
  private seq = 0;

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.slots.length;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): T | undefined {
    return this.byKey.get(key)?.item;
  }

  peek(): T | undefined {
    return this.slots[0]?.item;
  }

  /** add the item, or replace the one with the same key (keeping its place in FIFO order) and re-sift it */
  addOrUpdate(item: T): void {
    const key = this.keyOf(item);
    const existing = this.byKey.get(key);
    if (existing) {
      existing.item = item;
      this.fix(existing.index);
      return;
    }
    const slot: Slot<T> = { item, key, index: this.slots.length, seq: this.seq++ };
    this.slots.push(slot);
    this.byKey.set(key, slot);
    this.up(slot.index);
  }

  pop(): T | undefined {
    if (this.slots.length === 0) return undefined;
    return this.removeAt(0);
  }

  delete(key: string): T | undefined {
    const slot = this.byKey.get(key);
    return slot ? this.removeAt(slot.index) : undefined;
  }

  /** every item, in no particular order */
  list(): T[] {
    return this.slots.map((s) => s.item);
  }

  private removeAt(i: number): T {
    const removed = this.slots[i]!;
    const last = this.slots.pop()!;
    this.byKey.delete(removed.key);
    if (i < this.slots.length) {
      this.slots[i] = last;
      last.index = i;
      this.fix(i);
    }
    return removed.item;
  }

  private before(a: Slot<T>, b: Slot<T>): boolean {
    if (this.less(a.item, b.item)) return true;
    if (this.less(b.item, a.item)) return false;
    return a.seq < b.seq;
  }

  /** restore the heap property for a slot whose item changed in either direction */
  private fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  /** sift up; true when the slot moved */
  private up(i: number): boolean {
    const start = i;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.slots[i]!, this.slots[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i !== start;
  }

  private down(i: number): void {
    const n = this.slots.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.before(this.slots[right]!, this.slots[left]!) ? right : left;
      if (!this.before(this.slots[child]!, this.slots[i]!)) return;
      this.swap(i, child);
      i = child;
    }
  }

  private swap(i: number, j: number): void {
    const a = this.slots[i]!;
    const b = this.slots[j]!;
    this.slots[i] = b;
    this.slots[j] = a;
    b.index = i;
    a.index = j;
  }
}
