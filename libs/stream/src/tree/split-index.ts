import type { LeafNode, SplitNode, TreeNode } from './nodes.js';

/** Entry of a missing child (a null / absent slot of `children`). Splits are ids ≥ 0, leaves −2 − leaf index. */
export const ABSENT = -1;

/** Slot of the root entry, and of a branch beyond a split's children (an unseen multiway value). */
export const ROOT_SLOT = -1;
export const BEYOND = -0x40000000;

const NUMERIC = 0;
const MULTIWAY = 1;
const BINARY = 2;

/** How a descent ended. */
export const REACHED_LEAF = 0;
/** At a split whose test value is missing (or a negative multiway branch): predictions use its dist, learning stops. */
export const STOPPED_MISSING = 1;
/** At a split without a child on the instance's branch: predictions use its dist, learning grows a leaf there. */
export const STOPPED_ABSENT = 2;
export const EMPTY_TREE = 3;

/**
 * Doubles per split record: attribute, test type, threshold / value, child count, then either both children
 * (≤ 2 children) or the start of its children in the child table. Small integers are exact as doubles.
 */
const STRIDE = 8;
const ATTR = 0;
const TYPE = 1;
const PARAM = 2;
const COUNT = 3;
const CHILD0 = 4;
const START = 6;

/**
 * A flat mirror of a Hoeffding tree's split nodes for the descent of every instance: walking objects
 * (node → test → children array → child) costs several cache misses per level on an ensemble's heap, one
 * record per level (attribute, test and children in one cache line) costs one. It tests exactly as
 * `branchOf` does. The tree keeps it in step with every structural change it makes (`attachSplit`,
 * `attachLeaf`); a root replaced from outside (a state restore assigns `root`) is caught by comparing
 * `root`, and answered with a rebuild.
 *
 * Slots name where an entry is stored: ≥ 0 a position in the records, ≤ −2 one in the child table
 * (−2 − position), ROOT_SLOT the root entry.
 */
export class SplitIndex {
  /** The root this index mirrors. */
  root: TreeNode | null = null;
  rootEntry = ABSENT;
  private rec = new Float64Array(16 * STRIDE);
  private child = new Int32Array(16);
  splits: SplitNode[] = [];
  leaves: (LeafNode | null)[] = [];
  private numSplits = 0;
  private numChild = 0;

  /** Where the last descent ended: the leaf (REACHED_LEAF) or the split it stopped at, its parent split (−1: none), branch and slot. */
  leaf: LeafNode | null = null;
  split = -1;
  parent = -1;
  branch = -1;
  slot = ROOT_SLOT;

  /** Rebuilds the mirror of `root`. */
  build(root: TreeNode | null): void {
    this.root = root;
    this.numSplits = 0;
    this.numChild = 0;
    this.splits.length = 0;
    this.leaves.length = 0;
    this.rootEntry = root ? this.add(root) : ABSENT;
  }

  private add(n: TreeNode): number {
    if (n.kind === 'leaf') {
      this.leaves.push(n);
      return -2 - (this.leaves.length - 1);
    }
    const id = this.newSplit(n);
    for (let b = 0; b < n.children.length; b++) {
      const c = n.children[b];
      const e = c ? this.add(c) : ABSENT; // computed first: adding a subtree may reallocate the arrays
      this.set(this.slotOf(id, b), e);
    }
    return id;
  }

  /** Registers split node `n` with all its children ABSENT; returns its id. */
  private newSplit(n: SplitNode): number {
    const id = this.numSplits++;
    if ((id + 1) * STRIDE > this.rec.length) {
      const rec = new Float64Array(this.rec.length * 2);
      rec.set(this.rec);
      this.rec = rec;
    }
    const r = id * STRIDE;
    const t = n.test;
    const count = n.children.length;
    this.rec[r + ATTR] = t.attribute;
    this.rec[r + TYPE] = t.type === 'numeric' ? NUMERIC : t.type === 'multiway' ? MULTIWAY : BINARY;
    this.rec[r + PARAM] = t.type === 'numeric' ? t.threshold : t.type === 'binary' ? t.value : 0;
    this.rec[r + COUNT] = count;
    this.rec[r + CHILD0] = ABSENT;
    this.rec[r + CHILD0 + 1] = ABSENT;
    if (count > 2) {
      const start = this.numChild;
      if (start + count > this.child.length) {
        const c = new Int32Array(Math.max(this.child.length * 2, start + count));
        c.set(this.child);
        this.child = c;
      }
      this.numChild += count;
      this.rec[r + START] = start;
      for (let b = 0; b < count; b++) this.child[start + b] = ABSENT;
    }
    this.splits[id] = n;
    return id;
  }

  /** Slot of branch b (< its child count) of split id. */
  private slotOf(id: number, b: number): number {
    const r = id * STRIDE;
    return this.rec[r + COUNT] > 2 ? -2 - (this.rec[r + START] + b) : r + CHILD0 + b;
  }

  /** The entry stored at `slot`. */
  entryAt(slot: number): number {
    return slot === ROOT_SLOT ? this.rootEntry : slot >= 0 ? this.rec[slot] : this.child[(-2 - slot) | 0];
  }

  private set(slot: number, e: number): void {
    if (slot === ROOT_SLOT) this.rootEntry = e;
    else if (slot >= 0) this.rec[slot] = e;
    else this.child[-2 - slot] = e;
  }

  /**
   * Descends x from `entry` (the root entry, or one on x's path, stored at `slot`); returns REACHED_LEAF …
   * EMPTY_TREE and leaves the end in leaf / split / parent / branch / slot.
   */
  descend(x: Float64Array, entry: number, slot: number): number {
    const rec = this.rec;
    let e = entry;
    let parent = -1;
    let branch = -1;
    while (e >= 0) {
      const r = e * STRIDE;
      const v = x[rec[r + ATTR] | 0];
      let b: number;
      if (v !== v) b = -1;
      else {
        const t = rec[r + TYPE];
        b = t === NUMERIC ? (v <= rec[r + PARAM] ? 0 : 1) : t === MULTIWAY ? v | 0 : v === rec[r + PARAM] ? 0 : 1;
      }
      if (b < 0) {
        this.split = e;
        this.branch = b;
        return STOPPED_MISSING;
      }
      const count = rec[r + COUNT];
      let s: number;
      let c: number;
      if (b >= count) {
        s = BEYOND;
        c = ABSENT;
      } else if (count > 2) {
        const p = (rec[r + START] + b) | 0;
        s = -2 - p;
        c = this.child[p];
      } else {
        s = r + CHILD0 + b;
        c = rec[s];
      }
      if (c === ABSENT) {
        this.split = e;
        this.branch = b;
        this.slot = s;
        return STOPPED_ABSENT;
      }
      parent = e;
      branch = b;
      slot = s;
      e = c;
    }
    if (e === ABSENT) return EMPTY_TREE;
    this.leaf = this.leaves[(-2 - e) | 0];
    this.split = -1;
    this.parent = parent;
    this.branch = branch;
    this.slot = slot;
    return REACHED_LEAF;
  }

  /** The tree just created `leaf` at `slot` (not BEYOND). */
  attachLeaf(slot: number, leaf: LeafNode): void {
    this.leaves.push(leaf);
    this.set(slot, -2 - (this.leaves.length - 1));
  }

  /** The leaf at `slot` was replaced by split node `split` (with fresh leaf children). */
  attachSplit(slot: number, split: SplitNode): void {
    const old = this.entryAt(slot);
    const id = this.newSplit(split);
    let reuse = old <= -2 ? -2 - old : -1; // the replaced leaf's index goes to the first child
    for (let b = 0; b < split.children.length; b++) {
      const c = split.children[b];
      if (!c) continue;
      let e: number;
      if (c.kind !== 'leaf') e = this.add(c);
      else if (reuse >= 0) {
        this.leaves[reuse] = c;
        e = -2 - reuse;
        reuse = -1;
      } else {
        this.leaves.push(c);
        e = -2 - (this.leaves.length - 1);
      }
      this.set(this.slotOf(id, b), e);
    }
    if (reuse >= 0) this.leaves[reuse] = null;
    this.set(slot, id);
    if (slot === ROOT_SLOT) this.root = split;
  }
}
