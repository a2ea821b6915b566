/**
 * Deterministic seeds for parameter initialisation: every module takes a `seed` in its config and derives
 * child seeds from it by name, so a model built twice from one config starts from identical weights.
 */
export function deriveSeed(seed: number, name: string): number {
  // FNV-1a over the name, mixed with the parent seed; result kept in the positive int32 range tfjs accepts.
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) % 2147483647;
}
