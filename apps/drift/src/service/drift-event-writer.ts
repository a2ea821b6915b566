import type { Prisma } from '@moe/db';
import type { DriftEventRecord } from './prequential-session.js';

/** The app name drift rows are stored under (the suite's dashboard reads them by it). */
export const DRIFT_APP = 'drift';

/** A database client or an open transaction: drift rows join the worker's commit when given its `tx`. */
export type DriftEventSink = Pick<Prisma.TransactionClient, 'driftEvent'>;

/** Stores detections as `DriftEvent` rows of stream `stream`. */
export async function writeDriftEvents(sink: DriftEventSink, stream: string, events: readonly DriftEventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await sink.driftEvent.createMany({
    data: events.map((e) => ({ app: DRIFT_APP, stream, position: e.position, detector: e.detector, kind: e.kind, details: e.details })),
  });
}
