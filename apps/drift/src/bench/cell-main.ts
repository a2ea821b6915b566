// One benchmark cell in its own process: `cell-main.ts <stream|elec> <method> <seed> <instances> [arffPath] [knobs]`
// (knobs: `name=value,…`, see data/stream-knobs.ts).
// Prints the result JSON on stdout; the bench suite runs these as parallel children and caches the output.
import { createLearner } from '../model/methods.js';
import { openSource } from '../data/open-source.js';
import { parseStreamKnobs } from '../data/stream-knobs.js';
import { runPrequential } from './prequential-run.js';

const [stream, method, seedArg, nArg, arff, knobsArg] = process.argv.slice(2);
const seed = Number(seedArg);
const n = Number(nArg);
const src = await openSource(stream === 'elec' ? { arff, seed } : { stream, seed, knobs: parseStreamKnobs(knobsArg) });
const learner = createLearner(method, src.schema, { seed, taskOutputs: src.taskOutputs });
const result = await runPrequential(learner, src.source, { limit: src.finite ? Infinity : n, curveEvery: Math.max(1000, Math.floor(n / 200)) });
process.stdout.write(JSON.stringify({ stream, method, seed, instances: result.metrics.instances, ...result }) + '\n');
