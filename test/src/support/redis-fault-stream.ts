import { seededRandom } from '@moe/faults';
import type { Redis } from 'ioredis';

export interface FaultStream {
  /** Ids of the well-formed events, each of which must end up applied exactly once. */
  readonly goodIds: string[];
  /** The dead-letter event id each injected malformed entry must produce: its entry id (no JSON) or its `id`. */
  readonly malformedIds: string[];
}

/**
 * Fills a stream with `good` label events and `malformed` bad ones at seeded random places: half are not JSON
 * at all, half are JSON whose `label` is not an integer.
 */
export async function fillFaultStream(redis: Redis, stream: string, good: number, malformed: number, seed: number): Promise<FaultStream> {
  const random = seededRandom(seed);
  const badAt = new Set<number>();
  while (badAt.size < malformed) badAt.add(Math.floor(random() * (good + malformed)));
  const goodIds: string[] = [];
  const pipe = redis.pipeline();
  const kinds: ('good' | 'not-json' | 'bad-label')[] = [];
  let bad = 0;
  for (let i = 0; i < good + malformed; i++) {
    if (badAt.has(i)) {
      const kind = bad++ % 2 === 0 ? 'not-json' : 'bad-label';
      kinds.push(kind);
      pipe.xadd(stream, '*', 'data', kind === 'not-json' ? `{"id":"broken-${i}",` : JSON.stringify({ id: `bad-${i}`, label: 'x' }));
    } else {
      const id = `ev-${goodIds.length}`;
      goodIds.push(id);
      kinds.push('good');
      pipe.xadd(stream, '*', 'data', JSON.stringify({ id, label: goodIds.length % 2 }));
    }
  }
  const replies = (await pipe.exec()) ?? [];
  const malformedIds: string[] = [];
  replies.forEach(([error, entryId], i) => {
    if (error) throw error;
    if (kinds[i] === 'not-json') malformedIds.push(entryId as string);
    if (kinds[i] === 'bad-label') malformedIds.push(`bad-${i}`);
  });
  return { goodIds, malformedIds };
}
