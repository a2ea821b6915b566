import { HttpError } from '@moe/service';
import { CLIP_MODEL_DIR, DEFAULT_MODEL_DIR, loadAnomalyModel, type LoadedAnomalyModel } from '../model/model-artifact.js';

export interface AnomalyServiceOptions {
  /** Model artifact directory (default MOE_ANOMALY_MODEL, else the committed default model). */
  modelDir?: string;
  /** Most snippets one scoring request may carry. Default 2048. */
  maxSnippets?: number;
  /** Model for uploaded clips: trained on frame features, its artifact says how to compute them (default models/vtest). */
  clipModelDir?: string;
  /** Largest clip upload in bytes (default 16 MiB) and most frames decoded from it (default 1200). */
  maxClipBytes?: number;
  maxClipFrames?: number;
}

/** The service's state: the loaded model (or why it could not be loaded) and its limits. */
export class AnomalyContext {
  readonly modelDir: string;
  readonly maxSnippets: number;
  readonly clipModelDir: string;
  readonly maxClipBytes: number;
  readonly maxClipFrames: number;
  private loaded: LoadedAnomalyModel | undefined;
  private loadError: string | undefined;
  private clip: Promise<LoadedAnomalyModel> | undefined;

  constructor(options: AnomalyServiceOptions = {}) {
    this.modelDir = options.modelDir ?? process.env.MOE_ANOMALY_MODEL ?? DEFAULT_MODEL_DIR;
    this.maxSnippets = options.maxSnippets ?? 2048;
    this.clipModelDir = options.clipModelDir ?? CLIP_MODEL_DIR;
    this.maxClipBytes = options.maxClipBytes ?? 16 * 2 ** 20;
    this.maxClipFrames = options.maxClipFrames ?? 1200;
  }

  /** The clip model, loaded on first use (503 when it cannot be). */
  async clipModel(): Promise<LoadedAnomalyModel> {
    this.clip ??= loadAnomalyModel(this.clipModelDir).then((m) => {
      if (m.config.frameFeatures === undefined) throw new Error(`${this.clipModelDir}: not a frame-feature model (no frameFeatures in its config)`);
      return m;
    });
    try {
      return await this.clip;
    } catch (e) {
      this.clip = undefined;
      throw new HttpError('unavailable', `no clip model: ${(e as Error).message}`);
    }
  }

  async load(): Promise<void> {
    try {
      this.loaded = await loadAnomalyModel(this.modelDir);
      this.loadError = undefined;
    } catch (e) {
      this.loadError = (e as Error).message;
    }
  }

  /** The model, or 503 saying why there is none. */
  model(): LoadedAnomalyModel {
    if (this.loaded === undefined) throw new HttpError('unavailable', `no anomaly model loaded: ${this.loadError ?? 'the service has not started'}`);
    return this.loaded;
  }

  get status(): string {
    return this.loaded ? `model ${this.loaded.config.model.method} from ${this.modelDir}` : `no model (${this.loadError ?? 'not loaded yet'})`;
  }

  dispose(): void {
    this.loaded?.model.dispose();
    this.loaded = undefined;
    void this.clip?.then((m) => m.model.dispose(), () => undefined);
    this.clip = undefined;
  }
}
