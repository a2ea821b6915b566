// `npm run moe -- apps/drift/src/cli.ts run --stream sea --method driftmoe-data --seed 1 --n 100000`
// `npm run moe -- apps/drift/src/cli.ts run --arff data.arff --method arf`
// Test-then-train over a paper stream or an ARFF/CSV file: progress on stderr, JSON summary on stdout.
import { runPrequential } from './bench/prequential-run.js';
import { parseRunArgs, USAGE } from './cli-args.js';
import { openSource } from './data/open-source.js';
import { createLearner } from './model/methods.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'run') {
    process.stderr.write(`${command ? `unknown command '${command}'\n` : ''}${USAGE}\n`);
    return command === 'help' || command === '--help' ? 0 : 2;
  }
  let args;
  try {
    args = parseRunArgs(rest);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const src = await openSource({ stream: args.stream, arff: args.arff, csv: args.csv, seed: args.seed, classAttribute: args.classAttribute });
  const learner = createLearner(args.method, src.schema, { seed: args.seed, taskOutputs: src.taskOutputs });
  const limit = src.finite ? Infinity : args.n;
  process.stderr.write(`drift: ${args.method} on ${src.name} (${src.schema.attributes.length} attributes, ${src.schema.classAttribute.values.length} classes), ${src.finite ? 'whole file' : `${args.n} instances`}, seed ${args.seed}\n`);
  const t0 = performance.now();
  const result = await runPrequential(learner, src.source, {
    limit,
    windowSize: args.window,
    curveEvery: args.curveEvery,
    progressEvery: args.progressEvery,
    onProgress: (done, m) => {
      const rate = done / ((performance.now() - t0) / 1000);
      process.stderr.write(`  ${done} instances  accuracy ${(m.accuracy * 100).toFixed(2)} %  kappa ${(m.kappa * 100).toFixed(2)}  ${Math.round(rate)} inst/s\n`);
    },
  });
  const summary = {
    method: args.method,
    source: src.name,
    seed: args.seed,
    instances: result.metrics.instances,
    accuracy: result.metrics.accuracy,
    kappa: result.metrics.kappa,
    kappaM: result.metrics.kappaM,
    kappaT: result.metrics.kappaT,
    window: result.window,
    seconds: result.seconds,
    instancesPerSecond: result.instancesPerSecond,
    expertUsage: result.stats.expertUsage,
    driftDetections: result.stats.driftDetections,
    ...(args.curveEvery > 0 ? { curve: result.curve } : {}),
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`drift: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
