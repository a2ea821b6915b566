import * as tf from '@tensorflow/tfjs-core';
import { Module, TaskTowers, deriveSeed, groupIds, oneHotRows, type ForwardContext, type ModuleConfig } from '@moe/core';
import type { EncodedBatch, EncodedLayout } from '../features/encoded-batch.js';
import type { ModelConfig } from './model-config.js';
import { EmbeddingTable, type GatheredEmbeddings } from './sparse-embedding.js';

/** Tensors of one batch: embedding leaves (differentiated for the sparse table update) and side inputs. */
export interface ModelInputs {
  size: number;
  /** [B, F·d] field embeddings (leaf). */
  fields: tf.Tensor2D;
  /** [B, S, d] sequence slot embeddings (leaf); undefined without sequence features. */
  seq?: tf.Tensor3D;
  /** [B, S, 1] 1 at filled slots. */
  seqMask?: tf.Tensor3D;
  /** [B, numDense]; undefined without numeric features. */
  dense?: tf.Tensor2D;
  domainOneHot: tf.Tensor2D;
  /** [B, 1] int32 domain of each row (what domain towers dispatch by). */
  domainIds: tf.Tensor2D;
  /** [B] domain ids on the host. */
  domain: Int32Array;
  /**
   * [B, 1] int32 tower of each row, decided by `route` before the differentiable pass (AdaptDHM clusters,
   * domain towers); stays on device — dispatch goes through the kernels' plan, not a host sort.
   */
  groups?: tf.Tensor2D;
}

/**
 * Base of every CTR model: owns the sparse embedding table and turns a batch into the model input
 * x = [field embeddings ⊕ pooled sequences ⊕ dense features]; subclasses map x to one logit per task.
 * For an ESMM-chained task the logit is the conditional one (p(task | parent)); see `chainProbabilities`.
 */
export abstract class CtrModel extends Module {
  readonly table: EmbeddingTable;
  readonly inputDim: number;
  /** Width of the field-embedding part of x (what AdaptDHM routes on). */
  readonly embeddingWidth: number;
  /** Per-task logit offset shared by every architecture; initialised to the training prior's log-odds. */
  private readonly outputBias: tf.Variable;

  constructor(readonly layout: EncodedLayout, readonly config: ModelConfig) {
    super();
    this.outputBias = this.addParam('outputBias', tf.zeros([layout.tasks.length]));
    this.table = new EmbeddingTable(layout.tableRows, layout.embeddingDim, deriveSeed(config.seed, 'embedding'));
    this.embeddingWidth = layout.numFields * layout.embeddingDim + layout.sequences.length * layout.embeddingDim;
    this.inputDim = this.embeddingWidth + layout.numDense;
  }

  get numTasks(): number {
    return this.layout.tasks.length;
  }

  /** Subclass forward: x [B, inputDim] → logits [B, T]. */
  abstract logits(x: tf.Tensor2D, inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D;

  /**
   * Hard routing before the differentiable pass: [B, 1] int32 tower per row, or undefined for models that do
   * not route. May update non-trainable routing state in training (AdaptDHM's centres). Default: none.
   */
  route(_inputs: ModelInputs, _training: boolean): tf.Tensor2D | undefined {
    return undefined;
  }

  /** Per-task towers with per-domain logit layers on `inputDim`-wide representations (every model's heads). */
  protected domainTaskHeads(inputDim: number): TaskTowers {
    return new TaskTowers({ inputDim, numTasks: this.numTasks, tower: { sizes: [...this.config.tower] }, conditions: this.layout.numDomains, seed: deriveSeed(this.config.seed, 'heads') });
  }

  /** x = field embeddings ⊕ pooled sequences ⊕ dense features. */
  embed(inputs: ModelInputs): tf.Tensor2D {
    const parts: tf.Tensor2D[] = [inputs.fields];
    const d = this.layout.embeddingDim;
    if (inputs.seq && inputs.seqMask) {
      for (const s of this.layout.sequences) {
        const slots = tf.slice(inputs.seq, [0, s.offset, 0], [-1, s.maxLen, d]);
        const mask = tf.slice(inputs.seqMask, [0, s.offset, 0], [-1, s.maxLen, 1]);
        const summed = tf.sum(tf.mul(slots, mask), 1) as tf.Tensor2D;
        parts.push(s.pooling === 'sum' ? summed : tf.div(summed, tf.maximum(tf.sum(mask, 1), 1)));
      }
    }
    if (inputs.dense) parts.push(inputs.dense);
    return parts.length === 1 ? parts[0] : (tf.concat(parts, 1) as tf.Tensor2D);
  }

  forward(inputs: ModelInputs, ctx: ForwardContext): tf.Tensor2D {
    return tf.add(this.logits(this.embed(inputs), inputs, ctx), this.outputBias);
  }

  /**
   * Sets the output offset to logit(rate) per task (rates of a chained task: conditional on its parent), so
   * training starts calibrated to the base rate instead of p = 0.5 — at 1–10 % CTR, learning that offset at
   * Adam's step size would otherwise take most of a short run.
   */
  setOutputPrior(rates: number[]): void {
    if (rates.length !== this.numTasks) throw new Error(`setOutputPrior: expected ${this.numTasks} rates, got ${rates.length}`);
    const logits = rates.map((r, t) => {
      if (!(r > 0 && r < 1)) throw new Error(`setOutputPrior: rate of task '${this.layout.tasks[t].name}' expected in (0, 1), got ${r}`);
      return Math.log(r / (1 - r));
    });
    const value = tf.tensor1d(logits);
    this.outputBias.assign(value);
    value.dispose();
  }

  /** Host gather of the batch's embedding rows plus the input tensors (caller disposes with `disposeInputs`). */
  prepareInputs(batch: EncodedBatch): { inputs: ModelInputs; gathered: GatheredEmbeddings } {
    const { size } = batch;
    const d = this.layout.embeddingDim;
    const gathered = this.table.gather(batch.fieldIds, batch.seqIds);
    const S = this.layout.seqWidth;
    const domainIds = groupIds(batch.domain, this.layout.numDomains);
    const inputs: ModelInputs = {
      size,
      fields: tf.tensor2d(gathered.fields, [size, this.layout.numFields * d]),
      seq: S > 0 ? tf.tensor3d(gathered.seq, [size, S, d]) : undefined,
      seqMask: S > 0 ? tf.tensor3d(gathered.seqMask, [size, S, 1]) : undefined,
      dense: this.layout.numDense > 0 ? tf.tensor2d(batch.dense, [size, this.layout.numDense]) : undefined,
      domainOneHot: oneHotRows(domainIds, this.layout.numDomains),
      domainIds,
      domain: batch.domain,
    };
    return { inputs, gathered };
  }

  getConfig(): ModuleConfig {
    return { ...this.config } as unknown as ModuleConfig;
  }
}

export function disposeInputs(inputs: ModelInputs): void {
  const all: (tf.Tensor | undefined)[] = [inputs.fields, inputs.seq, inputs.seqMask, inputs.dense, inputs.domainOneHot, inputs.domainIds, inputs.groups];
  tf.dispose(all.filter((t): t is tf.Tensor => t !== undefined));
}

/**
 * Probabilities per task from logits [B, T]: σ(logit) for plain tasks; for a task chained on parent q,
 * p = σ(logit_q)·σ(logit_t) (the ESMM product, e.g. pCTCVR = pCTR·pCVR).
 */
export function chainProbabilities(logits: tf.Tensor2D, tasks: EncodedLayout['tasks']): tf.Tensor2D {
  const probs = tf.sigmoid(logits);
  if (tasks.every((t) => t.chainOf < 0)) return probs;
  const cols = tasks.map((t, i) => {
    const own = tf.slice(probs, [0, i], [-1, 1]);
    return t.chainOf < 0 ? own : tf.mul(own, tf.slice(probs, [0, t.chainOf], [-1, 1]));
  });
  return tf.concat(cols, 1) as tf.Tensor2D;
}
