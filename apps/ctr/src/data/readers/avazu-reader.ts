import type { RawRow } from '../raw-row.js';
import { readDelimited } from './delimited-reader.js';

export interface AvazuOptions {
  /** Column used as the domain (default 'site_category'); missing values become 'unknown'. */
  domainField?: string;
  limit?: number;
}

/**
 * Avazu CSV with header (id, click, hour, C1, banner_pos, site_*, app_*, device_*, C14–C21). Drops `id` and
 * expands `hour` (YYMMDDHH) into hour_of_day, weekday and is_weekend, as the Avazu_x4 recipe does.
 */
export function readAvazu(path: string, options: AvazuOptions = {}): AsyncGenerator<RawRow> {
  const domainField = options.domainField ?? 'site_category';
  return readDelimited(path, {
    delimiter: ',',
    columns: 'first-line',
    isNumeric: (c) => c === 'click',
    limit: options.limit,
    transform: (row) => {
      const { id: _id, ...rest } = row;
      const hour = String(row.hour ?? '');
      const out: RawRow = { ...rest, domain: row[domainField] === undefined ? 'unknown' : String(row[domainField]) };
      if (/^\d{8}$/.test(hour)) {
        const date = new Date(Date.UTC(2000 + Number(hour.slice(0, 2)), Number(hour.slice(2, 4)) - 1, Number(hour.slice(4, 6))));
        const weekday = date.getUTCDay();
        out.hour_of_day = hour.slice(6, 8);
        out.weekday = String(weekday);
        out.is_weekend = weekday === 0 || weekday === 6 ? '1' : '0';
      } else if (hour !== '') {
        throw new Error(`avazu: column 'hour' expected YYMMDDHH, got ${JSON.stringify(hour)}`);
      }
      return out;
    },
  });
}
