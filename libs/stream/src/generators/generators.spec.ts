import { describe, expect, it } from 'vitest';
import { AgrawalGenerator } from './agrawal-generator.js';
import { ConceptDriftStream, chainDrifts } from './concept-drift-stream.js';
import { HyperplaneGenerator } from './hyperplane-generator.js';
import { LedGenerator } from './led-generator.js';
import { RandomRbfGenerator } from './random-rbf-generator.js';
import { SeaGenerator } from './sea-generator.js';

/*
 * Derivation of the expected first instances. Each value below was computed by hand-porting the Java
 * definitions (drift.md §3) to Python with exact integer arithmetic, independently of this TypeScript:
 *  - java.util.Random: seed = (s ^ 0x5DEECE66D) mod 2^48; next(b) = top b bits of seed·0x5DEECE66D + 0xB;
 *    nextDouble = (next(26)·2^27 + next(27))·2^-53; nextInt(n) with the rejection loop; nextGaussian polar.
 *  - SEA(f=1, seed 1): a1..a3 = 10·nextDouble(); class 0 iff a1 + a2 ≤ 8; flip iff 1 + nextInt(100) ≤ 10.
 *    Instance 1: a = (7.3088, 4.1008, 2.0771) → 11.41 > 8 → class 1; the noise draw is 50 > 10, no flip.
 *  - LED(seed 1): c = nextInt(10) = 5 → segments 1101011, each kept unless 1 + nextInt(100) ≤ 10; then
 *    17 × nextInt(2). LEDGeneratorDrift(d=3) swaps columns (0↔7), (1↔8), (2↔9) of the same draws.
 *  - RandomRBF(seed 1): 50 centroids from Random(1) (10 coords, label nextInt(2), stdDev, weight); the
 *    instance picks a centroid by cumulative weight, draws a direction in [−1,1]^10 and a length
 *    nextGaussian()·stdDev. The drift variant first moves every centroid by speed·unit vector (a second
 *    Random(1) stream), bouncing at 0 and 1.
 *  - Hyperplane(seed 1): weights = 10 × nextDouble() from the instance random, then x = 10 × nextDouble().
 *  - Agrawal(f=1, seed 1, p=0.05): the draw order salary, commission (only if salary < 75k), age, elevel,
 *    car, zipcode, hvalue, hyears, loan, then the perturbation draws.
 */
describe('MOA generators (first instances derived from the Java definitions)', () => {
  it('SEA', () => {
    const g = new SeaGenerator({ function: 1, instanceRandomSeed: 1 });
    const a = g.nextInstance();
    expect(Array.from(a.x)).toEqual([7.308781907032909, 4.100808114922017, 2.077148413097171]);
    expect(a.y).toBe(1);
    const b = g.nextInstance();
    expect(Array.from(b.x)).toEqual([6.588672394716129, 7.107396275716601, 1.5273620134152177]);
    expect(b.y).toBe(1);
    expect(g.nextInstance().y).toBe(1);
    g.restart();
    expect(g.nextInstance().x[0]).toBe(7.308781907032909);
  });

  it('LED and LEDGeneratorDrift', () => {
    const bits = (x: Float64Array) => Array.from(x).join('');
    const led = new LedGenerator({ instanceRandomSeed: 1 });
    const i1 = led.nextInstance();
    expect([bits(i1.x), i1.y]).toEqual(['110111011001011111001000', 5]);
    const i2 = led.nextInstance();
    expect([bits(i2.x), i2.y]).toEqual(['111011000101011010011011', 9]);
    const drift = new LedGenerator({ instanceRandomSeed: 1, numberAttributesDrift: 3 });
    expect(bits(drift.nextInstance().x)).toBe('110111011001011111001000');
    expect(bits(drift.nextInstance().x)).toBe('001011011101011010011011');
  });

  it('RandomRBF and RandomRBFGeneratorDrift', () => {
    const g = new RandomRbfGenerator({ modelRandomSeed: 1, instanceRandomSeed: 1 });
    const a = g.nextInstance();
    expect(a.y).toBe(1);
    expect(Array.from(a.x)).toEqual([0.2103720255378259, 1.0095862047200432, 0.0919002389258551, 0.27207089627597286, 0.4501171141933731, 0.22609818347443267, 0.21228595169897535, 0.37266997838156646, 0.5831457313935221, 0.29700709397885133]);
    expect(g.nextInstance().x[0]).toBe(0.688070952271892);
    const d = new RandomRbfGenerator({ modelRandomSeed: 1, instanceRandomSeed: 1, speedChange: 1e-3 });
    expect(Array.from(d.nextInstance().x).slice(0, 3)).toEqual([0.2107606633709709, 1.0099019411451013, 0.09221582930938212]);
    const b = d.nextInstance();
    expect([b.x[0], b.x[9], b.y]).toEqual([0.6881648449111546, 0.7609685232848663, 1]);
  });

  it('Hyperplane', () => {
    const g = new HyperplaneGenerator({ instanceRandomSeed: 1 });
    const a = g.nextInstance();
    expect([a.x[0], a.x[9], a.y]).toEqual([0.3971743421847056, 0.13976268290375116, 0]);
    const b = g.nextInstance();
    expect([b.x[0], b.x[1], b.y]).toEqual([0.004852533415334981, 0.8522535640468473, 0]);
  });

  it('Agrawal', () => {
    const g = new AgrawalGenerator({ function: 1, instanceRandomSeed: 1 });
    const a = g.nextInstance();
    expect(Array.from(a.x)).toEqual([110499.7354088676, 0, 54, 3, 14, 4, 135000, 30, 354724.1825300054]);
    expect(a.y).toBe(1);
    const b = g.nextInstance();
    expect(Array.from(b.x)).toEqual([140893.77909492288, 0, 44, 4, 19, 7, 135000, 2, 395015.33901971346]);
  });

  it('ConceptDriftStream switches around the sigmoid centre and only advances the chosen child', () => {
    const s = new ConceptDriftStream(new SeaGenerator({ function: 1, noisePercentage: 0 }), new SeaGenerator({ function: 4, instanceRandomSeed: 2, noisePercentage: 0 }), { position: 500, width: 50 });
    const plain = new SeaGenerator({ function: 1, noisePercentage: 0 });
    // Far before the centre every instance comes from the first stream, in order.
    for (let i = 0; i < 300; i++) expect(s.nextInstance().x[0]).toBe(plain.nextInstance().x[0]);
    let fromDrift = 0;
    const drift = new SeaGenerator({ function: 4, instanceRandomSeed: 2, noisePercentage: 0 });
    const firstDrift = drift.nextInstance().x[0];
    for (let i = 300; i < 1000; i++) if (s.nextInstance().x[0] === firstDrift) fromDrift++;
    expect(fromDrift).toBe(1);
    expect(() => chainDrifts([new SeaGenerator()], [{ position: 1, width: 1 }])).toThrow(/expected 2 concepts for 1 drifts, got 1/);
  });

  it('rejects bad options naming the field', () => {
    expect(() => new SeaGenerator({ function: 5 })).toThrow(/SeaGenerator.function: expected an integer 1..4, got 5/);
    expect(() => new LedGenerator({ numberAttributesDrift: 8 })).toThrow(/numberAttributesDrift/);
    expect(() => new AgrawalGenerator({ function: 0 })).toThrow(/AgrawalGenerator.function/);
  });
});
