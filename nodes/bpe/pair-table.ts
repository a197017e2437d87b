/**
 * A hash table from a pair of token ids (left, right) to a non-negative integer, in typed arrays.
 *
 *   const table = new PairTable();
 *   table.set(72, 105, 7);
 *   table.get(72, 105)   // 7
 *   table.get(105, 72)   // -1 (absent)
 *
 * BPE looks pairs up millions of times. A JS Map would need a key like `left * 65536 + right`,
 * which leaves the small-integer range for real vocabularies and gets slow; open addressing over
 * Int32Arrays stays fast and allocation-free.
 *
 * Not handled here: deleting entries (BPE never needs to), negative ids or values.
 */

const EMPTY = -1;

export class PairTable {
  private lefts: Int32Array;
  private rights: Int32Array;
  private values: Int32Array;
  private mask: number;
  private filled = 0;

  constructor(expectedSize = 1024) {
    let capacity = 1024;
    while (capacity < expectedSize * 2) capacity *= 2;
    this.lefts = new Int32Array(capacity);
    this.rights = new Int32Array(capacity);
    this.values = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.filled;
  }

  private slotOf(left: number, right: number): number {
    let slot = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right + 0x7f4a7c15, 0x85ebca77)) & this.mask;
    while (this.values[slot] !== EMPTY && (this.lefts[slot] !== left || this.rights[slot] !== right)) {
      slot = (slot + 1) & this.mask;
    }
    return slot;
  }

  /** The value stored for (left, right), or -1. */
  get(left: number, right: number): number {
    return this.values[this.slotOf(left, right)]!;
  }

  set(left: number, right: number, value: number): void {
    const slot = this.slotOf(left, right);
    if (this.values[slot] === EMPTY) {
      this.lefts[slot] = left;
      this.rights[slot] = right;
      this.filled++;
    }
    this.values[slot] = value;
    if (this.filled * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const { lefts, rights, values } = this;
    const capacity = values.length * 2;
    this.lefts = new Int32Array(capacity);
    this.rights = new Int32Array(capacity);
    this.values = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot]!;
      if (value === EMPTY) continue;
      const to = this.slotOf(lefts[slot]!, rights[slot]!);
      this.lefts[to] = lefts[slot]!;
      this.rights[to] = rights[slot]!;
      this.values[to] = value;
    }
  }
}
