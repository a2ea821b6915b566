/**
 * Examples after the feature processor: flat typed arrays, ready to become tensors. Embedding ids are global
 * rows of one concatenated table (each field owns a block), so one gather serves every field and a sparse
 * optimizer step touches only the rows a batch used.
 */
export interface EncodedBatch {
  size: number;
  /** [size × numFields] global embedding rows of the single-valued fields (domain first, then categoricals). */
  fieldIds: Int32Array;
  /** [size × seqWidth] global rows of the sequence features (each padded to its maxLen), −1 = padding. */
  seqIds: Int32Array;
  /** [size × numDense] normalised numeric features. */
  dense: Float32Array;
  /** [size] domain index. */
  domain: Int32Array;
  /** Per task [size] labels 0/1 (NaN when the row has no label for that task). */
  labels: Float32Array[];
  /** [size] group index for GAUC (e.g. user), −1 when no group field is configured. */
  groups: Int32Array;
}

/** Shape facts about an encoded batch that models are built from. */
export interface EncodedLayout {
  numFields: number;
  sequences: { name: string; offset: number; maxLen: number; pooling: 'mean' | 'sum' }[];
  seqWidth: number;
  numDense: number;
  numDomains: number;
  /** Total rows of the concatenated embedding table. */
  tableRows: number;
  embeddingDim: number;
  tasks: { name: string; chainOf: number; category: string; weight: number }[];
}

/** Rows `indices` of `batch`, in that order (for splits, shuffling and mini-batches). */
export function selectRows(batch: EncodedBatch, indices: ArrayLike<number>): EncodedBatch {
  const n = indices.length;
  const pick = <A extends Int32Array | Float32Array>(src: A, width: number, make: (len: number) => A): A => {
    const out = make(n * width);
    for (let i = 0; i < n; i++) out.set(src.subarray(indices[i] * width, indices[i] * width + width), i * width);
    return out;
  };
  const numFields = batch.size ? batch.fieldIds.length / batch.size : 0;
  const seqWidth = batch.size ? batch.seqIds.length / batch.size : 0;
  const numDense = batch.size ? batch.dense.length / batch.size : 0;
  return {
    size: n,
    fieldIds: pick(batch.fieldIds, numFields, (l) => new Int32Array(l)),
    seqIds: pick(batch.seqIds, seqWidth, (l) => new Int32Array(l)),
    dense: pick(batch.dense, numDense, (l) => new Float32Array(l)),
    domain: pick(batch.domain, 1, (l) => new Int32Array(l)),
    labels: batch.labels.map((l) => pick(l, 1, (len) => new Float32Array(len))),
    groups: pick(batch.groups, 1, (l) => new Int32Array(l)),
  };
}

/** Indices 0..n−1 for which `keep` holds. */
export function indicesWhere(n: number, keep: (i: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep(i)) out.push(i);
  return Int32Array.from(out);
}
