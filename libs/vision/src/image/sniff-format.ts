import { checkBytes } from '../args/check-args.js';

/** Formats recognised from their first bytes; only png, jpeg and tiff are decoded. */
export type SniffedFormat = 'png' | 'jpeg' | 'tiff' | 'gif' | 'webp' | 'bmp' | 'heif' | 'jpeg2000' | 'pdf' | 'svg' | 'unknown';

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

/** The file format by magic number (never by file name or declared content type). */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  checkBytes('sniffFormat', 'bytes', bytes);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) || startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(bytes, [0x42, 0x4d])) return 'bmp';
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return 'heif';
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50])) return 'jpeg2000';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return 'unknown';
}

/** A short description of bytes that are not an image, for error messages: size and the first bytes. */
export function describeBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty body (0 bytes)';
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 16));
  const printable = /^[\x20-\x7e\t\r\n]+$/.test(text);
  return `${bytes.length} bytes starting ${head}${printable ? ` ("${text.replace(/\s+/g, ' ').slice(0, 16)}", text?)` : ''}`;
}
