import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './cli-args.js';

describe('drift CLI arguments', () => {
  it('parses a run over a paper stream with defaults', () => {
    expect(parseRunArgs(['--stream', 'sea', '--method', 'ht', '--n', '500'])).toMatchObject({ stream: 'sea', method: 'ht', n: 500, seed: 1, window: 1000 });
    expect(parseRunArgs(['--arff', 'x.arff']).method).toBe('driftmoe-data');
  });

  it('names the bad flag', () => {
    expect(() => parseRunArgs(['--stream', 'sea', '--n', '-3'])).toThrow(/--n: expected an integer ≥ 1, got '-3'/);
    expect(() => parseRunArgs(['--stream', 'sea', '--arff', 'a'])).toThrow(/exactly one of --stream, --arff, --csv, got --stream and --arff/);
    expect(() => parseRunArgs(['--stream', 'sea', '--method', 'x'])).toThrow(/--method: expected one of/);
    expect(() => parseRunArgs(['--stream', 'sea', '--bogus', '1'])).toThrow(/unknown flag --bogus/);
    expect(() => parseRunArgs(['--stream'])).toThrow(/--stream: expected a value/);
  });
});
