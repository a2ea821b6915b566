import type { EventHandler, PrismaTx, SourceRecord } from '@moe/service';
import type { LoadedAnomalyModel } from '../model/model-artifact.js';
import type { Alert } from '../stream/alert-tracker.js';
import { StreamScorer, type ScoredSnippet } from '../stream/stream-scorer.js';
import { decodeSnippetEvent, type SnippetEvent } from './snippet-event.js';

export const ANOMALY_APP = 'anomaly';

/**
 * The streaming scorer as a worker handler: each snippet is scored with its camera's temporal context, its
 * score row and any alert change are written through the commit's transaction, and every camera's state is
 * the checkpoint. The runtime commits those writes, the processed ids and the checkpoint (stream position +
 * camera states) in one transaction, and restores the last committed camera states after a crash or a failed
 * commit, so a snippet is neither scored twice nor lost, and alert rows are upserted by (stream, camera, start).
 */
export class ScoringHandler implements EventHandler<SnippetEvent, PrismaTx> {
  readonly scorer: StreamScorer;
  scored = 0;

  constructor(
    private readonly loaded: LoadedAnomalyModel,
    private readonly stream: string,
  ) {
    this.scorer = new StreamScorer(loaded.model, loaded.config.classes, loaded.config.alert);
  }

  decode(value: unknown): SnippetEvent {
    return decodeSnippetEvent(value, this.loaded.model.config.inputDim);
  }

  /** One id per (camera, snippet): a snippet pushed twice is one snippet. */
  eventId(event: SnippetEvent, _record: SourceRecord): string {
    return `${event.camera}#${event.snippet}`;
  }

  async apply(event: SnippetEvent, tx: PrismaTx): Promise<void> {
    const s = await this.scorer.score(event.camera, event.snippet, event.features);
    await writeScored(tx, this.stream, s);
    this.scored++;
  }

  snapshot(): string {
    return this.scorer.snapshot();
  }

  restore(state: string | undefined): void {
    this.scorer.restore(state);
  }
}

async function writeScored(tx: PrismaTx, stream: string, s: ScoredSnippet): Promise<void> {
  if (s.arrival === 'late') {
    // Scored without context; a late copy of a snippet already stored under another event id is dropped.
    const existing = await tx.anomalyScore.findUnique({ where: { stream_camera_snippet: { stream, camera: s.camera, snippet: s.snippet } } });
    if (existing !== null) return;
  }
  await tx.anomalyScore.create({ data: { stream, camera: s.camera, snippet: s.snippet, score: s.score, expertClass: s.expertClass } });
  if (s.alert !== null) await upsertAlert(tx, stream, s.camera, s.alert.alert);
}

async function upsertAlert(tx: PrismaTx, stream: string, camera: string, alert: Alert): Promise<void> {
  const fields = { endSnippet: alert.endSnippet, peakScore: alert.peakScore, expertClass: alert.expertClass, status: alert.status };
  await tx.anomalyAlert.upsert({
    where: { stream_camera_startSnippet: { stream, camera, startSnippet: alert.startSnippet } },
    create: { app: ANOMALY_APP, stream, camera, startSnippet: alert.startSnippet, ...fields },
    update: fields,
  });
}
