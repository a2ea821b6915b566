import type { GeoSampleArray } from './geo-raster.js';

/**
 * A minimal baseline TIFF writer: little-endian, one uncompressed strip, samples interleaved
 * (PlanarConfiguration 1), any number of bands of one sample type, plus whatever extra tags the caller
 * passes (GeoTIFF's). Written here rather than with geotiff.js's writer, which builds the IFD in a fixed
 * 1000-byte buffer (long GeoAsciiParams overflow it silently) and writes sample by sample.
 */

/** TIFF field types used here. */
export const TIFF_TYPE = { ASCII: 2, SHORT: 3, LONG: 4, DOUBLE: 12 } as const;
export type TiffType = (typeof TIFF_TYPE)[keyof typeof TIFF_TYPE];

export interface TiffTag {
  readonly tag: number;
  readonly type: TiffType;
  readonly values: readonly number[] | string;
}

const TYPE_BYTES: Record<TiffType, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };

/** BitsPerSample and SampleFormat (1 uint, 2 int, 3 float) of a typed array. */
export function sampleTypeOf(data: GeoSampleArray): { bits: number; format: 1 | 2 | 3 } {
  const bits = data.BYTES_PER_ELEMENT * 8;
  if (data instanceof Float32Array || data instanceof Float64Array) return { bits, format: 3 };
  if (data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array) return { bits, format: 2 };
  return { bits, format: 1 };
}

export interface TiffImageSpec {
  readonly width: number;
  readonly height: number;
  readonly bands: number;
  readonly data: GeoSampleArray;
  /** 1 = BlackIsZero (grey / multi-band), 2 = RGB. */
  readonly photometric: 1 | 2;
  /** ExtraSamples values for the bands beyond the photometric ones (0 unspecified, 2 unassociated alpha). */
  readonly extraSamples?: readonly number[];
  readonly extraTags?: readonly TiffTag[];
}

function tagBytes(t: TiffTag): number {
  const count = typeof t.values === 'string' ? t.values.length + 1 : t.values.length;
  return count * TYPE_BYTES[t.type];
}

export function encodeTiffImage(spec: TiffImageSpec): Uint8Array {
  const { width, height, bands, data } = spec;
  const { bits, format } = sampleTypeOf(data);
  const pixelBytes = data.byteLength;
  const tags: TiffTag[] = [
    { tag: 256, type: TIFF_TYPE.LONG, values: [width] },
    { tag: 257, type: TIFF_TYPE.LONG, values: [height] },
    { tag: 258, type: TIFF_TYPE.SHORT, values: new Array<number>(bands).fill(bits) },
    { tag: 259, type: TIFF_TYPE.SHORT, values: [1] },
    { tag: 262, type: TIFF_TYPE.SHORT, values: [spec.photometric] },
    { tag: 273, type: TIFF_TYPE.LONG, values: [0] }, // StripOffsets: patched below
    { tag: 277, type: TIFF_TYPE.SHORT, values: [bands] },
    { tag: 278, type: TIFF_TYPE.LONG, values: [height] },
    { tag: 279, type: TIFF_TYPE.LONG, values: [pixelBytes] },
    { tag: 284, type: TIFF_TYPE.SHORT, values: [1] },
    { tag: 339, type: TIFF_TYPE.SHORT, values: new Array<number>(bands).fill(format) },
    ...(spec.extraSamples?.length ? [{ tag: 338, type: TIFF_TYPE.SHORT, values: spec.extraSamples }] : []),
    ...(spec.extraTags ?? []),
  ].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < tags.length; i++) if (tags[i].tag === tags[i - 1].tag) throw new Error(`encodeTiffImage(): tag ${tags[i].tag} given twice`);

  const ifdOffset = 8;
  const ifdBytes = 2 + 12 * tags.length + 4;
  let extra = ifdOffset + ifdBytes;
  const placement = tags.map((t) => {
    const n = tagBytes(t);
    if (n <= 4) return -1;
    const at = extra;
    extra += n + (n & 1); // values start on a word boundary
    return at;
  });
  // Pixel data on an 8-byte boundary so a reader may view it as a typed array in place.
  const dataOffset = Math.ceil(extra / 8) * 8;
  const out = new Uint8Array(dataOffset + pixelBytes);
  const view = new DataView(out.buffer);
  out[0] = 0x49;
  out[1] = 0x49;
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, tags.length, true);
  tags.forEach((t, k) => {
    const entry = ifdOffset + 2 + 12 * k;
    const values = t.tag === 273 ? [dataOffset] : t.values;
    const count = typeof values === 'string' ? values.length + 1 : values.length;
    view.setUint16(entry, t.tag, true);
    view.setUint16(entry + 2, t.type, true);
    view.setUint32(entry + 4, count, true);
    const at = placement[k] === -1 ? entry + 8 : placement[k];
    if (placement[k] !== -1) view.setUint32(entry + 8, at, true);
    if (typeof values === 'string') {
      for (let i = 0; i < values.length; i++) out[at + i] = values.charCodeAt(i) & 0x7f;
      out[at + values.length] = 0;
      return;
    }
    values.forEach((v, i) => {
      if (t.type === TIFF_TYPE.SHORT) view.setUint16(at + 2 * i, v, true);
      else if (t.type === TIFF_TYPE.LONG) view.setUint32(at + 4 * i, v, true);
      else if (t.type === TIFF_TYPE.DOUBLE) view.setFloat64(at + 8 * i, v, true);
    });
  });
  view.setUint32(ifdOffset + 2 + 12 * tags.length, 0, true); // no next IFD
  // The header says little-endian, the typed array's own byte order on every machine Node runs on (x86, ARM).
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('encodeTiffImage(): big-endian hosts are not supported');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataOffset);
  return out;
}
