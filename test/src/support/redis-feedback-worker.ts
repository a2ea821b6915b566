/**
 * A worker process for the fault test (and for trying the kill loop by hand): consumes a Redis stream through a
 * consumer group and writes one `Feedback` row per event in the database, in the commit's transaction.
 *
 *   npm run moe -- test/src/support/redis-feedback-worker.ts -- --redis redis://127.0.0.1:6379 --stream s \
 *     --group g --consumer c1 --data-dir .data/fault [--claim-idle-ms 1000] [--batch-size 20]
 *
 * Prints `{"ready":true}` after its first commit, or once it found nothing to read (so a kill loop aims at a
 * worker that is really working rather than one still starting),
 * a line whenever it took over entries from another consumer, and its stats when stopped by SIGTERM.
 */
import { parseArgs } from 'node:util';
import { openDb } from '@moe/db';
import { MalformedEventError, PrismaWorkerStore, RedisStreamSource, runWorker, stopOnSignals, type EventHandler, type PrismaTx } from '@moe/service';

export const FEEDBACK_APP = 'fault-test';

interface LabelEvent {
  id: string;
  label: number;
}

const labels: EventHandler<LabelEvent, PrismaTx> = {
  decode(value) {
    const v = value as { id?: unknown; label?: unknown } | null;
    if (typeof v?.id !== 'string') throw new MalformedEventError(`field id: expected a string, got ${JSON.stringify(v?.id)}`, 'id');
    if (typeof v.label !== 'number' || !Number.isInteger(v.label)) throw new MalformedEventError(`field label: expected an integer, got ${JSON.stringify(v.label)}`, 'label');
    return { id: v.id, label: v.label };
  },
  async apply(event, tx) {
    await tx.feedback.create({ data: { app: FEEDBACK_APP, eventId: event.id, label: event.label } });
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      redis: { type: 'string' },
      stream: { type: 'string' },
      group: { type: 'string', default: 'workers' },
      consumer: { type: 'string' },
      'data-dir': { type: 'string' },
      'claim-idle-ms': { type: 'string', default: '1000' },
      'batch-size': { type: 'string', default: '20' },
    },
  });
  for (const required of ['redis', 'stream', 'consumer', 'data-dir'] as const) {
    if (!values[required]) throw new Error(`--${required}: expected a value, got none`);
  }
  const db = await openDb({ dataDir: values['data-dir']!, env: {} });
  const source = new RedisStreamSource({
    redis: values.redis!,
    stream: values.stream!,
    group: values.group!,
    consumer: values.consumer!,
    blockMs: 100,
    claimIdleMs: Number(values['claim-idle-ms']),
  });
  const batchSize = Number(values['batch-size']);
  let claimed = 0;
  let announced = false;
  const announceReady = (): void => {
    if (!announced) console.log(JSON.stringify({ consumer: source.consumer, ready: true }));
    announced = true;
  };
  const worker = await runWorker({
    source,
    handler: labels,
    store: new PrismaWorkerStore({ db, app: FEEDBACK_APP }),
    batchSize,
    maxInFlight: batchSize * 4,
    onCaughtUp: announceReady,
    onCommit: () => {
      announceReady();
      if (source.claimed !== claimed) {
        claimed = source.claimed;
        console.log(JSON.stringify({ consumer: source.consumer, claimed }));
      }
    },
  });
  stopOnSignals(worker, {
    onStopped: (error) => {
      console.log(JSON.stringify({ consumer: source.consumer, stopped: true, stats: worker.stats }));
      void db.close().finally(() => process.exit(error === undefined ? 0 : 1));
    },
  });
  await worker.done;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
