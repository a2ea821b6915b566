/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), the container of I3D-style snippet features: one file
 * per video, one row per snippet. Only what feature files use: float32 / float64 in either byte order, C order.
 * Spec: numpy/lib/format.py (magic `\x93NUMPY`, version, little-endian header length, a Python dict literal
 * with `descr`, `fortran_order`, `shape`, padded so the data starts at a multiple of 64 bytes).
 */
export type NpyDtype = 'float32' | 'float64';

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  /** Values in C (row-major) order, converted to the host's representation. */
  readonly data: Float32Array | Float64Array;
}

/** A file that is not a valid or supported .npy, with the reason. */
export class NpyFormatError extends Error {
  constructor(source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = 'NpyFormatError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function parseHeader(text: string, source: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyFormatError(source, `header: expected a dict with 'descr', 'fortran_order' and 'shape', got ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const parts = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const shape = parts.map((p) => {
    if (!/^\d+L?$/.test(p)) throw new NpyFormatError(source, `header shape: expected non-negative integers, got (${shapeText})`);
    return Number(p.replace('L', ''));
  });
  return { descr, fortran: fortran === 'True', shape };
}

/** Parses a .npy file's bytes; `source` names it in errors. */
export function parseNpy(bytes: Uint8Array, source = 'npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyFormatError(source, 'not a .npy file (expected the magic string \\x93NUMPY at the start)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyFormatError(source, 'truncated header');
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new NpyFormatError(source, `format version ${major}.${bytes[7]}: expected 1.0, 2.0 or 3.0`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new NpyFormatError(source, `truncated header: it claims ${headerLength} bytes, the file has ${bytes.length - headerStart} after the length field`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortran, shape } = parseHeader(header, source);
  const m = /^([<>|=])f([48])$/.exec(descr);
  if (!m) throw new NpyFormatError(source, `dtype '${descr}': expected float32 ('<f4', '>f4') or float64 ('<f8', '>f8')`);
  if (fortran) throw new NpyFormatError(source, 'fortran_order is True: expected a C-order array (save it with np.ascontiguousarray)');
  const itemSize = Number(m[2]);
  const littleEndian = m[1] !== '>';
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * itemSize;
  if (bytes.length - dataStart !== expected) {
    throw new NpyFormatError(source, `data: shape (${shape.join(', ')}) of ${descr} needs ${expected} bytes, the file has ${bytes.length - dataStart}`);
  }
  const data = itemSize === 4 ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    data[i] = itemSize === 4 ? view.getFloat32(dataStart + 4 * i, littleEndian) : view.getFloat64(dataStart + 8 * i, littleEndian);
  }
  return { dtype: itemSize === 4 ? 'float32' : 'float64', shape, data };
}

/** Writes a C-order little-endian .npy (version 1.0) of `data` with `shape`. */
export function writeNpy(data: Float32Array | Float64Array, shape: readonly number[], dtype: NpyDtype = data instanceof Float64Array ? 'float64' : 'float32'): Uint8Array {
  if (!shape.every((s) => Number.isInteger(s) && s >= 0)) throw new RangeError(`shape: expected non-negative integers, got [${shape.join(', ')}]`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`data: shape [${shape.join(', ')}] needs ${count} values, got ${data.length}`);
  if (dtype !== 'float32' && dtype !== 'float64') throw new RangeError(`dtype: expected 'float32' or 'float64', got '${String(dtype)}'`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f${dtype === 'float32' ? 4 : 8}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const itemSize = dtype === 'float32' ? 4 : 8;
  const out = new Uint8Array(10 + header.length + count * itemSize);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const start = 10 + header.length;
  for (let i = 0; i < count; i++) {
    if (itemSize === 4) view.setFloat32(start + 4 * i, data[i], true);
    else view.setFloat64(start + 8 * i, data[i], true);
  }
  return out;
}
