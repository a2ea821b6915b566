import { argError, checkKnownKeys, checkNumber, checkOneOf, checkRange } from '../args/check-args.js';
import type { ArtefactSpec } from '../artefacts/apply-artefacts.js';
import type { BandOrder } from '../artefacts/sensor-shift.js';

/** Texture names the renderer knows: python3-skimage's grass, gravel and brick (or procedural stand-ins). */
export type TextureName = 'grass' | 'gravel' | 'brick';

/**
 * What differs between generated domains (vision.md §4): class priors (land-cover mix, water, road and
 * building density), textures and palette (season, material), band order (sensor) and artefacts.
 */
export interface SceneDomain {
  readonly name: string;
  readonly description: string;
  /** Relative weights of the land-cover classes of the Voronoi regions. */
  readonly landCover: { readonly background: number; readonly barren: number; readonly forest: number; readonly agriculture: number };
  /** Fraction of the tile under water bodies, drawn per scene. */
  readonly water: readonly [number, number];
  /** Probability of a river crossing the tile. */
  readonly river: number;
  /** Roads per 128×128 area. */
  readonly roads: readonly [number, number];
  /** Roads on a rotated grid (urban blocks) rather than random lines. */
  readonly roadGrid: boolean;
  /** Buildings attempted per 128×128 area. */
  readonly buildings: readonly [number, number];
  /** Buildings only within a short distance of a road (urban), or anywhere on open land. */
  readonly buildingsNearRoads: boolean;
  /** Multipliers on R, G, B, NIR of every class (season / illumination); default [1, 1, 1, 1]. */
  readonly palette?: readonly [number, number, number, number];
  /** Texture per material. */
  readonly textures: { readonly vegetation: TextureName; readonly bare: TextureName; readonly roof: TextureName };
  /** Texture zoom (1 = the texture's own scale) and contrast multiplier. */
  readonly textureScale: number;
  readonly textureContrast: number;
  readonly bandOrder: BandOrder;
  readonly artefacts: readonly ArtefactSpec[];
}

const urbanPriors = {
  landCover: { background: 0.5, barren: 0.1, forest: 0.2, agriculture: 0.2 },
  water: [0, 0.08],
  river: 0.3,
  roads: [4, 7],
  roadGrid: true,
  buildings: [20, 32],
  buildingsNearRoads: true,
} as const;

const ruralPriors = {
  landCover: { background: 0.08, barren: 0.15, forest: 0.35, agriculture: 0.42 },
  water: [0.02, 0.15],
  river: 0.5,
  roads: [1, 3],
  roadGrid: false,
  buildings: [2, 8],
  buildingsNearRoads: false,
} as const;

/** Built-in domains: two scene priors (urban, rural) × sensors (RGB, IRRG) × artefact sets. */
export const SCENE_DOMAINS = {
  'urban-rgb': {
    name: 'urban-rgb', description: 'dense town, true colour, clean (a Potsdam-RGB-like source domain)',
    ...urbanPriors, textures: { vegetation: 'grass', bare: 'gravel', roof: 'brick' }, textureScale: 1, textureContrast: 1, bandOrder: 'rgb', artefacts: [],
  },
  'rural-rgb': {
    name: 'rural-rgb', description: 'fields, forest and scattered houses, true colour, clean',
    ...ruralPriors, textures: { vegetation: 'grass', bare: 'gravel', roof: 'brick' }, textureScale: 1, textureContrast: 1, bandOrder: 'rgb', artefacts: [],
  },
  'urban-irrg': {
    name: 'urban-irrg', description: 'dense town, NIR-R-G false colour, coarser GSD and a radiometric shift (a Vaihingen-IRRG-like target)',
    ...urbanPriors, textures: { vegetation: 'grass', bare: 'gravel', roof: 'gravel' }, textureScale: 0.7, textureContrast: 1.2, bandOrder: 'irrg',
    artefacts: [{ kind: 'gsd', factor: [0.5, 0.6] }, { kind: 'sensor-shift' }],
  },
  'rural-irrg-degraded': {
    name: 'rural-irrg-degraded', description: 'rural, NIR-R-G, autumn palette, stripe noise, clouds with shadows, sensor shift',
    ...ruralPriors, palette: [1.12, 1.0, 0.85, 0.85], textures: { vegetation: 'gravel', bare: 'grass', roof: 'brick' }, textureScale: 1.5, textureContrast: 0.8, bandOrder: 'irrg',
    artefacts: [
      { kind: 'stripes', probability: 0.4, options: { kind: 'non-periodic' } },
      { kind: 'stripes', probability: 0.3, options: { kind: 'periodic' } },
      { kind: 'stripes', probability: 0.3, options: { kind: 'gain-offset' } },
      { kind: 'clouds', probability: 0.6 },
      { kind: 'sensor-shift', probability: 0.5 },
    ],
  },
  'hazy-urban-rgb': {
    name: 'hazy-urban-rgb', description: 'dense town, true colour, flat haze and JPEG compression',
    ...urbanPriors, textures: { vegetation: 'grass', bare: 'gravel', roof: 'brick' }, textureScale: 1, textureContrast: 1, bandOrder: 'rgb',
    artefacts: [{ kind: 'haze' }, { kind: 'jpeg', quality: [25, 60] }],
  },
} as const satisfies Record<string, SceneDomain>;

export type SceneDomainName = keyof typeof SCENE_DOMAINS;
export const SCENE_DOMAIN_NAMES = Object.keys(SCENE_DOMAINS) as SceneDomainName[];

const TEXTURES: readonly TextureName[] = ['grass', 'gravel', 'brick'];

/** A built-in domain by name, or a custom one checked field by field. */
export function resolveSceneDomain(fn: string, domain: unknown): SceneDomain {
  if (typeof domain === 'string') {
    if (!(domain in SCENE_DOMAINS)) throw argError(fn, 'options.domain', `one of ${SCENE_DOMAIN_NAMES.join(', ')} or a SceneDomain object`, domain);
    return SCENE_DOMAINS[domain as SceneDomainName];
  }
  if (typeof domain !== 'object' || domain === null) throw argError(fn, 'options.domain', `one of ${SCENE_DOMAIN_NAMES.join(', ')} or a SceneDomain object`, domain);
  const d = domain as SceneDomain;
  checkKnownKeys(fn, 'options.domain', d, ['name', 'description', 'landCover', 'water', 'river', 'roads', 'roadGrid', 'buildings', 'buildingsNearRoads', 'palette', 'textures', 'textureScale', 'textureContrast', 'bandOrder', 'artefacts']);
  if (typeof d.name !== 'string' || d.name === '') throw argError(fn, 'options.domain.name', 'a non-empty string', d.name);
  const lc = d.landCover;
  if (typeof lc !== 'object' || lc === null) throw argError(fn, 'options.domain.landCover', 'weights {background, barren, forest, agriculture}', lc);
  for (const k of ['background', 'barren', 'forest', 'agriculture'] as const) checkNumber(fn, `options.domain.landCover.${k}`, lc[k], 0);
  if (lc.background + lc.barren + lc.forest + lc.agriculture <= 0) throw argError(fn, 'options.domain.landCover', 'weights with a positive sum', JSON.stringify(lc));
  checkRange(fn, 'options.domain.water', d.water, 0, 0.9);
  checkNumber(fn, 'options.domain.river', d.river, 0, 1);
  checkRange(fn, 'options.domain.roads', d.roads, 0, 100);
  checkRange(fn, 'options.domain.buildings', d.buildings, 0, 1000);
  if (typeof d.roadGrid !== 'boolean') throw argError(fn, 'options.domain.roadGrid', 'a boolean', d.roadGrid);
  if (typeof d.buildingsNearRoads !== 'boolean') throw argError(fn, 'options.domain.buildingsNearRoads', 'a boolean', d.buildingsNearRoads);
  if (d.palette !== undefined && (!Array.isArray(d.palette) || d.palette.length !== 4 || !d.palette.every((v) => typeof v === 'number' && v >= 0 && v <= 4))) throw argError(fn, 'options.domain.palette', '4 multipliers in [0, 4]', d.palette);
  if (typeof d.textures !== 'object' || d.textures === null) throw argError(fn, 'options.domain.textures', '{vegetation, bare, roof} texture names', d.textures);
  for (const k of ['vegetation', 'bare', 'roof'] as const) checkOneOf(fn, `options.domain.textures.${k}`, d.textures[k], TEXTURES);
  checkNumber(fn, 'options.domain.textureScale', d.textureScale, 0.1, 10);
  checkNumber(fn, 'options.domain.textureContrast', d.textureContrast, 0, 5);
  checkOneOf(fn, 'options.domain.bandOrder', d.bandOrder, ['rgb', 'irrg']);
  if (!Array.isArray(d.artefacts)) throw argError(fn, 'options.domain.artefacts', 'an array of artefact steps', d.artefacts);
  return d;
}
