import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, metricsFromConfusion, segmentationMetrics } from './segmentation-metrics.js';

describe('segmentation metrics', () => {
  it('computes the confusion matrix, per-class IoU, mIoU and accuracies by hand-checked example', () => {
    const truth = [0, 0, 0, 1, 1, 2, 2, 2];
    const pred = [0, 0, 1, 1, 2, 2, 2, 0];
    const m = segmentationMetrics(pred, truth, 4);
    expect(m.confusion).toEqual([[2, 1, 0, 0], [0, 1, 1, 0], [1, 0, 2, 0], [0, 0, 0, 0]]);
    // class 0: TP 2, FP 1, FN 1 → 2/4; class 1: TP 1, FP 1, FN 1 → 1/3; class 2: TP 2, FP 1, FN 1 → 2/4; class 3 absent.
    expect(m.perClassIoU[0]).toBeCloseTo(0.5, 12);
    expect(m.perClassIoU[1]).toBeCloseTo(1 / 3, 12);
    expect(m.perClassIoU[2]).toBeCloseTo(0.5, 12);
    expect(m.perClassIoU[3]).toBeNull();
    expect(m.mIoU).toBeCloseTo((0.5 + 1 / 3 + 0.5) / 3, 12);
    expect(m.pixelAccuracy).toBeCloseTo(5 / 8, 12);
    expect(m.meanAccuracy).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3, 12);
    expect(m.classPixels).toEqual([3, 2, 3, 0]);
  });

  it('skips ignored pixels and accumulates over images', () => {
    const cm = new ConfusionMatrix(2, 255);
    cm.add(new Uint8Array([0, 1, 255]), new Uint8Array([0, 1, 255]));
    cm.add(new Uint8Array([1, 1]), new Uint8Array([255, 0]));
    expect(cm.toRows()).toEqual([[1, 1], [0, 1]]);
    const m = cm.metrics();
    expect(m.totalPixels).toBe(3);
    expect(m.perClassIoU).toEqual([0.5, 0.5]);
    expect(segmentationMetrics(new Uint8Array([1, 1]), new Uint8Array([1, 1]), 2).mIoU).toBe(1);
    expect(metricsFromConfusion([4, 0, 0, 4], 2).pixelAccuracy).toBe(1);
  });

  it('names bad input', () => {
    expect(() => segmentationMetrics([0, 1], [0], 2)).toThrow(/pred must be as many class ids as truth \(1\); got array\(2\)/);
    expect(() => segmentationMetrics([0, 3], [0, 1], 2)).toThrow(/pred\[1\] must be a class id in \[0, 1\]; got 3/);
    expect(() => segmentationMetrics([0, 1], [0, 7], 2, { ignoreIndex: 255 })).toThrow(/truth\[1\] must be a class id in \[0, 1\] or ignoreIndex 255; got 7/);
    expect(() => segmentationMetrics(new Float32Array(2) as never, [0, 1], 2)).toThrow(/pred must be an integer typed array/);
    expect(() => new ConfusionMatrix(0)).toThrow(/numClasses must be an integer in \[1, 65536\]; got 0/);
    expect(() => metricsFromConfusion([1, 2, 3], 2)).toThrow(/counts must be 2² = 4 counts/);
  });
});
