import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('anomaly CLI arguments', () => {
  it('parses each command with defaults', () => {
    expect(parseCliArgs(['train', '--method', 'mil', '--epochs', '3'])).toMatchObject({ command: 'train', method: 'mil', epochs: 3, seed: 1, progress: 'auto' });
    expect(parseCliArgs(['generate', '--out', '/tmp/x'])).toMatchObject({ command: 'generate', out: '/tmp/x' });
    expect(parseCliArgs(['--', 'eval', '--seed', '4'])).toMatchObject({ command: 'eval', seed: 4 });
  });

  it('refuses bad input naming what is wrong', () => {
    expect(() => parseCliArgs(['fit'])).toThrow(/command: expected one of generate, train, eval, score, got 'fit'/);
    expect(() => parseCliArgs(['generate'])).toThrow(/--out: required for generate/);
    expect(() => parseCliArgs(['score'])).toThrow(/--input: required for score/);
    expect(() => parseCliArgs(['train', '--epochs', 'x'])).toThrow(/--epochs: expected an integer ≥ 1, got 'x'/);
    expect(() => parseCliArgs(['train', '--progress', 'loud'])).toThrow(/--progress: expected auto, bar, json or none/);
    expect(() => parseCliArgs(['train', '--bogus'])).toThrow(/bogus/);
  });
});
