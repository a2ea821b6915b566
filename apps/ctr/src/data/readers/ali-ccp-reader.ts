import type { RawRow } from '../raw-row.js';
import { readLines } from './delimited-reader.js';

/** The 23 sparse fields of the public Ali-CCP recipe; field '301' (3 values) is the scenario/domain. */
export const ALI_CCP_FIELDS = ['101', '121', '122', '124', '125', '126', '127', '128', '129', '205', '206', '207', '210', '216', '508', '509', '702', '853', '301', '109_14', '110_14', '127_14', '150_14'] as const;

export interface AliCcpOptions {
  /** `common_features_*.csv`, joined on the common-feature index (user-side features). */
  commonFeaturesPath?: string;
  limit?: number;
}

/** Parses an Ali-CCP feature list: entries separated by \x01, each `field\x02featureId\x03value`. */
function parseFeatureList(list: string, where: string): Map<string, string> {
  const out = new Map<string, string>();
  if (list === '') return out;
  for (const entry of list.split('\x01')) {
    const [field, rest] = entry.split('\x02');
    if (rest === undefined) throw new Error(`${where}: feature entry ${JSON.stringify(entry)} lacks the \\x02 separator`);
    const [featureId] = rest.split('\x03');
    // Multi-valued fields keep their first value (the public recipes do the same for these 23 fields).
    if (!out.has(field)) out.set(field, featureId);
  }
  return out;
}

async function loadCommonFeatures(path: string): Promise<Map<string, Map<string, string>>> {
  const map = new Map<string, Map<string, string>>();
  let lineNo = 0;
  for await (const line of readLines(path)) {
    lineNo++;
    if (line === '') continue;
    const parts = line.split(',');
    if (parts.length < 3) throw new Error(`${path}:${lineNo}: expected 'index,feature_num,feature_list', got ${parts.length} field(s)`);
    map.set(parts[0], parseFeatureList(parts.slice(2).join(','), `${path}:${lineNo}`));
  }
  return map;
}

/**
 * Ali-CCP raw skeleton (`sample_skeleton_{train,test}.csv`: sample_id, click, conversion,
 * common_feature_index, feature_num, feature_list) joined with the common-features file. Rows carry the 23
 * sparse fields (missing → absent), `click`, `purchase` (= conversion) and `domain` (= field 301).
 */
export async function* readAliCcp(skeletonPath: string, options: AliCcpOptions = {}): AsyncGenerator<RawRow> {
  const common = options.commonFeaturesPath ? await loadCommonFeatures(options.commonFeaturesPath) : undefined;
  let lineNo = 0;
  let emitted = 0;
  for await (const line of readLines(skeletonPath)) {
    lineNo++;
    if (line === '') continue;
    const parts = line.split(',');
    const where = `${skeletonPath}:${lineNo}`;
    if (parts.length < 6) throw new Error(`${where}: expected 6 fields (sample_id, click, conversion, common_feature_index, feature_num, feature_list), got ${parts.length}`);
    const [, click, conversion, commonIndex] = parts;
    if (!/^[01]$/.test(click) || !/^[01]$/.test(conversion)) throw new Error(`${where}: click/conversion expected 0 or 1, got ${click}/${conversion}`);
    const features = parseFeatureList(parts.slice(5).join(','), where);
    const user = common?.get(commonIndex);
    const row: RawRow = { click: Number(click), purchase: Number(click) === 1 ? Number(conversion) : 0 };
    for (const f of ALI_CCP_FIELDS) {
      const v = features.get(f) ?? user?.get(f);
      if (v !== undefined) row[f] = v;
    }
    row.domain = row['301'] === undefined ? 'unknown' : String(row['301']);
    yield row;
    if (options.limit !== undefined && ++emitted >= options.limit) return;
  }
}
