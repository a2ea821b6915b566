import type { Db } from '@moe/db';
import { statsOfState } from '../worker/online-learner.js';
import type { OnlineStats } from '../worker/online-stats.js';
import { CTR_APP } from './model-versions.js';

/** Figures of the online workers that checkpoint into the database (PrismaWorkerStore), newest first. */
export async function onlineWorkerStats(db: Db): Promise<{ stream: string; consumer: string; stats: OnlineStats }[]> {
  const rows = await db.client.streamCheckpoint.findMany({ where: { app: CTR_APP }, orderBy: { updatedAt: 'desc' }, take: 4 });
  return rows.flatMap((r) => {
    const stats = r.state ? statsOfState(Buffer.from(r.state).toString('utf8')) : undefined;
    return stats ? [{ stream: r.stream, consumer: r.consumer, stats }] : [];
  });
}
