import * as tf from '@tensorflow/tfjs-core';

/**
 * The dispatch plan from pure tfjs ops (static shapes, no readback): the reference for every backend and
 * the fallback where no MoeDispatchPlan kernel is registered. Returns
 * [positions [T,k], offsets [E+1], counts [E], dropped [], rowSlots [rows]], all int32.
 * Ids outside [0, E) select no expert (oneHot gives a zero row), like -1.
 */
export function dispatchPlanComposite(indices: tf.Tensor2D, numExperts: number, capacity: number | undefined): tf.Tensor[] {
  return tf.tidy(() => {
    const [T, k] = indices.shape;
    const E = numExperts;
    const n = T * k;
    // Choice-major order (all first choices, then all second choices, each in token order) gives the
    // GShard/Switch drop priority when ranking the assignments within each expert.
    const expertOfSlot = tf.reshape(tf.transpose(indices), [n]);
    // Not tf.oneHot: it refuses depth 1, and a one-expert MoE (e.g. a single adapter) is legitimate.
    const oneHot = tf.cast(tf.equal(tf.expandDims(expertOfSlot, 1), tf.range(0, E, 1, 'int32')), 'int32');
    const rankInExpert = tf.sum(tf.mul(tf.cumsum(oneHot, 0, true), oneHot), 1);
    const routed = tf.greater(tf.sum(oneHot, 1), 0);
    const received = tf.sum(oneHot, 0);
    const safeExpert = tf.clipByValue(expertOfSlot, 0, E - 1);
    let position: tf.Tensor;
    let offsets: tf.Tensor;
    let counts: tf.Tensor;
    let dropped: tf.Tensor;
    let rows: number;
    if (capacity !== undefined) {
      rows = E * capacity;
      // Scalars must be int32 tensors: a JS number operand would promote the int math to float32.
      const cap = tf.scalar(capacity, 'int32');
      const kept = tf.logicalAnd(routed, tf.less(rankInExpert, cap));
      position = tf.where(kept, tf.add(tf.mul(safeExpert, cap), rankInExpert), tf.fill([n], -1, 'int32'));
      offsets = tf.mul(tf.range(0, E + 1, 1, 'int32'), cap);
      counts = tf.minimum(received, cap);
      dropped = tf.sub(tf.sum(received), tf.sum(counts));
    } else {
      rows = n;
      const starts = tf.cumsum(received, 0, true);
      position = tf.where(routed, tf.add(tf.gather(starts, safeExpert), rankInExpert), tf.fill([n], -1, 'int32'));
      offsets = tf.concat([starts, tf.tensor1d([rows], 'int32')]);
      counts = received;
      dropped = tf.scalar(0, 'int32');
    }
    // Back to [T, k]: slot (t, j) sat at j*T + t in choice-major order.
    const positions = tf.transpose(tf.reshape(position, [k, T]));
    // Inverse map: scatter slot id + 1 into its row; unrouted slots go to a spill row that is cut off.
    const flatPositions = tf.reshape(positions, [n]);
    const target = tf.where(tf.greaterEqual(flatPositions, 0), flatPositions, tf.fill([n], rows, 'int32'));
    const slotIds = tf.range(1, n + 1, 1, 'int32');
    const scattered = tf.scatterND(tf.reshape(target, [n, 1]), slotIds, [rows + 1]);
    const rowSlots = tf.sub(tf.slice(scattered, [0], [rows]), tf.scalar(1, 'int32'));
    return [positions, offsets, counts, dropped, rowSlots];
  });
}
