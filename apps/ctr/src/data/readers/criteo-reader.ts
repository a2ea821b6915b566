import type { RawRow } from '../raw-row.js';
import { readDelimited } from './delimited-reader.js';

export const CRITEO_INTEGER_COLUMNS = Array.from({ length: 13 }, (_, i) => `I${i + 1}`);
export const CRITEO_CATEGORICAL_COLUMNS = Array.from({ length: 26 }, (_, i) => `C${i + 1}`);
export const CRITEO_COLUMNS = ['label', ...CRITEO_INTEGER_COLUMNS, ...CRITEO_CATEGORICAL_COLUMNS];

export interface CriteoOptions {
  /** Criteo has no domain: rows get this constant domain unless `domainOf` derives one (e.g. from C9). */
  domain?: string;
  domainOf?: (row: RawRow) => string;
  limit?: number;
}

/** Criteo display-ads TSV (Kaggle/BARS layout): label, 13 integer and 26 hashed categorical columns, no header. */
export function readCriteo(path: string, options: CriteoOptions = {}): AsyncGenerator<RawRow> {
  const ints = new Set(['label', ...CRITEO_INTEGER_COLUMNS]);
  return readDelimited(path, {
    delimiter: '\t',
    columns: CRITEO_COLUMNS,
    isNumeric: (c) => ints.has(c),
    limit: options.limit,
    transform: (row) => ({ ...row, domain: options.domainOf ? options.domainOf(row) : (options.domain ?? 'criteo') }),
  });
}
