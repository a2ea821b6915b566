import { describe, expect, it } from 'vitest';
import { cellTag, describeOptions, isPublishedTable, parseBenchOptions, parseKnobs, parseSeeds, selectedVariants, settingGenerator } from './bench-options.js';
import { SETTINGS } from './settings.js';

const setting = (id: string) => SETTINGS.find((s) => s.id === id)!;

describe('CTR bench options', () => {
  it('defaults reproduce the published table (same cache tag, all settings and variants)', () => {
    const o = parseBenchOptions([], false);
    expect(o).toMatchObject({ rows: 30000, seeds: [1, 2, 3, 4, 5], epochsMax: 4, patience: 1, genSeedOffset: 0, knobs: {}, models: [] });
    expect(cellTag(o)).toBe('');
    expect(isPublishedTable(o)).toBe(true);
    expect(isPublishedTable(parseBenchOptions(['--seeds', '1-3'], false))).toBe(false);
    expect(parseBenchOptions(['--quick'], true)).toMatchObject({ rows: 8000, seeds: [1, 2] });
  });

  it('parses sizes, seeds, models, epochs and generator knobs into a cache tag that names them', () => {
    const o = parseBenchOptions(['--rows', '300000', '--seeds', '2-6', '--settings', 'domain,cluster', '--models', 'shared-bottom,star,adaptdhm', '--epochs-max', '8', '--gen-seed-offset', '5000', '--knobs', 'zipf=1.5,xi=0.95,baseCtr=0.05:0.01'], false);
    expect(o.seeds).toEqual([2, 3, 4, 5, 6]);
    expect(o.knobs).toEqual({ zipfExponent: 1.5, xi: 0.95, baseCtr: [0.05, 0.01] });
    expect(cellTag(o)).toBe('rows300000-ep8p1-gen5000-baseCtr=0.05:0.01,xi=0.95,zipfExponent=1.5');
    expect(selectedVariants(setting('cluster'), o).map((v) => v.id)).toEqual(['shared-bottom', 'star', 'adaptdhm']);
    expect(describeOptions(o)).toContain('generator knobs zipfExponent = 1.5');
    // A knob applies to every selected setting, so δ > 0 is refused where the setting needs δ = 0.
    expect(() => parseBenchOptions(['--settings', 'domain,cluster', '--knobs', 'delta=1.5'], false)).toThrow(/setting 'cluster'/);
    expect(parseBenchOptions(['--settings', 'domain', '--knobs', 'delta=1.5'], false).knobs).toEqual({ domainSignal: 1.5 });
    expect(parseSeeds('3')).toEqual([1, 2, 3]);
    expect(parseSeeds('1,4,9')).toEqual([1, 4, 9]);
  });

  it('rejects bad input with errors naming the option or knob', () => {
    expect(() => parseBenchOptions(['--rows', 'many'], false)).toThrow(/--rows: expected an integer ≥ 100, got 'many'/);
    expect(() => parseBenchOptions(['--rows'], false)).toThrow(/--rows: expected a value/);
    expect(() => parseBenchOptions(['--epoch-max', '3'], false)).toThrow(/unknown option '--epoch-max'/);
    expect(() => parseBenchOptions(['--settings', 'domian'], false)).toThrow(/--settings: unknown domian/);
    expect(() => parseBenchOptions(['--settings', 'domain', '--models', 'home'], false)).toThrow(/--models: unknown home for settings domain/);
    expect(() => parseBenchOptions(['--settings', 'domain,sparse-tasks', '--models', 'star'], false)).toThrow(/none of star is a variant of setting 'sparse-tasks'/);
    expect(() => parseSeeds('5-2')).toThrow(/--seeds: expected a range/);
    expect(() => parseSeeds('1,1')).toThrow(/duplicate seed/);
    expect(() => parseKnobs('gamma=1')).toThrow(/unknown knob 'gamma'/);
    expect(() => parseKnobs('xi=high')).toThrow(/xi expected a number, got 'high'/);
    expect(() => parseKnobs('baseCtr=0.1')).toThrow(/baseCtr expected head:tail/);
    expect(() => parseKnobs('xi=0.5,xi=0.6')).toThrow(/knob 'xi' given twice/);
    // Out of the generator's range: the generator's own validation names the field.
    expect(() => parseBenchOptions(['--settings', 'cluster', '--knobs', 'xi=1.5'], false)).toThrow(/setting 'cluster'.*synthetic\.xi/);
    expect(() => parseBenchOptions(['--settings', 'null', '--knobs', 'domains=0'], false)).toThrow(/synthetic\.numDomains/);
  });

  it('refuses knobs that leave a setting’s regime, so its expectation still applies', () => {
    expect(() => settingGenerator(setting('domain'), { domainSignal: 0 })).toThrow(/setting 'domain': its expectation needs δ > 0 and κ = 0/);
    expect(() => settingGenerator(setting('null'), { clusterSignal: 0.5 })).toThrow(/setting 'null'.*δ = κ = 0/);
    expect(() => settingGenerator(setting('cluster'), { xi: 0.5 })).toThrow(/ξ ≥ 0.9/);
    expect(settingGenerator(setting('domain'), { domainSignal: 0.5, numDomains: 12 })).toMatchObject({ domainSignal: 0.5, numDomains: 12, clusterSignal: 0 });
  });
});
