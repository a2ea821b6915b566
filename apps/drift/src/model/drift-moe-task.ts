import { bceGradient, MlpRouter, type MlpRouterState, type RouterActivations } from '@moe/core/online';
import { HoeffdingTree, treeFromState, treeState, type Schema, type TreeState } from '@moe/stream';
import { DRIFTMOE_EXPERT_TREE, topIndices } from './drift-moe-data.js';
import type { LearnerStats, StreamLearner } from './stream-learner.js';

export interface DriftMoeTaskOptions {
  /**
   * Router outputs = experts. The authors take it from their `dataset_configs` (e.g. 5 for RBF streams that
   * have 2 classes); default: the schema's class count.
   */
  outputs?: number;
  lr?: number;
  seed?: number;
  dropout?: number;
}

/**
 * DriftMoE "MoE-Task" (mode `joint_task`): one one-vs-rest Hoeffding tree per class, trained on every
 * instance; the router (dropout active, as the authors never call `.eval()`) is trained per instance with
 * BCE against a mask that is always one-hot(y), and its argmax *is* the predicted class — the trees never
 * reach the prediction (see drift.md §1.3), but they are trained as in the original for faithful cost.
 */
export class DriftMoeTask implements StreamLearner {
  readonly method: string = 'driftmoe-task';
  readonly router: MlpRouter;
  readonly experts: HoeffdingTree[];
  readonly numClasses: number;
  readonly outputs: number;
  private readonly act: RouterActivations;
  private readonly grad: Float64Array;
  private readonly mask: Float64Array;
  private readonly binaryVotes = new Float64Array(2);
  private lastX: Float64Array | null = null;
  private readonly usage: number[];

  constructor(
    readonly schema: Schema,
    readonly options: DriftMoeTaskOptions = {},
  ) {
    this.numClasses = schema.classAttribute.values.length;
    this.outputs = options.outputs ?? this.numClasses;
    if (!Number.isInteger(this.outputs) || this.outputs < this.numClasses) throw new RangeError(`DriftMoeTask.outputs: expected an integer ≥ ${this.numClasses} (classes), got ${this.outputs}`);
    const seed = options.seed ?? 1;
    this.router = new MlpRouter({ inputs: schema.attributes.length, outputs: this.outputs, lr: options.lr ?? 2e-3, dropout: options.dropout ?? 0.2, seed });
    const binarySchema: Schema = { ...schema, classAttribute: { name: 'is_class', kind: 'nominal', values: ['0', '1'] } };
    this.experts = Array.from({ length: this.outputs }, (_, i) => new HoeffdingTree(binarySchema, { ...DRIFTMOE_EXPERT_TREE, randomSeed: seed + i }));
    this.act = this.router.newActivations();
    this.grad = new Float64Array(this.outputs);
    this.mask = new Float64Array(this.outputs);
    this.usage = new Array<number>(this.outputs).fill(0);
  }

  /** Router argmax over all outputs; an output beyond the schema's classes counts as a wrong class. */
  predictRaw(x: Float64Array): number {
    this.router.forward(x, this.act, true);
    this.lastX = x;
    return topIndices(this.act.logits, 1)[0];
  }

  predict(x: Float64Array): number {
    const p = this.predictRaw(x);
    return p < this.numClasses ? p : this.numClasses; // numClasses = "no valid class"
  }

  predictVotes(x: Float64Array): Float64Array {
    this.predictRaw(x);
    const out = new Float64Array(this.numClasses);
    for (let c = 0; c < this.numClasses; c++) out[c] = 1 / (1 + Math.exp(-this.act.logits[c]));
    return out;
  }

  learn(x: Float64Array, y: number): void {
    if (this.lastX !== x) this.predictRaw(x);
    this.lastX = null;
    this.usage[topIndices(this.act.logits, 1)[0]]++;
    // The authors' mask: m_c = 1 iff expert c says "yes" and c = y, else one-hot(y) — always one-hot(y).
    // Expert votes are still computed (their cost is part of the method).
    this.mask.fill(0);
    for (let c = 0; c < this.outputs; c++) {
      this.experts[c].predictVotesInto(x, this.binaryVotes);
    }
    this.mask[y] = 1;
    bceGradient(this.act.logits, this.mask, this.outputs, this.grad);
    this.router.zeroGrad();
    this.router.accumulate(this.act, this.grad, true);
    this.router.step();
    for (let c = 0; c < this.outputs; c++) this.experts[c].learn(x, c === y ? 1 : 0);
  }

  stats(): LearnerStats {
    return { expertUsage: [...this.usage], driftDetections: 0, driftPositions: [] };
  }

  getState(): DriftMoeTaskState {
    return { method: this.method, options: this.options, router: this.router.getState(), experts: this.experts.map(treeState), usage: [...this.usage] };
  }

  setState(s: DriftMoeTaskState): void {
    if (s.experts.length !== this.experts.length) throw new RangeError(`DriftMoE-Task state: expected ${this.experts.length} experts, got ${s.experts.length}`);
    this.router.setState(s.router);
    const binarySchema = this.experts[0].schema;
    s.experts.forEach((t, i) => (this.experts[i] = treeFromState(binarySchema, t)));
    this.usage.splice(0, this.usage.length, ...s.usage);
    this.lastX = null;
  }
}

export interface DriftMoeTaskState {
  method: string;
  options: DriftMoeTaskOptions;
  router: MlpRouterState;
  experts: TreeState[];
  usage: number[];
}
