import type { Attribute } from '../schema.js';

/** The stored value of `raw` (NaN = missing: `?` or empty), or a message saying why it does not fit. */
export function encodeValue(attribute: Attribute, raw: string): number | string {
  if (raw === '?' || raw === '') return NaN;
  if (attribute.kind === 'numeric') {
    const v = Number(raw);
    if (!Number.isFinite(v)) return `attribute '${attribute.name}' is numeric, got '${raw}'`;
    return v;
  }
  const idx = attribute.values.indexOf(raw);
  if (idx < 0) return `attribute '${attribute.name}' expects one of {${attribute.values.join(',')}}, got '${raw}'`;
  return idx;
}
