import { JavaRandom } from '../java-random.js';
import { nominalAttribute, numericAttributes, type Instance, type Schema } from '../schema.js';
import type { RestartableStream } from './instance-stream.js';

/** Thresholds θ of MOA's four SEA functions: class 0 iff a1 + a2 ≤ θ. */
export const SEA_THRESHOLDS = [8, 9, 7, 9.5] as const;

export interface SeaOptions {
  /** MOA `-f`, 1..4 (default 1). */
  function?: number;
  /** MOA `-i` (default 1). */
  instanceRandomSeed?: number;
  /** MOA `-b` (default false). */
  balanceClasses?: boolean;
  /** MOA `-p`, percent (default 10). */
  noisePercentage?: number;
}

/** MOA `generators.SEAGenerator`. */
export class SeaGenerator implements RestartableStream {
  readonly schema: Schema = { relation: 'SEAGenerator', attributes: numericAttributes('attrib', 3), classAttribute: nominalAttribute('class', ['groupA', 'groupB']) };
  private random!: JavaRandom;
  private nextClassShouldBeZero = false;
  private readonly threshold: number;
  private readonly seed: number;
  private readonly balance: boolean;
  private readonly noise: number;

  constructor(options: SeaOptions = {}) {
    const f = options.function ?? 1;
    if (!Number.isInteger(f) || f < 1 || f > 4) throw new RangeError(`SeaGenerator.function: expected an integer 1..4, got ${f}`);
    this.threshold = SEA_THRESHOLDS[f - 1];
    this.seed = options.instanceRandomSeed ?? 1;
    this.balance = options.balanceClasses ?? false;
    this.noise = options.noisePercentage ?? 10;
    this.restart();
  }

  restart(): void {
    this.random = new JavaRandom(this.seed);
    this.nextClassShouldBeZero = false;
  }

  nextInstance(): Instance {
    const r = this.random;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let group = 0;
    for (;;) {
      a1 = 10 * r.nextDouble();
      a2 = 10 * r.nextDouble();
      a3 = 10 * r.nextDouble();
      group = a1 + a2 <= this.threshold ? 0 : 1;
      if (!this.balance) break;
      // MOA alternates the wanted class, starting with class 1.
      if ((this.nextClassShouldBeZero && group === 0) || (!this.nextClassShouldBeZero && group === 1)) {
        this.nextClassShouldBeZero = !this.nextClassShouldBeZero;
        break;
      }
    }
    if (1 + r.nextInt(100) <= this.noise) group = group === 0 ? 1 : 0;
    return { x: Float64Array.of(a1, a2, a3), y: group };
  }
}
