import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvFileSource, NdjsonFileSource, RedisStreamSource, type EventSource } from '@moe/service';
import { readCsv, type Schema } from '@moe/stream';
import { jsonSchemaInput, SchemaInputError, schemaFromArff, schemaFromJson } from '../service/schema-input.js';
import { ArffFileSource, readArffHeader } from './arff-file-source.js';
import { IdleEndingSource } from './idle-ending-source.js';
import type { DriftWorkerConfig } from './worker-args.js';

/** The schema in a file: an ARFF header, or the JSON form `{attributes, classAttribute}`. */
export async function readSchemaFile(path: string, classAttribute?: string): Promise<Schema> {
  const text = await readFile(path, 'utf8');
  try {
    if (text.trimStart().startsWith('{')) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new SchemaInputError(path, `not valid JSON (${(e as Error).message})`);
      }
      const r = jsonSchemaInput.safeParse(json);
      if (!r.success) {
        const i = r.error.issues[0];
        throw new SchemaInputError(`${path} ${i?.path.join('.') ?? ''}`, i?.message ?? 'invalid schema');
      }
      return schemaFromJson(r.data, path);
    }
    return await schemaFromArff(text, path, classAttribute);
  } catch (e) {
    if (e instanceof SchemaInputError) throw new Error(`--schema ${e.message}`);
    throw e;
  }
}

/** A CSV file's schema as the stream library infers it from its header and first 1000 rows. */
async function inferCsvSchema(path: string, classAttribute?: string): Promise<Schema> {
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    const { schema, instances } = await readCsv(input as AsyncIterable<string>, classAttribute === undefined ? {} : { classAttribute });
    await instances.return(undefined);
    return schema;
  } finally {
    input.destroy();
  }
}

/** Opens what `--source` names and works out the schema its events follow. */
export async function openWorkerSource(config: DriftWorkerConfig): Promise<{ source: EventSource; schema: Schema }> {
  const given = config.schemaPath === undefined ? undefined : await readSchemaFile(config.schemaPath, config.classAttribute);
  const named = { ...(config.streamName !== undefined ? { name: config.streamName } : {}), consumer: config.consumer };
  if (config.source.startsWith('file:')) {
    const path = config.source.slice('file:'.length);
    const ext = extname(path).toLowerCase();
    if (ext === '.arff') {
      const header = await readArffHeader(path, config.classAttribute);
      return { source: new ArffFileSource(path, header, named), schema: given ?? header.schema };
    }
    if (ext === '.csv') return { source: new CsvFileSource({ path, ...named }), schema: given ?? (await inferCsvSchema(path, config.classAttribute)) };
    if (ext === '.ndjson' || ext === '.jsonl') {
      if (given === undefined) throw new Error('--schema: required for an NDJSON source (an ARFF header or a JSON schema file)');
      return { source: new NdjsonFileSource({ path, ...named }), schema: given };
    }
    throw new Error(`--source: expected a .arff, .csv or .ndjson file, got '${path}'`);
  }
  const url = new URL(config.source);
  const stream = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (stream === '') throw new Error(`--source: expected redis://host:port/<stream key>, got '${config.source}' (no stream key)`);
  if (given === undefined) throw new Error('--schema: required for a Redis source (an ARFF header or a JSON schema file)');
  const redis = new RedisStreamSource({ redis: `redis://${url.host}`, stream, group: config.group, consumer: config.consumer, ...(config.streamName !== undefined ? { name: config.streamName } : {}) });
  return { source: config.stopWhenIdleMs === undefined ? redis : new IdleEndingSource(redis, config.stopWhenIdleMs), schema: given };
}
