import { argError, checkNumber, checkRange } from '../args/check-args.js';
import { drawIntRange, drawRange, seededRng } from '../args/seeded-rng.js';
import { checkRasterImage, type RasterImage } from '../image/raster-image.js';
import { addClouds, type CloudOptions } from './clouds.js';
import { addFlatHaze, type FlatHazeOptions } from './flat-haze.js';
import { jpegArtefacts } from './jpeg-artefacts.js';
import { changeGsd } from './resize-image.js';
import { sensorShift, type SensorShiftOptions } from './sensor-shift.js';
import { addStripeNoise, type StripeNoiseOptions } from './stripe-noise.js';

/** One step of an artefact pipeline; `probability` (default 1) applies it to only that share of images. */
export type ArtefactSpec = { readonly probability?: number } & (
  | { readonly kind: 'stripes'; readonly options?: StripeNoiseOptions }
  | { readonly kind: 'clouds'; readonly options?: CloudOptions }
  | { readonly kind: 'haze'; readonly options?: FlatHazeOptions }
  | { readonly kind: 'sensor-shift'; readonly options?: SensorShiftOptions }
  /** GSD factor old/new (e.g. [0.5, 0.6]); resampled back to the same size. */
  | { readonly kind: 'gsd'; readonly factor: readonly [number, number] }
  | { readonly kind: 'jpeg'; readonly quality: readonly [number, number] }
);

export type ArtefactKind = ArtefactSpec['kind'];

export interface AppliedArtefact {
  readonly kind: ArtefactKind;
  /** The drawn scalar parameters (quality, factor) where the step has some. */
  readonly value?: number;
}

export interface ArtefactResult {
  readonly image: RasterImage;
  readonly applied: readonly AppliedArtefact[];
  /** Cloud opacity per pixel when a clouds step ran (e.g. to ignore thick cloud in the metrics). */
  readonly cloud?: Float32Array;
}

const KINDS: readonly ArtefactKind[] = ['stripes', 'clouds', 'haze', 'sensor-shift', 'gsd', 'jpeg'];

/** One step after its random draws: whether it runs, its seed and its drawn scalar (GSD factor, JPEG quality). */
interface PlannedStep {
  readonly spec: ArtefactSpec;
  readonly seed: number;
  readonly value?: number;
}

/** Draws every step's seed, coin and parameter up front, so the sync and async runners give identical results. */
function planSteps(fn: string, img: RasterImage, seed: number, specs: readonly ArtefactSpec[]): PlannedStep[] {
  checkRasterImage(fn, 'img', img);
  const rng = seededRng(fn, seed);
  if (!Array.isArray(specs)) throw argError(fn, 'specs', 'an array of artefact steps', specs);
  const plan: PlannedStep[] = [];
  for (const [i, spec] of specs.entries()) {
    if (typeof spec !== 'object' || spec === null || !KINDS.includes(spec.kind)) throw argError(fn, `specs[${i}].kind`, `one of ${KINDS.join(', ')}`, (spec as { kind?: unknown } | null)?.kind);
    const p = spec.probability ?? 1;
    checkNumber(fn, `specs[${i}].probability`, p, 0, 1);
    const stepSeed = rng.nextInt(2 ** 31);
    if (rng.next() >= p) continue;
    if (spec.kind === 'gsd') {
      checkRange(fn, `specs[${i}].factor`, spec.factor, 0.01, 100);
      plan.push({ spec, seed: stepSeed, value: drawRange(rng, spec.factor) });
    } else if (spec.kind === 'jpeg') {
      checkRange(fn, `specs[${i}].quality`, spec.quality, 1, 100);
      plan.push({ spec, seed: stepSeed, value: drawIntRange(rng, [Math.ceil(spec.quality[0]), Math.floor(spec.quality[1])]) });
    } else plan.push({ spec, seed: stepSeed });
  }
  return plan;
}

/** Runs one step that needs no I/O; returns the new image and the cloud map when it made one. */
function runSyncStep(image: RasterImage, step: PlannedStep): { image: RasterImage; cloud?: Float32Array } {
  const { spec, seed, value } = step;
  switch (spec.kind) {
    case 'stripes':
      return { image: addStripeNoise(image, seed, spec.options).image };
    case 'clouds': {
      const r = addClouds(image, seed, spec.options);
      return { image: r.image, cloud: r.cloud };
    }
    case 'haze':
      return { image: addFlatHaze(image, seed, spec.options).image };
    case 'sensor-shift':
      return { image: sensorShift(image, seed, spec.options).image };
    case 'gsd':
      return { image: changeGsd(image, value as number) };
    case 'jpeg':
      throw new TypeError("applyArtefactsSync(): a 'jpeg' step needs the encoder (asynchronous); use applyArtefacts");
  }
}

function applied(step: PlannedStep): AppliedArtefact {
  return step.value === undefined ? { kind: step.spec.kind } : { kind: step.spec.kind, value: step.value };
}

/** Runs artefact steps in order, each with its own seed derived from `seed`. */
export async function applyArtefacts(img: RasterImage, seed: number, specs: readonly ArtefactSpec[]): Promise<ArtefactResult> {
  let image = img;
  let cloud: Float32Array | undefined;
  const plan = planSteps('applyArtefacts', img, seed, specs);
  for (const step of plan) {
    if (step.spec.kind === 'jpeg') image = await jpegArtefacts(image, step.value as number);
    else ({ image, cloud = cloud } = runSyncStep(image, step));
  }
  return { image, applied: plan.map(applied), ...(cloud !== undefined ? { cloud } : {}) };
}

/** applyArtefacts without the asynchronous JPEG step (for tight data-generation loops); same results for the same seed. */
export function applyArtefactsSync(img: RasterImage, seed: number, specs: readonly ArtefactSpec[]): ArtefactResult {
  let image = img;
  let cloud: Float32Array | undefined;
  const plan = planSteps('applyArtefactsSync', img, seed, specs);
  if (specs.some((s) => s.kind === 'jpeg')) throw new TypeError("applyArtefactsSync(): a 'jpeg' step needs the encoder (asynchronous); use applyArtefacts");
  for (const step of plan) ({ image, cloud = cloud } = runSyncStep(image, step));
  return { image, applied: plan.map(applied), ...(cloud !== undefined ? { cloud } : {}) };
}
