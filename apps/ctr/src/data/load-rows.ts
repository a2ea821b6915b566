import { z } from 'zod';
import { parseWithSchema } from '../features/feature-config.js';
import { syntheticConfigSchema } from './synthetic-config.js';
import { generateSynthetic, type SyntheticDataset } from './synthetic-generator.js';
import type { RawRow } from './raw-row.js';
import { collectRows, readLines } from './readers/delimited-reader.js';
import { readAliCcp, readAliExpress, readAvazu, readCriteo } from './readers/index.js';

/** Where training/evaluation rows come from. */
export const dataSourceSchema = z.union([
  z.object({ synthetic: syntheticConfigSchema }),
  z.object({
    path: z.string().min(1),
    format: z.enum(['ndjson', 'criteo', 'avazu', 'aliexpress', 'ali-ccp']).default('ndjson'),
    /** aliexpress: the file's country (domain). */
    country: z.string().optional(),
    /** ali-ccp: the common-features file. */
    commonFeaturesPath: z.string().optional(),
    limit: z.number().int().positive().optional(),
  }),
]);
export type DataSource = z.output<typeof dataSourceSchema>;

async function* readNdjson(path: string, limit?: number): AsyncGenerator<RawRow> {
  let lineNo = 0;
  let n = 0;
  for await (const line of readLines(path)) {
    lineNo++;
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      throw new Error(`${path}:${lineNo}: not valid JSON (${(e as Error).message})`);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new Error(`${path}:${lineNo}: expected a JSON object per line`);
    yield row as RawRow;
    if (limit !== undefined && ++n >= limit) return;
  }
}

/** Loads all rows of a source (and the synthetic ground truth when generated). */
export async function loadRows(input: unknown): Promise<{ rows: RawRow[]; synthetic?: SyntheticDataset }> {
  const src = parseWithSchema(dataSourceSchema, input, 'data');
  if ('synthetic' in src) {
    const synthetic = generateSynthetic(src.synthetic);
    return { rows: synthetic.rows, synthetic };
  }
  const { path, limit } = src;
  switch (src.format) {
    case 'ndjson':
      return { rows: await collectRows(readNdjson(path, limit)) };
    case 'criteo':
      return { rows: await collectRows(readCriteo(path, { limit })) };
    case 'avazu':
      return { rows: await collectRows(readAvazu(path, { limit })) };
    case 'aliexpress':
      if (!src.country) throw new Error("invalid data: data.country: required for format 'aliexpress' (e.g. 'NL')");
      return { rows: await collectRows(readAliExpress(path, { country: src.country, limit })) };
    case 'ali-ccp':
      return { rows: await collectRows(readAliCcp(path, { commonFeaturesPath: src.commonFeaturesPath, limit })) };
  }
}
