// One cell of the MoE-Data gap study in its own process:
// `gap-cell-main.ts <stream|elec> <seed> <instances> <arffPath> <variant JSON>` where the variant is
// `{float32Router?, float32Votes?, routerDropout?, cvFolds?}` (see drift-moe-data.ts and cv-prequential.ts).
// Prints `{stream, seed, instances, accuracy, seconds}` on stdout.
import { createLearner } from '../model/methods.js';
import { openSource } from '../data/open-source.js';
import { runCvPrequential } from './cv-prequential.js';
import { runPrequential } from './prequential-run.js';

interface Variant {
  float32Router?: boolean;
  float32Votes?: boolean;
  routerDropout?: boolean;
  cvFolds?: number;
}

const [stream, seedArg, nArg, arff, variantArg] = process.argv.slice(2);
const seed = Number(seedArg);
const n = Number(nArg);
const variant = JSON.parse(variantArg ?? '{}') as Variant;
const known = new Set(['float32Router', 'float32Votes', 'routerDropout', 'cvFolds']);
for (const k of Object.keys(variant)) if (!known.has(k)) throw new RangeError(`variant: unknown switch '${k}'; expected one of ${[...known].join(', ')}`);
const src = await openSource(stream === 'elec' ? { arff, seed } : { stream, seed });
const fidelity = { float32Router: variant.float32Router, float32Votes: variant.float32Votes, routerDropout: variant.routerDropout };
const limit = src.finite ? Infinity : n;
const t0 = performance.now();
const metrics =
  variant.cvFolds !== undefined && variant.cvFolds > 1
    ? // The authors seed fold copy i with seed + i.
      (await runCvPrequential((i) => createLearner('driftmoe-data', src.schema, { seed: seed + i, fidelity }), src.source, { folds: variant.cvFolds, seed, limit })).metrics
    : (await runPrequential(createLearner('driftmoe-data', src.schema, { seed, fidelity }), src.source, { limit })).metrics;
process.stdout.write(JSON.stringify({ stream, seed, instances: metrics.instances, accuracy: metrics.accuracy, seconds: (performance.now() - t0) / 1000 }) + '\n');
