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
});
