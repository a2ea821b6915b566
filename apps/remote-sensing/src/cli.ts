#!/usr/bin/env node
import { selectBackend } from '@moe/runtime';
import { parseArgs } from 'node:util';
import { createCliProgress } from './cli-progress.js';
import { runCliCommand, CLI_COMMANDS, type CliCommand } from './cli-commands.js';

const USAGE = `remote-sensing <command> [options]   (JSON summary on stdout, progress on stderr)
  generate  --domain rgb-urban|rgb-rural|irrg-rural|pretrain --count N --out DIR [--seed S]    write tiles + label PNGs
  pretrain  [--steps N] [--out DIR]                       pretrain the backbone (writes a checkpoint artifact)
  adapt     --method M --mode dg|da [--steps N] [--seed S] [--out DIR]   fine-tune on rgb-urban → rgb-rural
  eval      [--model DIR] [--domain D] [--count N]         mIoU of a model (default: the pretrained one, frozen)
  segment   --input FILE [--model DIR] --out FILE.png|.tif  segment an image (PNG/JPEG/GeoTIFF)
common: --backend cpu|wasm|webgpu|tensorflow|auto  --progress auto|bar|json|none`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    domain: { type: 'string' }, count: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' },
    method: { type: 'string' }, mode: { type: 'string' }, model: { type: 'string' }, input: { type: 'string' }, backend: { type: 'string' },
    progress: { type: 'string' }, help: { type: 'boolean' },
  },
});
const command = positionals[0];
if (values.help || !command) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(command || values.help ? 0 : 2);
}
if (!(CLI_COMMANDS as readonly string[]).includes(command)) {
  process.stderr.write(`remote-sensing: unknown command '${command}'; expected one of ${CLI_COMMANDS.join(', ')}\n${USAGE}\n`);
  process.exit(2);
}
try {
  const selection = await selectBackend({ request: values.backend });
  const progressMode = (values.progress ?? 'auto') as 'auto' | 'bar' | 'json' | 'none';
  const summary = await runCliCommand(command as CliCommand, values, (label) => createCliProgress(label, progressMode));
  process.stdout.write(`${JSON.stringify({ command, backend: selection.backend, ...summary }, null, 2)}\n`);
} catch (e) {
  process.stderr.write(`remote-sensing ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
