import * as tf from '@tensorflow/tfjs-core';
import { disposeOutput, topExpert, type AnomalyModel } from '../model/anomaly-model.js';
import { emptyAlertState, trackSnippet, type AlertChange, type AlertPolicy, type AlertTrackerState } from './alert-tracker.js';

/** One camera's temporal state: the feature rows the causal model still needs, and its alert tracker. */
export interface CameraState {
  /** Index of the next snippet expected. */
  next: number;
  /** The last (kernel − 1) snippets' features, oldest first (fewer at the start of the stream). */
  context: number[][];
  alerts: AlertTrackerState;
  /** Snippets that arrived after a gap (context reset) or late (scored without context). */
  gaps: number;
  late: number;
}

export interface ScoredSnippet {
  camera: string;
  snippet: number;
  score: number;
  /** Name of the class whose expert fired ('anomaly' for single-head models). */
  expertClass: string;
  alert: AlertChange;
  /** 'in-order', 'after-gap' (earlier snippets missing: scored without their context) or 'late'. */
  arrival: 'in-order' | 'after-gap' | 'late';
}

/** The causal model sees this many snippets back (its temporal conv kernel): context rows = CONTEXT − 1. */
const CONTEXT = 3;

/**
 * Scores the snippets of many cameras as they arrive, one camera's snippets in order, with exactly the
 * scores a batch pass over the whole video gives: the model is causal, so snippet t needs only t − 2 … t,
 * which each camera keeps. The per-camera state is plain JSON (`snapshot` / `restore`) so a worker can
 * checkpoint it with the stream position.
 */
export class StreamScorer {
  private cameras = new Map<string, CameraState>();

  constructor(
    private readonly model: AnomalyModel,
    private readonly classes: readonly string[],
    private readonly policy: AlertPolicy,
  ) {}

  get cameraCount(): number {
    return this.cameras.size;
  }

  camera(id: string): CameraState | undefined {
    return this.cameras.get(id);
  }

  /** Scores several cameras' next snippets (at most one per camera) in one forward pass per context length. */
  async scoreMany(items: readonly { camera: string; snippet: number; features: ArrayLike<number> }[]): Promise<ScoredSnippet[]> {
    const dim = this.model.config.inputDim;
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.camera)) throw new RangeError(`scoreMany: camera '${item.camera}' appears twice in one call (its snippets must be scored in order, one call each)`);
      seen.add(item.camera);
    }
    const prepared = items.map((item) => {
      if (item.features.length !== dim) throw new RangeError(`camera '${item.camera}' snippet ${item.snippet}: features must have ${dim} values, got ${item.features.length}`);
      const state = this.cameras.get(item.camera) ?? { next: 0, context: [], alerts: emptyAlertState(), gaps: 0, late: 0 };
      this.cameras.set(item.camera, state);
      const arrival: ScoredSnippet['arrival'] = item.snippet < state.next ? 'late' : item.snippet > state.next ? 'after-gap' : 'in-order';
      const context = arrival === 'in-order' ? state.context : [];
      return { item, state, arrival, rows: [...context, Array.from(item.features)] };
    });
    const scores = new Array<{ score: number; expert: number }>(items.length);
    for (let w = 1; w <= CONTEXT; w++) {
      const group = prepared.map((p, i) => ({ p, i })).filter(({ p }) => p.rows.length === w);
      if (group.length === 0) continue;
      const x = tf.tensor3d(group.flatMap(({ p }) => p.rows.flat()), [group.length, w, dim]);
      const out = this.model.apply(x);
      const top = topExpert(out);
      const [s, e] = await Promise.all([out.score.data(), top.data()]);
      tf.dispose([x, top]);
      disposeOutput(out);
      group.forEach(({ i }, j) => (scores[i] = { score: s[j * w + w - 1], expert: e[j * w + w - 1] }));
    }
    return prepared.map(({ item, state, arrival, rows }, i) => {
      const { score, expert } = scores[i];
      const expertClass = expert > 0 ? (this.classes[expert] ?? `class-${expert}`) : 'anomaly';
      let alert: AlertChange = null;
      if (arrival === 'late') state.late++;
      else {
        if (arrival === 'after-gap') state.gaps++;
        state.next = item.snippet + 1;
        state.context = rows.slice(-(CONTEXT - 1));
        alert = trackSnippet(state.alerts, this.policy, item.snippet, score, expertClass);
      }
      return { camera: item.camera, snippet: item.snippet, score, expertClass, alert, arrival };
    });
  }

  async score(camera: string, snippet: number, features: ArrayLike<number>): Promise<ScoredSnippet> {
    return (await this.scoreMany([{ camera, snippet, features }]))[0];
  }

  snapshot(): string {
    return JSON.stringify([...this.cameras.entries()]);
  }

  restore(state: string | undefined): void {
    this.cameras = new Map(state === undefined ? [] : (JSON.parse(state) as [string, CameraState][]));
  }
}
