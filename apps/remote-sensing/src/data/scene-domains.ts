/** How a generated domain differs from another: class priors, textures, band order, artefacts (vision.md §4). */
export interface SceneDomain {
  readonly name: string;
  /** Band order the sensor delivers: true colour or NIR-R-G false colour (Potsdam RGB ↔ Vaihingen IRRG). */
  readonly bands: 'RGB' | 'IRRG';
  /** Buildings per 64² tile [min, max]. */
  readonly buildings: readonly [number, number];
  /** Roads per tile [min, max]. */
  readonly roads: readonly [number, number];
  /** Probability that a tile has a water body. */
  readonly water: number;
  /** Relative frequency of barren, forest and agriculture among the land parcels. */
  readonly parcels: readonly [number, number, number];
  /** Texture contrast multiplier. */
  readonly texture: number;
  /** Per-tile illumination gain range. */
  readonly gain: readonly [number, number];
  /** Stripe noise: probability per tile and intensity range. */
  readonly stripes?: { readonly probability: number; readonly intensity: readonly [number, number] };
  /** Clouds: probability per tile and coverage range. */
  readonly clouds?: { readonly probability: number; readonly coverage: readonly [number, number] };
}

export const SCENE_DOMAINS = {
  /** What the backbone is pretrained on: RGB, balanced priors, clean. */
  pretrain: { name: 'pretrain', bands: 'RGB', buildings: [2, 9], roads: [0, 2], water: 0.3, parcels: [1, 1, 1], texture: 1, gain: [0.85, 1.15] },
  /** Source of the DA/DG benchmark: RGB, dense buildings and roads, clean. */
  'rgb-urban': { name: 'rgb-urban', bands: 'RGB', buildings: [6, 14], roads: [1, 3], water: 0.15, parcels: [0.5, 0.3, 0.2], texture: 1, gain: [0.9, 1.1] },
  /** Target of the benchmark (artefact-driven shift): same RGB sensor, rural priors, coarser textures, heavy stripe noise and clouds. */
  'rgb-rural': {
    name: 'rgb-rural', bands: 'RGB', buildings: [0, 4], roads: [0, 1], water: 0.35, parcels: [0.15, 0.35, 0.5], texture: 1.5, gain: [0.8, 1.2],
    stripes: { probability: 0.8, intensity: [0.08, 0.2] }, clouds: { probability: 0.6, coverage: [0.2, 0.45] },
  },
  /** Spectral + artefact shift: IRRG false colour, rural priors, coarser textures, stripe noise and clouds. */
  'irrg-rural': {
    name: 'irrg-rural', bands: 'IRRG', buildings: [0, 4], roads: [0, 1], water: 0.35, parcels: [0.15, 0.35, 0.5], texture: 1.5, gain: [0.8, 1.2],
    stripes: { probability: 0.6, intensity: [0.06, 0.18] }, clouds: { probability: 0.5, coverage: [0.15, 0.4] },
  },
} as const satisfies Record<string, SceneDomain>;

export type SceneDomainName = keyof typeof SCENE_DOMAINS;

export function sceneDomain(owner: string, name: unknown): SceneDomain {
  if (typeof name !== 'string' || !(name in SCENE_DOMAINS)) throw new Error(`${owner}: domain must be one of ${Object.keys(SCENE_DOMAINS).join(', ')}; got ${JSON.stringify(name)}`);
  return SCENE_DOMAINS[name as SceneDomainName];
}
