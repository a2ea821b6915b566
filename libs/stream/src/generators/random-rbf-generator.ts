import { JavaRandom } from '../java-random.js';
import { nominalAttribute, numericAttributes, type Instance, type Schema } from '../schema.js';
import type { RestartableStream } from './instance-stream.js';

export interface RandomRbfOptions {
  /** MOA `-r` (default 1). */
  modelRandomSeed?: number;
  /** MOA `-i` (default 1). */
  instanceRandomSeed?: number;
  /** MOA `-c` (default 2). */
  numClasses?: number;
  /** MOA `-a` (default 10). */
  numAttributes?: number;
  /** MOA `-n` (default 50). */
  numCentroids?: number;
  /** `RandomRBFGeneratorDrift -s`: how far drifting centroids move per instance (default 0 = no drift). */
  speedChange?: number;
  /** `RandomRBFGeneratorDrift -k`: how many centroids drift (default 50). */
  numDriftCentroids?: number;
}

/**
 * MOA `generators.RandomRBFGenerator` and `RandomRBFGeneratorDrift` (the drift variant is the plain one with
 * `speedChange > 0`; with speed 0 the centroids never move and both produce the same instances).
 */
export class RandomRbfGenerator implements RestartableStream {
  readonly schema: Schema;
  private readonly o: Required<RandomRbfOptions>;
  private centres: Float64Array[] = [];
  private labels = new Int32Array(0);
  private stdDevs = new Float64Array(0);
  private weights = new Float64Array(0);
  private weightSum = 0;
  private speeds: Float64Array[] = [];
  private random!: JavaRandom;

  constructor(options: RandomRbfOptions = {}) {
    this.o = { modelRandomSeed: 1, instanceRandomSeed: 1, numClasses: 2, numAttributes: 10, numCentroids: 50, speedChange: 0, numDriftCentroids: 50, ...options };
    for (const k of ['numClasses', 'numAttributes', 'numCentroids'] as const) {
      if (!Number.isInteger(this.o[k]) || this.o[k] < 1) throw new RangeError(`RandomRbfGenerator.${k}: expected a positive integer, got ${this.o[k]}`);
    }
    this.schema = {
      relation: this.o.speedChange !== 0 ? 'RandomRBFGeneratorDrift' : 'RandomRBFGenerator',
      attributes: numericAttributes('att', this.o.numAttributes),
      classAttribute: nominalAttribute('class', Array.from({ length: this.o.numClasses }, (_, i) => `class${i + 1}`)),
    };
    this.restart();
  }

  restart(): void {
    const { numCentroids, numAttributes, numClasses } = this.o;
    const modelRand = new JavaRandom(this.o.modelRandomSeed);
    this.centres = [];
    this.labels = new Int32Array(numCentroids);
    this.stdDevs = new Float64Array(numCentroids);
    this.weights = new Float64Array(numCentroids);
    for (let i = 0; i < numCentroids; i++) {
      const c = new Float64Array(numAttributes);
      for (let j = 0; j < numAttributes; j++) c[j] = modelRand.nextDouble();
      this.centres.push(c);
      this.labels[i] = modelRand.nextInt(numClasses);
      this.stdDevs[i] = modelRand.nextDouble();
      this.weights[i] = modelRand.nextDouble();
    }
    // Utils.sum: a left-to-right sum, recomputed per draw in MOA but constant here.
    this.weightSum = 0;
    for (let i = 0; i < numCentroids; i++) this.weightSum += this.weights[i];
    this.speeds = [];
    if (this.o.speedChange !== 0) {
      // The drift variant re-seeds a *new* Random with the model seed, so its sequence restarts.
      const speedRand = new JavaRandom(this.o.modelRandomSeed);
      const len = Math.min(this.o.numDriftCentroids, numCentroids);
      for (let i = 0; i < len; i++) {
        const v = new Float64Array(numAttributes);
        let norm = 0;
        for (let j = 0; j < numAttributes; j++) {
          v[j] = speedRand.nextDouble();
          norm += v[j] * v[j];
        }
        norm = Math.sqrt(norm);
        for (let j = 0; j < numAttributes; j++) v[j] /= norm;
        this.speeds.push(v);
      }
    }
    this.random = new JavaRandom(this.o.instanceRandomSeed);
  }

  nextInstance(): Instance {
    const n = this.o.numAttributes;
    const s = this.o.speedChange;
    for (let j = 0; j < this.speeds.length; j++) {
      const c = this.centres[j];
      const v = this.speeds[j];
      for (let i = 0; i < n; i++) {
        c[i] += v[i] * s;
        if (c[i] > 1) {
          c[i] = 1;
          v[i] = -v[i];
        }
        if (c[i] < 0) {
          c[i] = 0;
          v[i] = -v[i];
        }
      }
    }
    const r = this.random;
    const idx = this.chooseCentroid(r.nextDouble() * this.weightSum);
    const x = new Float64Array(n);
    let magnitude = 0;
    for (let i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 2 - 1;
      magnitude += x[i] * x[i];
    }
    magnitude = Math.sqrt(magnitude);
    const desired = r.nextGaussian() * this.stdDevs[idx];
    const scale = desired / magnitude;
    const c = this.centres[idx];
    for (let i = 0; i < n; i++) x[i] = c[i] + x[i] * scale;
    return { x, y: this.labels[idx] };
  }

  /** MiscUtils.chooseRandomIndexBasedOnWeights: first index whose cumulative weight exceeds `val`. */
  private chooseCentroid(val: number): number {
    let index = 0;
    let sum = 0;
    while (sum <= val && index < this.weights.length) sum += this.weights[index++];
    return index - 1;
  }
}
