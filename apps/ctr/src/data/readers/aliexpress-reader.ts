import type { RawRow } from '../raw-row.js';
import { readDelimited } from './delimited-reader.js';

export interface AliExpressOptions {
  /** Country code of the file (NL, ES, FR, US, RU): AliExpress ships one dataset per country, used as the domain. */
  country: string;
  limit?: number;
}

/**
 * AliExpress (MTReclib preprocessed CSV with header): search_id, categorical_1..16, numerical_1..63 (already
 * normalised), click, conversion. The country becomes the domain so several files form a multi-domain set.
 */
export function readAliExpress(path: string, options: AliExpressOptions): AsyncGenerator<RawRow> {
  if (!/^[A-Z]{2}$/.test(options.country)) throw new Error(`readAliExpress: country expected a two-letter code like 'NL', got ${JSON.stringify(options.country)}`);
  return readDelimited(path, {
    delimiter: ',',
    columns: 'first-line',
    isNumeric: (c) => c.startsWith('numerical') || c === 'click' || c === 'conversion',
    limit: options.limit,
    transform: (row) => ({ ...row, domain: options.country }),
  });
}
