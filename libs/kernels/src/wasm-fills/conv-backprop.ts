import * as tf from '@tensorflow/tfjs-core';

// Convolution gradients for backends that lack them (wasm), from native kernels: for every filter tap
// (kh, kw) the input pixels it touches form ONE strided slice of the zero-padded input, so
//   dW[kh, kw] = slice(x)ᵀ · dy                      (conv2d: an XNNPACK matmul per tap)
//   dW[kh, kw] = Σ_pixels slice(x) ⊙ dy              (depthwise: a multiply and a sum per tap)
//   dx        += dy · W[kh, kw] placed at the tap    (depthwise input gradient: a pad and an add per tap)
// The total work equals one im2col matmul, without materialising the [pixels, fh·fw·C] im2col matrix.

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

function checkNhwc(op: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${op}: only NHWC is supported by this wasm kernel; got dataFormat ${String(dataFormat)}`);
  }
}

/** Zero-pads x [N,H,W,C] so every tap's strided window fits; returns it with the tap geometry. */
function padForTaps(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [, H, W] = x.shape;
  const { top, left } = info.padInfo;
  const needH = (info.filterHeight - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1;
  const needW = (info.filterWidth - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1;
  return tf.pad(x, [[0, 0], [top, Math.max(0, needH - top - H)], [left, Math.max(0, needW - left - W)], [0, 0]]);
}

/** The input pixels that filter tap (kh, kw) multiplies, for every output pixel: [N, outH, outW, C]. */
function tapSlice(padded: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, kh: number, kw: number): tf.Tensor4D {
  const [N, , , C] = padded.shape;
  const y0 = kh * info.dilationHeight;
  const x0 = kw * info.dilationWidth;
  return tf.stridedSlice(padded, [0, y0, x0, 0],
    [N, y0 + (info.outHeight - 1) * info.strideHeight + 1, x0 + (info.outWidth - 1) * info.strideWidth + 1, C],
    [1, info.strideHeight, info.strideWidth, 1]) as tf.Tensor4D;
}

function taps(info: tf.backend_util.Conv2DInfo): [number, number][] {
  const out: [number, number][] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) for (let kw = 0; kw < info.filterWidth; kw++) out.push([kh, kw]);
  return out;
}

export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: Rounding;
  dilations?: number | [number, number];
  dataFormat?: string;
}

/** Conv2DBackpropFilter: x [N,H,W,C], dy [N,oH,oW,O] → dW [fh,fw,C,O]. */
export function conv2dBackpropFilterOps(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], a: ConvGradAttrs): tf.Tensor {
  checkNhwc('Conv2DBackpropFilter', a.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false);
  const padded = padForTaps(x, info);
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const dyFlat = tf.reshape(dy, [pixels, info.outChannels]);
  // Explicit transpose: wasm's matmul with a transposed operand takes a slow non-XNNPACK path.
  const perTap = taps(info).map(([kh, kw]) => tf.matMul(tf.transpose(tf.reshape(tapSlice(padded, info, kh, kw), [pixels, info.inChannels])), dyFlat));
  return tf.reshape(tf.stack(perTap), filterShape);
}

/** DepthwiseConv2dNativeBackpropFilter: x [N,H,W,C], dy [N,oH,oW,C·m] → dW [fh,fw,C,m]. */
export function depthwiseBackpropFilterOps(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], a: ConvGradAttrs): tf.Tensor {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  const [, , C, m] = filterShape;
  const padded = padForTaps(x, info);
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const dy3 = tf.reshape(dy, [pixels, C, m]);
  const perTap = taps(info).map(([kh, kw]) => tf.sum(tf.mul(tf.reshape(tapSlice(padded, info, kh, kw), [pixels, C, 1]), dy3), 0));
  return tf.reshape(tf.stack(perTap), filterShape);
}

/** DepthwiseConv2dNativeBackpropInput: dy [N,oH,oW,C·m], W [fh,fw,C,m] → dx with shape inputShape [N,H,W,C]. */
export function depthwiseBackpropInputOps(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: [number, number, number, number], a: ConvGradAttrs): tf.Tensor {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  const [N, H, W, C] = inputShape;
  const m = filter.shape[3];
  const { top, left } = info.padInfo;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const spanH = (info.outHeight - 1) * sh + 1;
  const spanW = (info.outWidth - 1) * sw + 1;
  const Hp = Math.max(top + H, (info.filterHeight - 1) * info.dilationHeight + spanH);
  const Wp = Math.max(left + W, (info.filterWidth - 1) * info.dilationWidth + spanW);
  const dy5 = tf.reshape(dy, [N, info.outHeight, info.outWidth, C, m]);
  let acc: tf.Tensor = tf.zeros([N, Hp, Wp, C]);
  for (const [kh, kw] of taps(info)) {
    const tapWeights = tf.reshape(tf.slice(filter, [kh, kw, 0, 0], [1, 1, C, m]), [1, 1, 1, C, m]);
    let contrib: tf.Tensor = tf.sum(tf.mul(dy5, tapWeights), -1); // [N, oH, oW, C]
    if (sh > 1 || sw > 1) {
      // Interleave zeros between output pixels so they land `stride` apart in the input grid.
      const spread = tf.pad(tf.reshape(contrib, [N, info.outHeight, 1, info.outWidth, 1, C]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
      contrib = tf.slice(tf.reshape(spread, [N, info.outHeight * sh, info.outWidth * sw, C]), [0, 0, 0, 0], [N, spanH, spanW, C]);
    }
    const y0 = kh * info.dilationHeight;
    const x0 = kw * info.dilationWidth;
    acc = tf.add(acc, tf.pad(contrib, [[0, 0], [y0, Hp - y0 - spanH], [x0, Wp - x0 - spanW], [0, 0]]));
  }
  return tf.slice(acc, [0, top, left, 0], [N, H, W, C]);
}
