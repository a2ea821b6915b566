import { argError, checkInt, checkKnownKeys } from '../args/check-args.js';

/** Label maps as class ids per pixel (any integer typed array or number array). */
export type LabelArray = Uint8Array | Uint16Array | Int32Array | Int16Array | Int8Array | Uint32Array | readonly number[];

export interface ConfusionOptions {
  /** Pixels whose truth is this id are skipped (e.g. 255 for "unlabelled" as in mmseg). */
  readonly ignoreIndex?: number;
}

/**
 * A numClasses × numClasses confusion matrix, row = truth, column = prediction, accumulated over any number
 * of images (`add`). Counts are exact integers in a Float64Array (exact up to 2^53 pixels).
 */
export class ConfusionMatrix {
  readonly counts: Float64Array;
  constructor(readonly numClasses: number, readonly ignoreIndex?: number) {
    checkInt('ConfusionMatrix', 'numClasses', numClasses, 1, 65536);
    if (ignoreIndex !== undefined) checkInt('ConfusionMatrix', 'ignoreIndex', ignoreIndex, -(2 ** 31), 2 ** 32);
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds one image. A truth id outside [0, numClasses) that is not ignoreIndex, or a prediction outside it, is an error. */
  add(pred: LabelArray, truth: LabelArray): this {
    const fn = 'ConfusionMatrix.add';
    if (!isLabels(pred)) throw argError(fn, 'pred', 'an integer typed array or number array of class ids', pred);
    if (!isLabels(truth)) throw argError(fn, 'truth', 'an integer typed array or number array of class ids', truth);
    if (pred.length !== truth.length) throw argError(fn, 'pred', `as many class ids as truth (${truth.length})`, pred);
    const k = this.numClasses;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i];
      if (t === this.ignoreIndex) continue;
      const p = pred[i];
      if (!(Number.isInteger(t) && t >= 0 && t < k)) throw argError(fn, `truth[${i}]`, `a class id in [0, ${k - 1}]${this.ignoreIndex !== undefined ? ` or ignoreIndex ${this.ignoreIndex}` : ''}`, t);
      if (!(Number.isInteger(p) && p >= 0 && p < k)) throw argError(fn, `pred[${i}]`, `a class id in [0, ${k - 1}]`, p);
      this.counts[t * k + p]++;
    }
    return this;
  }

  /** Row-major nested arrays (for JSON reports). */
  toRows(): number[][] {
    return Array.from({ length: this.numClasses }, (_, r) => Array.from(this.counts.subarray(r * this.numClasses, (r + 1) * this.numClasses)));
  }

  metrics(): SegmentationMetrics {
    return metricsFromConfusion(this.counts, this.numClasses);
  }
}

function isLabels(v: unknown): v is LabelArray {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof Float32Array) && !(v instanceof Float64Array) && !(v instanceof DataView));
}

export interface SegmentationMetrics {
  /** IoU = TP / (TP + FP + FN) per class; null for a class absent from both truth and prediction. */
  readonly perClassIoU: (number | null)[];
  /** Mean over classes whose IoU is defined (the mmseg convention: absent classes are left out, not counted as 0). */
  readonly mIoU: number;
  /** Correct pixels / counted pixels. */
  readonly pixelAccuracy: number;
  /** Recall per class averaged over classes present in the truth. */
  readonly meanAccuracy: number;
  /** Truth pixels per class. */
  readonly classPixels: number[];
  readonly totalPixels: number;
}

/** Per-class IoU, mIoU, pixel and mean accuracy from a row = truth, column = prediction matrix. */
export function metricsFromConfusion(counts: ArrayLike<number>, numClasses: number): SegmentationMetrics {
  const fn = 'metricsFromConfusion';
  checkInt(fn, 'numClasses', numClasses, 1);
  if (counts?.length !== numClasses * numClasses) throw argError(fn, 'counts', `${numClasses}² = ${numClasses * numClasses} counts`, counts);
  const k = numClasses;
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let total = 0, correct = 0;
  for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) {
    const v = counts[t * k + p];
    if (!(v >= 0)) throw argError(fn, `counts[${t * k + p}]`, 'a count ≥ 0', v);
    rows[t] += v;
    cols[p] += v;
    total += v;
    if (t === p) correct += v;
  }
  const perClassIoU: (number | null)[] = [];
  let iouSum = 0, iouN = 0, accSum = 0, accN = 0;
  for (let c = 0; c < k; c++) {
    const tp = counts[c * k + c];
    const union = rows[c] + cols[c] - tp;
    const iou = union > 0 ? tp / union : null;
    perClassIoU.push(iou);
    if (iou !== null) {
      iouSum += iou;
      iouN++;
    }
    if (rows[c] > 0) {
      accSum += tp / rows[c];
      accN++;
    }
  }
  return {
    perClassIoU,
    mIoU: iouN > 0 ? iouSum / iouN : 0,
    pixelAccuracy: total > 0 ? correct / total : 0,
    meanAccuracy: accN > 0 ? accSum / accN : 0,
    classPixels: Array.from(rows),
    totalPixels: total,
  };
}

/**
 * Segmentation metrics of one prediction against the truth (a shortcut for
 * `new ConfusionMatrix(numClasses, ignoreIndex).add(pred, truth).metrics()`).
 */
export function segmentationMetrics(pred: LabelArray, truth: LabelArray, numClasses: number, options: ConfusionOptions = {}): SegmentationMetrics & { confusion: number[][] } {
  checkKnownKeys('segmentationMetrics', 'options', options, ['ignoreIndex']);
  const m = new ConfusionMatrix(numClasses, options.ignoreIndex).add(pred, truth);
  return { ...m.metrics(), confusion: m.toRows() };
}
