import { describe, expect, it } from 'vitest';
import { chainDrifts } from '../generators/concept-drift-stream.js';
import { SeaGenerator } from '../generators/sea-generator.js';
import { JavaRandom } from '../java-random.js';
import { AdaptiveRandomForest } from './adaptive-random-forest.js';
import { poisson } from './poisson.js';

describe('poisson', () => {
  it('has mean ≈ λ', () => {
    const r = new JavaRandom(1);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += poisson(6, r);
    expect(s / 20000).toBeGreaterThan(5.9);
    expect(s / 20000).toBeLessThan(6.1);
  });
});

describe('AdaptiveRandomForest', () => {
  it('uses 60 % of the attributes per leaf (rounded as MOA) and learns SEA', () => {
    const g = new SeaGenerator({ noisePercentage: 0 });
    const arf = new AdaptiveRandomForest(g.schema, { ensembleSize: 5 });
    expect(arf.subspaceSize).toBe(2);
    let correct = 0;
    for (let i = 0; i < 6000; i++) {
      const { x, y } = g.nextInstance();
      if (i >= 3000 && arf.predict(x) === y) correct++;
      arf.learn(x, y);
    }
    expect(correct / 3000).toBeGreaterThan(0.93);
  });

  it('detects an abrupt concept change and replaces trees', () => {
    // SEA f3 (θ = 7) → f4 (θ = 9.5): about a fifth of the input space changes label at instance 3000.
    const s = chainDrifts([new SeaGenerator({ function: 3, noisePercentage: 0 }), new SeaGenerator({ function: 4, instanceRandomSeed: 5, noisePercentage: 0 })], [{ position: 3000, width: 1 }]);
    const arf = new AdaptiveRandomForest(s.schema, { ensembleSize: 5, seed: 2 });
    for (let i = 0; i < 6000; i++) {
      const { x, y } = s.nextInstance();
      arf.learn(x, y);
    }
    expect(arf.driftDetections).toBeGreaterThan(0);
    expect(arf.driftPositions.some((p) => p > 3000)).toBe(true);
  });

  it('learns exactly the same whether or not learn(x) follows predict(x) with the same array (vote reuse)', () => {
    // The drift of the test above, so that trees are replaced on the way (the cache is per member index).
    const s1 = chainDrifts([new SeaGenerator({ function: 3, noisePercentage: 0 }), new SeaGenerator({ function: 4, instanceRandomSeed: 5, noisePercentage: 0 })], [{ position: 3000, width: 1 }]);
    const reusing = new AdaptiveRandomForest(s1.schema, { ensembleSize: 5, seed: 2 });
    const fresh = new AdaptiveRandomForest(s1.schema, { ensembleSize: 5, seed: 2 });
    for (let i = 0; i < 6000; i++) {
      const { x, y } = s1.nextInstance();
      expect(reusing.predict(x)).toBe(fresh.predict(x));
      reusing.learn(x, y); // same array: reuses the members' predictions
      fresh.learn(Float64Array.from(x), y); // a copy: sorts x down every tree again
    }
    expect(reusing.driftDetections).toBeGreaterThan(0);
    expect(JSON.stringify(reusing.getState())).toBe(JSON.stringify(fresh.getState()));
    // A restored forest (members replaced wholesale) still predicts and learns like the original.
    const restored = AdaptiveRandomForest.fromState(s1.schema, JSON.parse(JSON.stringify(reusing.getState())));
    for (let i = 0; i < 300; i++) {
      const { x, y } = s1.nextInstance();
      expect(restored.predict(x)).toBe(reusing.predict(x));
      restored.learn(x, y);
      reusing.learn(x, y);
    }
    expect(JSON.stringify(restored.getState())).toBe(JSON.stringify(reusing.getState()));
  });
});
