import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows, readAliCcp, readAliExpress, readAvazu, readCriteo } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'ctr-readers-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('dataset readers', () => {
  it('Criteo TSV: 13 integer + 26 categorical columns, empty → missing', async () => {
    const ints = ['1', '', '5', ...Array(10).fill('0')];
    const cats = ['68fd1e64', '', ...Array(24).fill('a1b2')];
    const path = file('criteo.tsv', `${['0', ...ints, ...cats].join('\t')}\n${['1', ...ints, ...cats].join('\t')}\n`);
    const rows = await collectRows(readCriteo(path));
    expect(rows).toHaveLength(2);
    expect(rows[1].label).toBe(1);
    expect(rows[0].I1).toBe(1);
    expect(rows[0].I2).toBeUndefined();
    expect(rows[0].C1).toBe('68fd1e64');
    expect(rows[0].C2).toBeUndefined();
    expect(rows[0].domain).toBe('criteo');
    const bad = file('bad.tsv', '0\t1\t2\n');
    await expect(collectRows(readCriteo(bad))).rejects.toThrow(/bad.tsv:1: expected 40 fields separated by "\\t", got 3/);
  });

  it('Avazu CSV: header, id dropped, hour expanded, domain from site_category', async () => {
    const path = file('avazu.csv', 'id,click,hour,C1,site_category,device_type\n1000009418151094273,0,14102100,1005,28905ebd,1\n10000169349117863715,1,14102514,1005,,0\n');
    const rows = await collectRows(readAvazu(path));
    expect(rows[0]).toMatchObject({ click: 0, hour_of_day: '00', weekday: '2', is_weekend: '0', domain: '28905ebd', C1: '1005' });
    expect(rows[0].id).toBeUndefined();
    expect(rows[1]).toMatchObject({ click: 1, hour_of_day: '14', weekday: '6', is_weekend: '1', domain: 'unknown' });
  });

  it('Ali-CCP skeleton joined with common features; domain = field 301', async () => {
    const sk = file('skeleton.csv', ['1,1,0,c1,3,205\x021001\x031.0\x01301\x023001\x031.0\x01206\x022001\x031.0', '2,0,1,c2,1,205\x021002\x031.0'].join('\n') + '\n');
    const common = file('common.csv', 'c1,1,101\x02u7\x031.0\nc2,2,101\x02u8\x031.0\x01121\x02g1\x031.0\n');
    const rows = await collectRows(readAliCcp(sk, { commonFeaturesPath: common }));
    expect(rows[0]).toMatchObject({ click: 1, purchase: 0, '205': '1001', '206': '2001', '301': '3001', '101': 'u7', domain: '3001' });
    // Conversion without click is not a purchase in the CTR→CVR chain.
    expect(rows[1]).toMatchObject({ click: 0, purchase: 0, '101': 'u8', '121': 'g1', domain: 'unknown' });
    const bad = file('bad-skeleton.csv', '1,2,0,c1,0,\n');
    await expect(collectRows(readAliCcp(bad))).rejects.toThrow(/click\/conversion expected 0 or 1, got 2\/0/);
  });

  it('AliExpress CSV: numerical_* as numbers, country as domain', async () => {
    const path = file('ae.csv', 'search_id,categorical_1,numerical_1,click,conversion\n7,12,0.25,1,0\n8,13,,0,0\n');
    const rows = await collectRows(readAliExpress(path, { country: 'NL' }));
    expect(rows[0]).toMatchObject({ categorical_1: '12', numerical_1: 0.25, click: 1, conversion: 0, domain: 'NL' });
    expect(rows[1].numerical_1).toBeUndefined();
    expect(() => readAliExpress(path, { country: 'nl' })).toThrow(/country expected a two-letter code/);
  });
});
