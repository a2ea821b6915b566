import { describe, expect, it } from 'vitest';
import { SeaGenerator } from '../generators/sea-generator.js';
import { JavaRandom } from '../java-random.js';
import type { Schema } from '../schema.js';
import { HoeffdingTree } from './hoeffding-tree.js';
import { branchOf, naiveBayesVotes, type TreeNode } from './nodes.js';
import { treeFromState, treeState } from './tree-state.js';
import { normalProbability } from './normal-probability.js';
import { NumericObserver } from './numeric-observer.js';
import { entropy, infoGain } from './split-criterion.js';

const twoNominal: Schema = {
  relation: 't',
  attributes: [
    { name: 'signal', kind: 'nominal', values: ['a', 'b'] },
    { name: 'noise', kind: 'nominal', values: ['p', 'q'] },
  ],
  classAttribute: { name: 'class', kind: 'nominal', values: ['no', 'yes'] },
};

describe('split criterion', () => {
  it('computes entropy and information gain in bits, −∞ below the minimum branch fraction', () => {
    expect(entropy([1, 1])).toBeCloseTo(1, 15);
    expect(entropy([4, 0])).toBe(0);
    const ig = infoGain(0.01);
    expect(ig.merit([2, 2], [Float64Array.of(2, 0), Float64Array.of(0, 2)])).toBeCloseTo(1, 15);
    expect(ig.merit([100, 100], [Float64Array.of(100, 99.9), Float64Array.of(0, 0.1)])).toBe(-Infinity);
    expect(ig.range(2)).toBe(1);
    expect(ig.range(10)).toBeCloseTo(Math.log2(10), 15);
  });
});

describe('Gaussian numeric observer', () => {
  it('proposes 10 equally spaced thresholds and splits the class weights without losing any', () => {
    const o = new NumericObserver(2);
    for (let i = 0; i <= 10; i++) o.observe(i, 0, 1);
    for (let i = 5; i <= 20; i++) o.observe(i, 1, 1);
    const pts = o.splitPoints();
    expect(pts).toHaveLength(10);
    expect(pts[0]).toBeCloseTo(20 / 11, 12);
    const [l, r] = o.binarySplit(pts[4]);
    expect(l[0] + r[0]).toBeCloseTo(11, 12);
    expect(l[1] + r[1]).toBeCloseTo(16, 12);
    // Class 0 lies entirely left of 12 (≥ its max), class 1 entirely right of 4.9 (< its min).
    expect(o.binarySplit(12)[0][0]).toBe(11);
    expect(o.binarySplit(4.9)[1][1]).toBe(16);
  });

  it('computes Φ as weka/Cephes does', () => {
    expect(normalProbability(0)).toBe(0.5);
    expect(normalProbability(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalProbability(-3)).toBeCloseTo(0.0013498980316301, 14);
  });
});

describe('HoeffdingTree', () => {
  it('votes all zeros before learning and rejects bad options', () => {
    const t = new HoeffdingTree(twoNominal);
    expect(Array.from(t.predictVotes(Float64Array.of(0, 0)))).toEqual([0, 0]);
    expect(() => new HoeffdingTree(twoNominal, { gracePeriod: 0 })).toThrow(/gracePeriod: expected > 0, got 0/);
    expect(() => new HoeffdingTree(twoNominal, { leafPrediction: 'x' as 'mc' })).toThrow(/leafPrediction/);
  });

  it('splits on the informative attribute once the Hoeffding bound allows it', () => {
    // 10 instances, perfectly separable by `signal`: ε = √(ln(1e7)/20) ≈ 0.898 < merit gap 1 → split.
    const t = new HoeffdingTree(twoNominal, { gracePeriod: 10, leafPrediction: 'mc' });
    for (let i = 0; i < 9; i++) t.learn(Float64Array.of(i % 2, (i >> 1) % 2), i % 2);
    expect(t.root?.kind).toBe('leaf');
    t.learn(Float64Array.of(1, 1), 1);
    expect(t.root?.kind).toBe('split');
    if (t.root?.kind !== 'split') throw new Error('unreachable');
    expect(t.root.test.attribute).toBe(0);
    expect(t.predict(Float64Array.of(0, 1))).toBe(0);
    expect(t.predict(Float64Array.of(1, 0))).toBe(1);
  });

  it('does not split when the bound is not met (noise only)', () => {
    const t = new HoeffdingTree(twoNominal, { gracePeriod: 10 });
    for (let i = 0; i < 40; i++) t.learn(Float64Array.of(i % 2, (i >> 1) % 2), (i >> 2) % 2);
    expect(t.measure().nodes).toBe(1);
  });

  it('learns SEA (noise-free) to high prequential accuracy and predicts deterministically', () => {
    const g = new SeaGenerator({ noisePercentage: 0 });
    const t = new HoeffdingTree(g.schema);
    let correct = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const { x, y } = g.nextInstance();
      if (i >= n / 2 && t.predict(x) === y) correct++;
      t.learn(x, y);
    }
    expect(correct / (n / 2)).toBeGreaterThan(0.95);
    expect(t.measure().depth).toBeGreaterThan(1);
  });

  it('NB-adaptive leaves count which of MC and NB would have been right', () => {
    const t = new HoeffdingTree(twoNominal, { gracePeriod: 1000 });
    for (let i = 0; i < 50; i++) t.learn(Float64Array.of(i % 2, 0), i % 2);
    const leaf = t.root;
    if (leaf?.kind !== 'leaf') throw new Error('expected a leaf');
    expect(leaf.nbCorrect).toBeGreaterThan(leaf.mcCorrect);
    expect(t.predict(Float64Array.of(1, 0))).toBe(1); // NB uses `signal`; MC alone could not
  });

  it('observes only a random subspace per leaf when asked (ARF)', () => {
    const g = new SeaGenerator();
    const t = new HoeffdingTree(g.schema, { subspaceSize: 2, randomSeed: 3 });
    t.learn(g.nextInstance().x, 1);
    if (t.root?.kind !== 'leaf') throw new Error('expected a leaf');
    expect(t.root.subspace).toHaveLength(2);
    expect(t.root.observers.filter((o) => o !== null)).toHaveLength(2);
  });
});

/** Numeric and nominal attributes (one with 4 values, mostly 0/1 so multiway splits meet unseen values), NaNs. */
const mixed: Schema = {
  relation: 'mixed',
  attributes: [
    { name: 'n1', kind: 'numeric' },
    { name: 'c1', kind: 'nominal', values: ['a', 'b', 'c', 'd'] },
    { name: 'n2', kind: 'numeric' },
    { name: 'c2', kind: 'nominal', values: ['p', 'q'] },
    { name: 'n3', kind: 'numeric' },
  ],
  classAttribute: { name: 'class', kind: 'nominal', values: ['x', 'y', 'z'] },
};

function mixedStream(seed: number): () => { x: Float64Array; y: number } {
  const r = new JavaRandom(seed);
  let i = 0;
  return () => {
    i++;
    const c1 = i > 1500 && r.nextDouble() < 0.2 ? 2 + r.nextInt(2) : r.nextInt(2);
    const x = Float64Array.of(r.nextGaussian(), c1, r.nextDouble() * 4, r.nextInt(2), r.nextGaussian() * 0.01);
    for (let j = 0; j < x.length; j++) if (r.nextDouble() < 0.03) x[j] = NaN;
    const score = (x[0] > 0 ? 1 : 0) + (c1 === 1 ? 1 : 0) + (x[2] > 2 ? 1 : 0);
    return { x, y: r.nextDouble() < 0.1 ? r.nextInt(3) : Math.min(2, score) };
  };
}

/** The votes of `t` for x walked over the node objects (branchOf, MOA's leaf rules): what the split index must mirror. */
function referenceVotes(t: HoeffdingTree, x: Float64Array): Float64Array {
  const out = new Float64Array(t.numClasses);
  let n: TreeNode | null | undefined = t.root;
  if (!n) return out;
  while (n.kind === 'split') {
    const b = branchOf(n.test, x);
    const child: TreeNode | null | undefined = b < 0 ? null : n.children[b];
    if (!child) {
      out.set(n.dist);
      return out;
    }
    n = child;
  }
  if (!n.active || n.mcCorrect > n.nbCorrect) out.set(n.dist);
  else naiveBayesVotes(n, x, out);
  return out;
}

describe('HoeffdingTree follow-up calls (ensemble test-then-train)', () => {
  for (const options of [{ subspaceSize: 3, gracePeriod: 25 }, { gracePeriod: 40, binarySplits: true }, { gracePeriod: 30, splitCriterion: 'gini' as const, leafPrediction: 'nb' as const }]) {
    it(`learnAfterPredict / predictVotesAfterLearnInto equal learn / predictVotesInto, bit for bit (${JSON.stringify(options)})`, () => {
      const next = mixedStream(7);
      const reusing = new HoeffdingTree(mixed, { ...options, randomSeed: 5 });
      const plain = new HoeffdingTree(mixed, { ...options, randomSeed: 5 });
      const a = new Float64Array(3);
      const b = new Float64Array(3);
      for (let i = 0; i < 4000; i++) {
        const { x, y } = next();
        reusing.predictVotesInto(x, a);
        plain.predictVotesInto(Float64Array.from(x), b);
        expect(Array.from(a)).toEqual(Array.from(b));
        if (options.leafPrediction !== 'nb') expect(Array.from(a)).toEqual(Array.from(referenceVotes(plain, x)));
        const w = 1 + (i % 4);
        reusing.learnAfterPredict(x, y, w);
        plain.learn(Float64Array.from(x), y, w);
        reusing.predictVotesAfterLearnInto(x, a);
        plain.predictVotesInto(Float64Array.from(x), b);
        expect(Array.from(a)).toEqual(Array.from(b));
      }
      expect(reusing.splits).toBeGreaterThan(5);
      expect(JSON.stringify(treeState(reusing))).toBe(JSON.stringify(treeState(plain)));
    });
  }

  it('falls back to the full calls when the follow-up does not follow (other x, other call, restored root)', () => {
    const next = mixedStream(11);
    const t = new HoeffdingTree(mixed, { gracePeriod: 25 });
    const ref = new HoeffdingTree(mixed, { gracePeriod: 25 });
    const v = new Float64Array(3);
    for (let i = 0; i < 1500; i++) {
      const { x, y } = next();
      const other = next().x;
      t.predictVotesInto(other, v); // not x: learnAfterPredict(x) must descend afresh
      t.learnAfterPredict(x, y);
      ref.learn(x, y);
      if (i === 700) {
        const restored = treeFromState(mixed, JSON.parse(JSON.stringify(treeState(t))));
        t.root = restored.root; // a root assigned from outside: the index is rebuilt
      }
      t.predictVotesAfterLearnInto(x, v);
      expect(Array.from(v)).toEqual(Array.from(ref.predictVotes(x)));
    }
    expect(JSON.stringify(treeState(t).root)).toBe(JSON.stringify(treeState(ref).root));
  });
});
