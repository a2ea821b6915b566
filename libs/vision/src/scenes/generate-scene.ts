import { checkInt, checkKnownKeys, argError } from '../args/check-args.js';
import { seededRng } from '../args/seeded-rng.js';
import { applyArtefacts, applyArtefactsSync, type AppliedArtefact, type ArtefactResult } from '../artefacts/apply-artefacts.js';
import { BAND_ORDERS, permuteBands } from '../artefacts/sensor-shift.js';
import type { RasterImage } from '../image/raster-image.js';
import { SCENE_CLASSES } from './scene-classes.js';
import { resolveSceneDomain, type SceneDomain, type SceneDomainName } from './scene-domain.js';
import { generateLayout } from './scene-layout.js';
import { renderScene } from './render-scene.js';
import { loadSceneTextures, type SceneTextures } from './scene-textures.js';

export interface GenerateSceneOptions {
  readonly domain: SceneDomainName | SceneDomain;
  /** Side of the square tile in pixels (≥ 32); default 128. */
  readonly size?: number;
  readonly seed: number;
  /** Preloaded textures (loadSceneTextures()); default: loaded once, real skimage textures when extracted. */
  readonly textures?: SceneTextures;
}

export interface Scene {
  /** What the sensor delivers: 3 bands in the domain's order (RGB or NIR-R-G), artefacts applied. */
  readonly image: RasterImage;
  /** The same bands before the artefacts. */
  readonly clean: RasterImage;
  /** The rendered R, G, B, NIR stack (clean), for other band orders. */
  readonly rgbn: RasterImage;
  /** Class id per pixel (SCENE_CLASSES order), row-major. */
  readonly labels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly domain: string;
  readonly classes: readonly string[];
  readonly artefacts: readonly AppliedArtefact[];
  /** Cloud opacity per pixel when clouds were added. */
  readonly cloud?: Float32Array;
  readonly textureSource: 'real' | 'procedural';
}

interface RenderedScene {
  readonly domain: SceneDomain;
  readonly size: number;
  readonly labels: Uint8Array;
  readonly rgbn: RasterImage;
  readonly clean: RasterImage;
  readonly artefactSeed: number;
  readonly textureSource: 'real' | 'procedural';
}

function checkOptions(fn: string, options: GenerateSceneOptions): { domain: SceneDomain; size: number } {
  if (typeof options !== 'object' || options === null) throw argError(fn, 'options', 'an object {domain, size?, seed, textures?}', options);
  checkKnownKeys(fn, 'options', options, ['domain', 'size', 'seed', 'textures']);
  const domain = resolveSceneDomain(fn, options.domain);
  const size = options.size ?? 128;
  checkInt(fn, 'options.size', size, 32, 4096);
  if (options.textures !== undefined && (typeof options.textures !== 'object' || options.textures === null || !('textures' in options.textures))) {
    throw argError(fn, 'options.textures', 'the result of loadSceneTextures() or proceduralTextures()', options.textures);
  }
  return { domain, size };
}

/** Layout and rendering: everything before the artefacts (synchronous). */
function renderDomainScene(fn: string, options: GenerateSceneOptions, textures: SceneTextures, domain: SceneDomain, size: number): RenderedScene {
  const rng = seededRng(fn, options.seed);
  const layout = generateLayout(size, rng.fork('layout'), domain);
  const rgbn = renderScene(layout, domain, textures, rng.fork('render'));
  const clean = permuteBands(rgbn, BAND_ORDERS[domain.bandOrder]);
  return { domain, size, labels: layout.labels, rgbn, clean, artefactSeed: rng.fork('artefacts').nextInt(2 ** 31), textureSource: textures.source };
}

function assemble(r: RenderedScene, degraded: ArtefactResult): Scene {
  return {
    image: degraded.image,
    clean: r.clean,
    rgbn: r.rgbn,
    labels: r.labels,
    width: r.size,
    height: r.size,
    domain: r.domain.name,
    classes: SCENE_CLASSES,
    artefacts: degraded.applied,
    ...(degraded.cloud !== undefined ? { cloud: degraded.cloud } : {}),
    textureSource: r.textureSource,
  };
}

/**
 * A procedural remote-sensing tile with its label map (7 classes, LoveDA order): layout from the domain's
 * priors, rendered with real textures, put in the domain's band order and degraded by its artefacts. The
 * same (domain, size, seed) gives the same scene.
 *
 * @example
 * const { image, labels } = await generateScene({ domain: 'rural-irrg-degraded', size: 128, seed: 7 });
 */
export async function generateScene(options: GenerateSceneOptions): Promise<Scene> {
  const fn = 'generateScene';
  const { domain, size } = checkOptions(fn, options);
  const textures = options.textures ?? (await loadSceneTextures());
  const r = renderDomainScene(fn, options, textures, domain, size);
  return assemble(r, await applyArtefacts(r.clean, r.artefactSeed, domain.artefacts));
}

/**
 * generateScene without awaiting anything, for data-generation loops: `textures` must be given
 * (`await loadSceneTextures()` once), and the domain must have no JPEG step. Same scene for the same options.
 */
export function generateSceneSync(options: GenerateSceneOptions & { readonly textures: SceneTextures }): Scene {
  const fn = 'generateSceneSync';
  const { domain, size } = checkOptions(fn, options);
  if (options.textures === undefined) throw argError(fn, 'options.textures', 'preloaded textures (await loadSceneTextures(), or proceduralTextures())', undefined);
  if (domain.artefacts.some((a) => a.kind === 'jpeg')) throw argError(fn, 'options.domain', "a domain without a 'jpeg' artefact step (JPEG needs the asynchronous generateScene)", domain.name);
  const r = renderDomainScene(fn, options, options.textures, domain, size);
  return assemble(r, applyArtefactsSync(r.clean, r.artefactSeed, domain.artefacts));
}
