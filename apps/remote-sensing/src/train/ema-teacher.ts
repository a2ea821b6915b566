import * as tf from '@tensorflow/tfjs-core';
import type { SegmentationModel } from '../model/segmentation-model.js';

/**
 * The mean teacher of DACS self-training (vision.md §1.4): a second model whose trainable weights follow
 * the student's by an exponential moving average with α = min(1 − 1/(t+1), 0.99); frozen weights are equal.
 */
export class EmaTeacher {
  private readonly pairs: Array<{ teacher: tf.Variable; student: tf.Variable }>;

  constructor(readonly teacher: SegmentationModel, student: SegmentationModel) {
    const weights = student.getWeights();
    teacher.setWeights(weights);
    tf.dispose(Object.values(weights));
    const teacherVars = teacher.namedVariables();
    const trainable = new Set(student.trainableVariables());
    this.pairs = [...student.namedVariables()].filter(([, v]) => trainable.has(v)).map(([name, student]) => ({ teacher: teacherVars.get(name)!, student }));
  }

  update(step: number): void {
    const alpha = Math.min(1 - 1 / (step + 1), 0.99);
    tf.tidy(() => {
      for (const { teacher, student } of this.pairs) teacher.assign(tf.add(tf.mul(teacher, alpha), tf.mul(student, 1 - alpha)));
    });
  }
}
