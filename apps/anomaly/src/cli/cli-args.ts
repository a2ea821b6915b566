import { parseArgs } from 'node:util';

export const COMMANDS = ['generate', 'train', 'eval', 'score'] as const;
export type Command = (typeof COMMANDS)[number];

export const CLI_USAGE = `usage: npm run anomaly -w @moe/anomaly -- <command> [options]   (JSON summary on stdout, progress on stderr)
  generate --out dir [--seed n]                 synthetic §4 streams as .npy feature folders (train/ validation/ test/)
  train    [--method gsmoe] [--data dir] [--seed n] [--epochs n] [--out dir] [--progress auto|bar|json|none]
                                                 trains on <data>/train, selects on <data>/validation (default: synthetic, seeded)
  eval     [--model dir] [--data dir] [--seed n]  snippet AUC / AP (trapezoid and step) / AUC_A / per-class AUC on <data>/test
  score    [--model dir] --input video.npy        per-snippet scores and the expert that fired`;

export interface CliOptions {
  command: Command;
  method: string;
  data?: string;
  out?: string;
  model?: string;
  input?: string;
  seed: number;
  epochs: number;
  progress: 'auto' | 'bar' | 'json' | 'none';
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const [command, ...rest] = argv.filter((a) => a !== '--');
  if (!(COMMANDS as readonly string[]).includes(command ?? '')) throw new RangeError(`command: expected one of ${COMMANDS.join(', ')}, got '${command ?? ''}'`);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      method: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      input: { type: 'string' },
      seed: { type: 'string' },
      epochs: { type: 'string' },
      progress: { type: 'string' },
    },
  });
  const int = (name: 'seed' | 'epochs', fallback: number, min: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) throw new RangeError(`--${name}: expected an integer ≥ ${min}, got '${raw}'`);
    return v;
  };
  const progress = values.progress ?? 'auto';
  if (!['auto', 'bar', 'json', 'none'].includes(progress)) throw new RangeError(`--progress: expected auto, bar, json or none, got '${progress}'`);
  if (command === 'generate' && values.out === undefined) throw new RangeError('--out: required for generate (a folder to write train/ validation/ test/ into)');
  if (command === 'score' && values.input === undefined) throw new RangeError('--input: required for score (a .npy feature file, one row per snippet)');
  return {
    command: command as Command,
    method: values.method ?? 'gsmoe',
    data: values.data,
    out: values.out,
    model: values.model,
    input: values.input,
    seed: int('seed', 1, 0),
    epochs: int('epochs', 20, 1),
    progress: progress as CliOptions['progress'],
  };
}
