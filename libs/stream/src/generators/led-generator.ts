import { JavaRandom } from '../java-random.js';
import { nominalAttribute, type Instance, type Schema } from '../schema.js';
import type { RestartableStream } from './instance-stream.js';

/** Seven-segment encoding of digits 0..9 (MOA `LEDGenerator.originalInstances`). */
export const LED_SEGMENTS: readonly (readonly number[])[] = [
  [1, 1, 1, 0, 1, 1, 1],
  [0, 0, 1, 0, 0, 1, 0],
  [1, 0, 1, 1, 1, 0, 1],
  [1, 0, 1, 1, 0, 1, 1],
  [0, 1, 1, 1, 0, 1, 0],
  [1, 1, 0, 1, 0, 1, 1],
  [1, 1, 0, 1, 1, 1, 1],
  [1, 0, 1, 0, 0, 1, 0],
  [1, 1, 1, 1, 1, 1, 1],
  [1, 1, 1, 1, 0, 1, 1],
];
const RELEVANT = 7;
const IRRELEVANT = 17;

export interface LedOptions {
  /** MOA `-i` (default 1). */
  instanceRandomSeed?: number;
  /** MOA `-n`, percent (default 10). */
  noisePercentage?: number;
  /** MOA `-s`: drop the 17 irrelevant attributes. */
  suppressIrrelevantAttributes?: boolean;
  /** `LEDGeneratorDrift -d`, 0..7 swapped attributes; 0 = plain `LEDGenerator`. */
  numberAttributesDrift?: number;
}

/**
 * MOA `generators.LEDGenerator` and, with `numberAttributesDrift > 0`, `LEDGeneratorDrift`: relevant
 * attribute i (< d) swaps its column with irrelevant attribute 7 + (i mod 17) (MOA's fixed offsets).
 */
export class LedGenerator implements RestartableStream {
  readonly schema: Schema;
  private random!: JavaRandom;
  private readonly seed: number;
  private readonly noise: number;
  private readonly suppress: boolean;
  /** column[i] = where attribute i is written. */
  private readonly column: Int32Array;

  constructor(options: LedOptions = {}) {
    this.seed = options.instanceRandomSeed ?? 1;
    this.noise = options.noisePercentage ?? 10;
    this.suppress = options.suppressIrrelevantAttributes ?? false;
    const d = options.numberAttributesDrift ?? 0;
    if (!Number.isInteger(d) || d < 0 || d > RELEVANT) throw new RangeError(`LedGenerator.numberAttributesDrift: expected an integer 0..7, got ${d}`);
    if (d > 0 && this.suppress) throw new RangeError('LedGenerator: numberAttributesDrift needs the irrelevant attributes (suppressIrrelevantAttributes must be false)');
    const n = this.suppress ? RELEVANT : RELEVANT + IRRELEVANT;
    this.column = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < d; i++) {
      const v1 = i % RELEVANT;
      const v2 = RELEVANT + (i % IRRELEVANT);
      this.column[v1] = v2;
      this.column[v2] = v1;
    }
    this.schema = {
      relation: d > 0 ? 'LEDGeneratorDrift' : 'LEDGenerator',
      attributes: Array.from({ length: n }, (_, i) => nominalAttribute(`att${i + 1}`, ['0', '1'])),
      classAttribute: nominalAttribute('class', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']),
    };
    this.restart();
  }

  restart(): void {
    this.random = new JavaRandom(this.seed);
  }

  nextInstance(): Instance {
    const r = this.random;
    const x = new Float64Array(this.column.length);
    const selected = r.nextInt(10);
    const segments = LED_SEGMENTS[selected];
    for (let i = 0; i < RELEVANT; i++) {
      const bit = segments[i];
      x[this.column[i]] = 1 + r.nextInt(100) <= this.noise ? 1 - bit : bit;
    }
    if (!this.suppress) {
      for (let i = 0; i < IRRELEVANT; i++) x[this.column[i + RELEVANT]] = r.nextInt(2);
    }
    return { x, y: selected };
  }
}
