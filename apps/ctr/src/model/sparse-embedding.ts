import { Rng } from '../util/rng.js';

export interface SparseOptimizerOptions {
  kind: 'adam' | 'adagrad';
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** Added to √v (Adam) or to the accumulator (Adagrad); 1e-7 like tfjs' float32 backend epsilon. */
  epsilon?: number;
  /** Adagrad's initial accumulator (tfjs default 0.1). */
  initialAccumulator?: number;
}

/**
 * The embedding rows one batch uses, copied out of the table. `fields`/`seq` are the differentiable leaves:
 * the model reads them as input tensors, autodiff returns their gradients, and {@link EmbeddingTable.step}
 * folds those back into the touched rows only.
 */
export interface GatheredEmbeddings {
  /** Distinct table rows the batch touches (ascending). */
  unique: Int32Array;
  /** [B·F·d] embedding of each (row, field). */
  fields: Float32Array;
  /** [B·S·d] embedding of each sequence slot (zeros at padding). */
  seq: Float32Array;
  /** [B·S] 1 where a sequence slot is filled. */
  seqMask: Float32Array;
  /** Position in `unique` of each field occurrence [B·F] and sequence slot [B·S] (−1 = padding). */
  fieldSlot: Int32Array;
  seqSlot: Int32Array;
}

/**
 * One concatenated embedding table held in a Float32Array, trained with a row-sparse optimizer: only rows a
 * batch touched are read, and only those rows (and their optimizer moments) are written — never a dense
 * [rows × d] gradient, which tfjs' gather gradient would materialise every step.
 */
export class EmbeddingTable {
  readonly data: Float32Array;
  private first: Float32Array | undefined;
  private second: Float32Array | undefined;
  private adamSteps = 0;

  constructor(readonly rows: number, readonly dim: number, seed: number, initStd = 0.05) {
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`EmbeddingTable: rows expected a positive integer, got ${rows}`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`EmbeddingTable: dim expected a positive integer, got ${dim}`);
    this.data = new Float32Array(rows * dim);
    const rng = new Rng(seed);
    for (let i = 0; i < this.data.length; i++) this.data[i] = initStd * rng.normal();
  }

  /** Copies the rows of `fieldIds` and `seqIds` (−1 = padding) out of the table. */
  gather(fieldIds: Int32Array, seqIds: Int32Array): GatheredEmbeddings {
    const d = this.dim;
    const slotOf = new Map<number, number>();
    const uniqueList: number[] = [];
    const slot = (id: number): number => {
      if (id < 0 || id >= this.rows) throw new Error(`EmbeddingTable.gather: row ${id} outside [0, ${this.rows})`);
      let s = slotOf.get(id);
      if (s === undefined) {
        slotOf.set(id, (s = uniqueList.length));
        uniqueList.push(id);
      }
      return s;
    };
    const fields = new Float32Array(fieldIds.length * d);
    const fieldSlot = new Int32Array(fieldIds.length);
    for (let i = 0; i < fieldIds.length; i++) {
      fieldSlot[i] = slot(fieldIds[i]);
      fields.set(this.data.subarray(fieldIds[i] * d, fieldIds[i] * d + d), i * d);
    }
    const seq = new Float32Array(seqIds.length * d);
    const seqMask = new Float32Array(seqIds.length);
    const seqSlot = new Int32Array(seqIds.length).fill(-1);
    for (let i = 0; i < seqIds.length; i++) {
      if (seqIds[i] < 0) continue;
      seqSlot[i] = slot(seqIds[i]);
      seqMask[i] = 1;
      seq.set(this.data.subarray(seqIds[i] * d, seqIds[i] * d + d), i * d);
    }
    // Slots are assigned in first-seen order; `unique` lists the rows in that same order.
    return { unique: Int32Array.from(uniqueList), fields, seq, seqMask, fieldSlot, seqSlot };
  }

  /** Sums occurrence gradients per touched row and applies one optimizer step to those rows only. */
  step(g: GatheredEmbeddings, dFields: ArrayLike<number>, dSeq: ArrayLike<number>, opt: SparseOptimizerOptions): void {
    const d = this.dim;
    if (dFields.length !== g.fields.length) throw new Error(`EmbeddingTable.step: field gradient has ${dFields.length} values, expected ${g.fields.length}`);
    if (dSeq.length !== g.seq.length) throw new Error(`EmbeddingTable.step: sequence gradient has ${dSeq.length} values, expected ${g.seq.length}`);
    const grad = new Float32Array(g.unique.length * d);
    for (let i = 0; i < g.fieldSlot.length; i++) for (let k = 0; k < d; k++) grad[g.fieldSlot[i] * d + k] += dFields[i * d + k];
    for (let i = 0; i < g.seqSlot.length; i++) {
      if (g.seqSlot[i] < 0) continue;
      for (let k = 0; k < d; k++) grad[g.seqSlot[i] * d + k] += dSeq[i * d + k];
    }
    this.applyRowGradients(g.unique, grad, opt);
  }

  /** One optimizer step on `rowIds` with their summed gradients [rowIds.length × d]. */
  applyRowGradients(rowIds: Int32Array, grad: Float32Array, opt: SparseOptimizerOptions): void {
    const d = this.dim;
    const lr = opt.learningRate;
    const eps = opt.epsilon ?? 1e-7;
    if (opt.kind === 'adagrad') {
      if (!this.first) this.first = new Float32Array(this.data.length).fill(opt.initialAccumulator ?? 0.1);
      const acc = this.first;
      for (let u = 0; u < rowIds.length; u++) {
        const base = rowIds[u] * d;
        for (let k = 0; k < d; k++) {
          const gk = grad[u * d + k];
          acc[base + k] += gk * gk;
          this.data[base + k] -= (lr * gk) / Math.sqrt(acc[base + k] + eps);
        }
      }
      return;
    }
    // Lazy Adam: moments of untouched rows are not decayed (equal to dense Adam on rows touched every step).
    const b1 = opt.beta1 ?? 0.9;
    const b2 = opt.beta2 ?? 0.999;
    if (!this.first) this.first = new Float32Array(this.data.length);
    if (!this.second) this.second = new Float32Array(this.data.length);
    this.adamSteps++;
    const c1 = 1 - Math.pow(b1, this.adamSteps);
    const c2 = 1 - Math.pow(b2, this.adamSteps);
    const m = this.first;
    const v = this.second;
    for (let u = 0; u < rowIds.length; u++) {
      const base = rowIds[u] * d;
      for (let k = 0; k < d; k++) {
        const gk = grad[u * d + k];
        const j = base + k;
        m[j] = b1 * m[j] + (1 - b1) * gk;
        v[j] = b2 * v[j] + (1 - b2) * gk * gk;
        this.data[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
      }
    }
  }

  /** Drops optimizer moments (e.g. before fine-tuning with a fresh optimizer). */
  resetOptimizer(): void {
    this.first = undefined;
    this.second = undefined;
    this.adamSteps = 0;
  }

  /** Overwrites the table with saved values. */
  load(values: Float32Array): void {
    if (values.length !== this.data.length) throw new Error(`EmbeddingTable.load: expected ${this.data.length} values (${this.rows}×${this.dim}), got ${values.length}`);
    this.data.set(values);
    this.resetOptimizer();
  }
}
