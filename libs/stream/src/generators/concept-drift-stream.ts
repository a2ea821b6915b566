import { JavaRandom } from '../java-random.js';
import type { Instance, Schema } from '../schema.js';
import type { InstanceStream } from './instance-stream.js';

export interface ConceptDriftOptions {
  /** MOA `-p`: the *centre* of the sigmoid change (default 0). */
  position: number;
  /** MOA `-w` (default 1000). */
  width?: number;
  /** MOA `-a`, degrees; when ≠ 0 it overrides the width with `(int)(1/tan(α·π/180))`. */
  alpha?: number;
  /** MOA `-r` (default 1). */
  randomSeed?: number;
}

/**
 * MOA `streams.ConceptDriftStream`: instance n (this wrapper's own 1-based counter) comes from `drift`
 * with probability 1/(1+e^(−4(n−p)/w)), else from `stream`; only the chosen child advances.
 */
export class ConceptDriftStream implements InstanceStream {
  readonly schema: Schema;
  private readonly random: JavaRandom;
  private readonly position: number;
  private readonly width: number;
  private count = 0;

  constructor(
    private readonly stream: InstanceStream,
    private readonly drift: InstanceStream,
    options: ConceptDriftOptions,
  ) {
    this.schema = stream.schema;
    if (stream.schema.attributes.length !== drift.schema.attributes.length) {
      throw new RangeError(`ConceptDriftStream: streams differ in arity (${stream.schema.attributes.length} vs ${drift.schema.attributes.length})`);
    }
    const alpha = options.alpha ?? 0;
    this.width = alpha !== 0 ? Math.trunc(1 / Math.tan((alpha * Math.PI) / 180)) : (options.width ?? 1000);
    if (!(this.width > 0)) throw new RangeError(`ConceptDriftStream.width: expected > 0, got ${this.width}`);
    this.position = options.position;
    this.random = new JavaRandom(options.randomSeed ?? 1);
  }

  nextInstance(): Instance {
    this.count++;
    const x = (-4 * (this.count - this.position)) / this.width;
    const probabilityDrift = 1 / (1 + Math.exp(x));
    return this.random.nextDouble() > probabilityDrift ? this.stream.nextInstance() : this.drift.nextInstance();
  }
}

/**
 * CapyMOA 0.10 `DriftStream([s1, d1, s2, d2, …, sk])`: nested ConceptDriftStreams, the newest concept
 * outermost, every drift with MOA's default random seed 1.
 */
export function chainDrifts(concepts: InstanceStream[], drifts: { position: number; width: number }[], randomSeed = 1): InstanceStream {
  if (concepts.length !== drifts.length + 1) throw new RangeError(`chainDrifts: expected ${drifts.length + 1} concepts for ${drifts.length} drifts, got ${concepts.length}`);
  let s = concepts[0];
  drifts.forEach((d, i) => {
    s = new ConceptDriftStream(s, concepts[i + 1], { position: d.position, width: d.width, randomSeed });
  });
  return s;
}
