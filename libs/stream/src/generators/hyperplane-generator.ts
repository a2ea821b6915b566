import { JavaRandom } from '../java-random.js';
import { nominalAttribute, numericAttributes, type Instance, type Schema } from '../schema.js';
import type { RestartableStream } from './instance-stream.js';

export interface HyperplaneOptions {
  /** MOA `-i` (default 1). */
  instanceRandomSeed?: number;
  /** MOA `-a` (default 10). */
  numAttributes?: number;
  /** MOA `-k` (default 2). */
  numDriftAttributes?: number;
  /** MOA `-t` (default 0). */
  magnitudeOfChange?: number;
  /** MOA `-n`, percent (default 5). */
  noisePercentage?: number;
  /** MOA `-s`, percent chance to reverse a drift direction (default 10). */
  sigmaPercentage?: number;
}

/** MOA `generators.HyperplaneGenerator` (2 classes). */
export class HyperplaneGenerator implements RestartableStream {
  readonly schema: Schema;
  private readonly o: Required<HyperplaneOptions>;
  private random!: JavaRandom;
  private weights = new Float64Array(0);
  private sigma = new Int32Array(0);

  constructor(options: HyperplaneOptions = {}) {
    this.o = { instanceRandomSeed: 1, numAttributes: 10, numDriftAttributes: 2, magnitudeOfChange: 0, noisePercentage: 5, sigmaPercentage: 10, ...options };
    if (!Number.isInteger(this.o.numAttributes) || this.o.numAttributes < 1) throw new RangeError(`HyperplaneGenerator.numAttributes: expected a positive integer, got ${this.o.numAttributes}`);
    if (this.o.numDriftAttributes > this.o.numAttributes) throw new RangeError(`HyperplaneGenerator.numDriftAttributes: expected ≤ numAttributes (${this.o.numAttributes}), got ${this.o.numDriftAttributes}`);
    this.schema = { relation: 'HyperplaneGenerator', attributes: numericAttributes('att', this.o.numAttributes), classAttribute: nominalAttribute('class', ['class1', 'class2']) };
    this.restart();
  }

  restart(): void {
    const n = this.o.numAttributes;
    this.random = new JavaRandom(this.o.instanceRandomSeed);
    this.weights = new Float64Array(n);
    this.sigma = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.weights[i] = this.random.nextDouble();
      this.sigma[i] = i < this.o.numDriftAttributes ? 1 : 0;
    }
  }

  nextInstance(): Instance {
    const r = this.random;
    const n = this.o.numAttributes;
    const x = new Float64Array(n);
    let sum = 0;
    let sumWeights = 0;
    for (let i = 0; i < n; i++) {
      x[i] = r.nextDouble();
      sum += this.weights[i] * x[i];
      sumWeights += this.weights[i];
    }
    let y = sum >= sumWeights * 0.5 ? 1 : 0;
    if (1 + r.nextInt(100) <= this.o.noisePercentage) y = y === 0 ? 1 : 0;
    for (let i = 0; i < this.o.numDriftAttributes; i++) {
      this.weights[i] += this.sigma[i] * this.o.magnitudeOfChange;
      if (1 + r.nextInt(100) <= this.o.sigmaPercentage) this.sigma[i] = -this.sigma[i];
    }
    return { x, y };
  }
}
