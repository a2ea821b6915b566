import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { MalformedEventError, type EventHandler } from '@moe/service';
import type { CtrArtifact } from '../artifact/model-artifact.js';
import type { RawRow } from '../data/raw-row.js';
import { FeatureInputError } from '../features/feature-processor.js';
import { predict } from '../train/predict.js';
import { trainStep } from '../train/trainer.js';
import { artifactCalibration } from '../service/model-slot.js';
import { PlattCalibration, plattCalibrationStateSchema } from '../service/platt-calibration.js';
import { ctrEventSchema, type CtrEvent } from './ctr-events.js';
import { JoinBuffer, type PendingImpression } from './join-buffer.js';
import { emptyOnlineStats, onlineStatsSchema, windowPcoc, type OnlineStats } from './online-stats.js';
import { applyHostWeights, readHostWeights, WeightFiles, type HostWeights } from './weight-file.js';

export interface OnlineLearnerOptions {
  /** Event-time window (ms) in which a click joins its impression. */
  joinWindowMs: number;
  /** Labelled impressions per fine-tuning step. Default 256. */
  batchSize?: number;
  /** SGD step size of the dense weights; 0 freezes the model (recalibration only). Default 0.01. */
  learningRate?: number;
  /** Step size of the touched embedding rows. Default 0.01. */
  embeddingLearningRate?: number;
  /** Recent labelled rows the calibration is fitted on and PCOC is reported over. Default 4000. */
  calibrationWindow?: number;
  /** Directory of the weight files the checkpoint names. */
  weightsDir: string;
  /** Identity of the starting model (e.g. `v12`); a checkpoint made from another model is refused. */
  base: string;
  /** Called after every `publishEvery` fine-tuning steps (e.g. to register the fine-tuned model). */
  onFineTuned?: (learner: OnlineLearner) => Promise<void>;
  publishEvery?: number;
}

const stateSchema = z.object({
  version: z.literal(1),
  base: z.string(),
  join: z.object({ windowMs: z.number(), watermark: z.number().nullable(), pending: z.array(z.object({ id: z.string(), ts: z.number(), row: z.record(z.string(), z.unknown()), positives: z.array(z.string()) })), closed: z.array(z.tuple([z.string(), z.number()])) }),
  ready: z.array(z.record(z.string(), z.unknown())),
  window: z.object({ raw: z.array(z.array(z.number())), calibrated: z.array(z.array(z.number())), y: z.array(z.array(z.number())), domain: z.array(z.number()) }),
  calibration: plattCalibrationStateSchema,
  stats: onlineStatsSchema,
  weights: z.object({ file: z.string(), sha256: z.string() }),
});
type LearnerState = z.infer<typeof stateSchema>;

/** Parses the stats out of a checkpointed learner state (for dashboards); undefined when it is not one. */
export function statsOfState(state: string): OnlineStats | undefined {
  try {
    const r = stateSchema.pick({ stats: true }).safeParse(JSON.parse(state));
    return r.success ? r.data.stats : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The online CTR learner, as a worker-runtime EventHandler: joins impressions with delayed clicks (JoinBuffer),
 * and for every `batchSize` labelled impressions predicts them first (prequential: PCOC before/after the
 * recalibration is measured on labels the calibration has not seen), takes one fine-tuning step, and refits
 * the per-domain Platt calibration on the recent window.
 *
 * Everything the learner knows is in its snapshot — join buffer, queued rows, calibration window, counters,
 * and the model weights (by reference to a content-addressed file written before the commit) — and the
 * fine-tuning update is stateless (SGD on dense weights; on embedding rows an Adagrad step from a fresh
 * accumulator of 1, i.e. SGD with the step softly capped at the learning rate), so a restart from a checkpoint
 * continues exactly as if the process had never stopped.
 */
export class OnlineLearner implements EventHandler<CtrEvent, unknown> {
  private join: JoinBuffer;
  private ready: RawRow[] = [];
  private window = { raw: [] as number[][], calibrated: [] as number[][], y: [] as number[][], domain: [] as number[] };
  private calibration: PlattCalibration;
  stats: OnlineStats = emptyOnlineStats();
  private readonly optimizer: tf.Optimizer;
  private readonly files: WeightFiles;
  private host: HostWeights | undefined;
  private weightsRef: { file: string; sha256: string };
  private readonly initialRef: { file: string; sha256: string };
  private readonly taskNames: string[];

  private constructor(readonly artifact: CtrArtifact, private readonly options: OnlineLearnerOptions, files: WeightFiles, initialRef: { file: string; sha256: string }) {
    this.join = new JoinBuffer(options.joinWindowMs);
    this.files = files;
    this.initialRef = initialRef;
    this.weightsRef = initialRef;
    this.taskNames = artifact.processor.layout.tasks.map((t) => t.name);
    this.calibration = artifactCalibration(artifact);
    this.resetWindow();
    this.optimizer = tf.train.sgd(options.learningRate ?? 0.01);
  }

  /** Builds a learner on a loaded artefact (which it fine-tunes in place) and saves its starting weights. */
  static async create(artifact: CtrArtifact, options: OnlineLearnerOptions): Promise<OnlineLearner> {
    const files = new WeightFiles(options.weightsDir);
    const initialRef = files.write(await readHostWeights(artifact.model), { pinned: true });
    return new OnlineLearner(artifact, options, files, initialRef);
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 256;
  }

  decode(value: unknown): CtrEvent {
    const r = ctrEventSchema.safeParse(value);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new MalformedEventError(`${i?.path.join('.') || 'event'}: ${i?.message ?? 'invalid event'}`, i?.path.join('.'));
    }
    const event = r.data;
    if (event.type === 'click' && event.task !== undefined && !this.taskNames.includes(event.task)) {
      throw new MalformedEventError(`task: unknown task '${event.task}' (the model's tasks: ${this.taskNames.join(', ')})`, 'task');
    }
    if (event.type === 'impression') {
      // An impression this model cannot encode can never be learnt from: dead-letter it, naming the field.
      try {
        this.artifact.processor.transform([event.row as RawRow], { strict: true });
      } catch (e) {
        if (e instanceof FeatureInputError) throw new MalformedEventError(`row.${e.field}: ${e.message}`, `row.${e.field}`);
        throw e;
      }
    }
    return event;
  }

  eventId(event: CtrEvent): string {
    return event.type === 'impression' ? `imp:${event.id}` : `click:${event.id ?? `${event.impressionId}:${event.task ?? this.taskNames[0]}`}`;
  }

  async apply(event: CtrEvent): Promise<void> {
    if (event.type === 'impression') {
      if (this.join.addImpression(event.id, event.ts, event.row as RawRow)) this.stats.impressions++;
      else this.stats.duplicateImpressions++;
    } else {
      this.stats.clicks++;
      const outcome = this.join.addClick(event.impressionId, event.ts, event.task ?? this.taskNames[0]);
      if (outcome === 'joined') this.stats.clicksJoined++;
      else if (outcome === 'late') this.stats.lateClicks++;
      else if (outcome === 'unmatched') this.stats.unmatchedClicks++;
      else this.stats.duplicateClicks++;
    }
    for (const imp of this.join.advance(event.ts)) this.ready.push(this.labelled(imp));
    while (this.ready.length >= this.batchSize) await this.fineTune(this.ready.splice(0, this.batchSize));
  }

  /** The impression's row with every task label set: positive when its click came in time (a chained task also needs its parent). */
  private labelled(imp: PendingImpression): RawRow {
    const tasks = this.artifact.processor.config.tasks;
    const row: RawRow = { ...imp.row };
    for (const t of tasks) {
      const parentOk = t.chainOf === undefined || row[tasks.find((x) => x.name === t.chainOf)!.label] === 1;
      row[t.label] = imp.positives.includes(t.name) && parentOk ? 1 : 0;
    }
    this.stats.labelled++;
    this.stats.positives += row[tasks[0].label] === 1 ? 1 : 0;
    return row;
  }

  private async fineTune(rows: RawRow[]): Promise<void> {
    const { processor, model } = this.artifact;
    const batch = processor.transform(rows, { strict: true, requireLabels: true });
    const before = await predict(model, batch);
    const limit = this.options.calibrationWindow ?? 4000;
    for (let t = 0; t < this.taskNames.length; t++) {
      const raw = Array.from(before.probs[t]);
      this.window.raw[t].push(...raw);
      this.window.calibrated[t].push(...raw.map((p, i) => this.calibration.apply(p, batch.domain[i], t)));
      this.window.y[t].push(...Array.from(batch.labels[t]));
    }
    this.window.domain.push(...Array.from(batch.domain));
    const excess = Math.max(0, this.window.domain.length - limit);
    if (excess) {
      for (const k of ['raw', 'calibrated', 'y'] as const) for (const arr of this.window[k]) arr.splice(0, excess);
      this.window.domain.splice(0, excess);
    }
    if ((this.options.learningRate ?? 0.01) > 0) {
      model.table.resetOptimizer();
      this.stats.lastLoss = await trainStep(model, batch, this.optimizer, { kind: 'adagrad', learningRate: this.options.embeddingLearningRate ?? 0.01, initialAccumulator: 1 });
      this.host = await readHostWeights(model);
    }
    for (let t = 0; t < this.taskNames.length; t++) this.calibration.fit(this.window.raw[t], this.window.y[t], this.window.domain, t);
    Object.assign(this.stats, windowPcoc(this.window.raw[0], this.window.calibrated[0], this.window.y[0], this.window.domain, processor.domains));
    this.stats.fineTuneSteps++;
    const every = this.options.publishEvery ?? 0;
    if (every > 0 && this.stats.fineTuneSteps % every === 0) await this.options.onFineTuned?.(this);
  }

  /** The fine-tuned model with its calibration and online figures, ready to be saved as an artefact. */
  publishable(): CtrArtifact {
    return { ...this.artifact, metadata: { ...this.artifact.metadata, calibration: this.calibration.toJSON(), online: { ...this.stats, base: this.options.base } } };
  }

  get currentCalibration(): PlattCalibration {
    return this.calibration;
  }

  snapshot(): string {
    if (this.host) {
      this.weightsRef = this.files.write(this.host);
      this.host = undefined;
    }
    const state: LearnerState = {
      version: 1,
      base: this.options.base,
      join: this.join.toJSON() as LearnerState['join'],
      ready: this.ready as LearnerState['ready'],
      window: this.window,
      calibration: this.calibration.toJSON(),
      stats: this.stats,
      weights: this.weightsRef,
    };
    return JSON.stringify(state);
  }

  restore(text: string | undefined): void {
    if (text === undefined) {
      this.join = new JoinBuffer(this.options.joinWindowMs);
      this.ready = [];
      this.resetWindow();
      this.calibration = artifactCalibration(this.artifact);
      this.stats = emptyOnlineStats();
      this.weightsRef = this.initialRef;
    } else {
      const parsed = stateSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`ctr worker checkpoint: not a learner state (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
      const s = parsed.data;
      if (s.base !== this.options.base) throw new Error(`ctr worker checkpoint was made from model ${s.base}, but this worker starts from ${this.options.base}: use another checkpoint (--state) or the same model`);
      if (s.join.windowMs !== this.options.joinWindowMs) throw new Error(`ctr worker checkpoint uses a join window of ${s.join.windowMs} ms, this worker ${this.options.joinWindowMs} ms`);
      this.join = JoinBuffer.fromJSON(s.join as Parameters<typeof JoinBuffer.fromJSON>[0]);
      this.ready = s.ready as RawRow[];
      this.window = s.window;
      this.calibration = PlattCalibration.fromJSON(s.calibration);
      this.stats = s.stats;
      this.weightsRef = s.weights;
    }
    this.host = undefined;
    applyHostWeights(this.artifact.model, this.files.read(this.weightsRef));
  }

  private resetWindow(): void {
    const T = this.taskNames.length;
    this.window = { raw: Array.from({ length: T }, () => []), calibrated: Array.from({ length: T }, () => []), y: Array.from({ length: T }, () => []), domain: [] };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
