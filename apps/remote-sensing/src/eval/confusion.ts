import { IGNORE_LABEL } from '../data/tile-set.js';

/** Segmentation scores from a K×K confusion matrix (rows = truth, columns = prediction). */
export interface SegmentationScores {
  /** Mean IoU over the classes present in the truth or the prediction (mmseg's nan-mean). */
  miou: number;
  /** IoU per class; NaN for a class absent from both. */
  iou: number[];
  pixelAccuracy: number;
  /** Truth pixels per class. */
  support: number[];
}

/** A K×K confusion matrix accumulated over batches (ignored pixels skipped). */
export class ConfusionMatrix {
  readonly counts: Float64Array;
  constructor(readonly numClasses: number) {
    this.counts = new Float64Array(numClasses * numClasses);
  }

  add(truth: ArrayLike<number>, predicted: ArrayLike<number>): void {
    if (truth.length !== predicted.length) throw new Error(`ConfusionMatrix.add: truth and predicted must have the same length; got ${truth.length} and ${predicted.length}`);
    const K = this.numClasses;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i];
      if (t === IGNORE_LABEL) continue;
      const p = predicted[i];
      if (!(t >= 0 && t < K && p >= 0 && p < K)) throw new Error(`ConfusionMatrix.add: class ids must be in [0, ${K}); got truth ${t}, predicted ${p} at pixel ${i}`);
      this.counts[t * K + p]++;
    }
  }

  scores(): SegmentationScores {
    const K = this.numClasses;
    const iou: number[] = [];
    const support: number[] = [];
    let correct = 0;
    let total = 0;
    for (let k = 0; k < K; k++) {
      let row = 0;
      let col = 0;
      for (let j = 0; j < K; j++) {
        row += this.counts[k * K + j];
        col += this.counts[j * K + k];
      }
      const tp = this.counts[k * K + k];
      const union = row + col - tp;
      iou.push(union > 0 ? tp / union : NaN);
      support.push(row);
      correct += tp;
      total += row;
    }
    const present = iou.filter((v) => !Number.isNaN(v));
    return { miou: present.length ? present.reduce((a, b) => a + b, 0) / present.length : NaN, iou, pixelAccuracy: total ? correct / total : NaN, support };
  }
}
