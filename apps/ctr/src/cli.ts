// CTR command line: `npm run moe -- apps/ctr/src/cli.ts <command> [options]`
//   generate --out rows.ndjson [--config synthetic.json] [--rows N] [--seed S]
//            writes NDJSON rows (+ <out>.features.json, + <out>.truth.json with stats) from the §4.2 generator
//   train --config train.json            trains, evaluates on the test split, saves the artefact (config.out)
//   eval --model <artifact-dir> --data rows.ndjson [--format ndjson|criteo|avazu|aliexpress|ali-ccp]
// Progress goes to stderr; the JSON summary to stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import { selectBackend } from '@moe/runtime';
import '@moe/kernels';
import { loadCtrArtifact } from './artifact/model-artifact.js';
import { loadRows } from './data/load-rows.js';
import { generateSynthetic } from './data/synthetic-generator.js';
import { evaluateTask } from './eval/evaluate.js';
import { parseConfigText } from './features/feature-config.js';
import { predict } from './train/predict.js';
import { runTraining } from './train/run-training.js';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

function required(args: string[], name: string): string {
  const v = option(args, name);
  if (v === undefined) throw new Error(`missing ${name}`);
  return v;
}

function readConfig(path: string): unknown {
  return parseConfigText(readFileSync(path, 'utf8'), path);
}

/** One-line progress on stderr: a bar on a TTY, periodic lines otherwise. */
function progress(): (e: { epoch: number; step: number; steps: number; loss: number }) => void {
  let last = 0;
  return ({ epoch, step, steps, loss }) => {
    const now = Date.now();
    if (step + 1 !== steps && now - last < 500) return;
    last = now;
    const width = 30;
    const done = Math.round(((step + 1) / steps) * width);
    const line = `epoch ${epoch + 1} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${step + 1}/${steps} loss ${loss.toFixed(4)}`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
    if (process.stderr.isTTY && step + 1 === steps) process.stderr.write('\n');
  };
}

const print = (value: unknown) => process.stdout.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'generate') {
    const out = required(args, '--out');
    const cfg = { ...((option(args, '--config') ? readConfig(option(args, '--config')!) : {}) as object) } as Record<string, unknown>;
    if (option(args, '--rows')) cfg.rows = Number(option(args, '--rows'));
    if (option(args, '--seed')) cfg.seed = Number(option(args, '--seed'));
    cfg.rows ??= 10000;
    const data = generateSynthetic(cfg as { rows: number });
    writeFileSync(out, data.rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(`${out}.features.json`, JSON.stringify(data.featureConfig, null, 2) + '\n');
    writeFileSync(`${out}.truth.json`, JSON.stringify({ tasks: data.tasks, trueP: data.trueP.map((p) => Array.from(p, (x) => Math.round(x * 1e6) / 1e6)), cluster: Array.from(data.cluster) }) + '\n');
    print({ command, out, rows: data.rows.length, tasks: data.tasks, stats: data.stats, featureConfig: `${out}.features.json` });
    return;
  }
  const selection = await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
  process.stderr.write(`${selection.summary}\n`);
  if (command === 'train') {
    const { summary, artifact } = await runTraining(readConfig(required(args, '--config')), {
      onStep: progress(),
      onEpoch: (e) => process.stderr.write(`epoch ${e.epoch + 1}: train loss ${e.trainLoss.toFixed(4)}, valid logloss ${e.validLogloss?.toFixed(4) ?? 'n/a'}, ${e.seconds.toFixed(1)} s\n`),
    });
    artifact.model.dispose();
    print({ command, ...summary });
    return;
  }
  if (command === 'eval') {
    const { processor, model, metadata } = await loadCtrArtifact(required(args, '--model'));
    const { rows } = await loadRows({ path: required(args, '--data'), format: option(args, '--format') ?? 'ndjson', country: option(args, '--country') });
    const batch = processor.transform(rows, { requireLabels: true });
    const pred = await predict(model, batch, { diagnostics: true });
    const metrics = Object.fromEntries(processor.layout.tasks.map((t, k) => {
      const { perDomain, ...m } = evaluateTask({ p: pred.probs[k], y: batch.labels[k], domain: batch.domain, numDomains: processor.layout.numDomains, groups: batch.groups });
      return [t.name, { ...m, perDomainAuc: Object.fromEntries(perDomain.map((d, i) => [processor.domains[i], d.auc])) }];
    }));
    model.dispose();
    print({ command, model: metadata, rows: batch.size, metrics, diagnostics: pred.diagnostics });
    return;
  }
  process.stderr.write('usage: cli.ts generate --out rows.ndjson [--config synth.json] [--rows N] | train --config train.json | eval --model dir --data rows.ndjson [--format f]\n');
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
