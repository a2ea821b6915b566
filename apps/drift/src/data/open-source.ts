import { createReadStream } from 'node:fs';
import { readArff, readCsv, type Instance, type InstanceStream, type Schema } from '@moe/stream';
import { isPaperStream, paperStream, TASK_OUTPUTS } from './paper-streams.js';
import type { StreamKnobs } from './stream-knobs.js';

export interface OpenedSource {
  name: string;
  schema: Schema;
  source: InstanceStream | AsyncIterable<Instance>;
  /** Finite sources: stop here; generators run to `--n`. */
  finite: boolean;
  taskOutputs?: number;
}

async function* textChunks(path: string): AsyncGenerator<string> {
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) yield chunk as string;
}

/** A paper stream by name (`sea_a`…) with its seed, or an ARFF/CSV file streamed from disk. */
export async function openSource(spec: { stream?: string; arff?: string; csv?: string; seed: number; classAttribute?: string; knobs?: StreamKnobs }): Promise<OpenedSource> {
  if (spec.arff) {
    const { schema, instances } = await readArff(textChunks(spec.arff), { classAttribute: spec.classAttribute });
    return { name: spec.arff, schema, source: instances, finite: true };
  }
  if (spec.csv) {
    const { schema, instances } = await readCsv(textChunks(spec.csv), { classAttribute: spec.classAttribute });
    return { name: spec.csv, schema, source: instances, finite: true };
  }
  const name = spec.stream ?? '';
  const alias: Record<string, string> = { sea: 'sea_a', led: 'led_a', rbf: 'rbf_m' };
  const resolved = alias[name] ?? name;
  if (!isPaperStream(resolved)) throw new RangeError(`stream: expected one of sea, led, rbf, led_a, led_g, sea_a, sea_g, rbf_m, rbf_f (or --arff/--csv), got '${name}'`);
  const s = paperStream(resolved, spec.seed, spec.knobs);
  return { name: resolved, schema: s.schema, source: s, finite: false, taskOutputs: TASK_OUTPUTS[resolved] };
}
