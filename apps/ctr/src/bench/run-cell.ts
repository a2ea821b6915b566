import { generateSynthetic } from '../data/synthetic-generator.js';
import { contingency, mutualInformation } from '../eval/contingency.js';
import type { TaskMetrics } from '../eval/evaluate.js';
import { oracleMetrics, runModel } from '../experiment/run-model.js';
import { prepareSynthetic } from '../experiment/synthetic-split.js';
import { benchSizes, SETTINGS, type Setting } from './settings.js';

/** Compact metrics of one task kept in a cell file. */
export interface TaskSummary {
  auc: number;
  logloss: number;
  gauc: number;
  pcoc: number;
  ece: number;
  weightedDomainAuc: number;
  perDomainAuc: number[];
  positiveRate: number;
}

export interface VariantResult {
  name: string;
  tasks: TaskSummary[];
  secondsPerEpoch: number;
  bestEpoch: number;
  params: number;
  /** Gate weights per task and expert zero-activation rates (MMoE, PLE, HoME). */
  diagnostics: Record<string, number[]>;
  /** AdaptDHM: NMI of routed cluster vs the true latent cluster, and vs the declared domain (test rows). */
  nmiVsTruth?: number;
  nmiVsDomain?: number;
  routeCounts?: number[];
}

export interface CellResult {
  setting: Setting['id'];
  seed: number;
  rows: number;
  tasks: string[];
  domainShares: number[];
  /** I(z; d) of the generated sample (nats) and its NMI. */
  clusterDomainMi: number;
  clusterDomainNmi: number;
  oracle: TaskSummary[];
  variants: VariantResult[];
}

function summarize(m: TaskMetrics): TaskSummary {
  return { auc: m.auc, logloss: m.logloss, gauc: m.gauc, pcoc: m.pcoc, ece: m.ece, weightedDomainAuc: m.weightedDomainAuc, perDomainAuc: m.perDomain.map((d) => d.auc), positiveRate: m.positiveRate };
}

/** One (setting, seed): one dataset and split shared by every variant, each trained and tested once. */
export async function runCell(settingId: Setting['id'], seed: number, quick: boolean, log: (m: string) => void = () => {}): Promise<CellResult> {
  const setting = SETTINGS.find((s) => s.id === settingId);
  if (!setting) throw new Error(`runCell: unknown setting '${settingId}' (known: ${SETTINGS.map((s) => s.id).join(', ')})`);
  const sizes = benchSizes(quick);
  const rows = Math.round(sizes.rows * (setting.rowsFactor ?? 1));
  const data = generateSynthetic({ ...setting.generator, rows, seed: 1000 + seed });
  const splits = prepareSynthetic(data);
  const numDomains = splits.processor.layout.numDomains;
  const variants: VariantResult[] = [];
  for (const v of setting.variants) {
    const t0 = performance.now();
    const run = await runModel(splits, { ...v.config, seed }, { ...sizes.train, seed }, { diagnostics: true });
    const result: VariantResult = {
      name: v.name,
      tasks: run.metrics.map(summarize),
      secondsPerEpoch: run.train.secondsPerEpoch,
      bestEpoch: run.train.bestEpoch,
      params: run.params,
      diagnostics: run.predictions.diagnostics,
    };
    if (v.config.kind === 'adaptdhm' && run.predictions.routes && splits.testCluster) {
      const groups = Math.max(...run.predictions.routes) + 1;
      result.nmiVsTruth = mutualInformation(contingency(run.predictions.routes, splits.testCluster, groups, data.config.numClusters)).nmi;
      result.nmiVsDomain = mutualInformation(contingency(run.predictions.routes, splits.test.domain, groups, numDomains)).nmi;
      result.routeCounts = Array.from({ length: groups }, (_, g) => run.predictions.routes!.filter((r) => r === g).length);
    }
    variants.push(result);
    log(`${setting.id} seed ${seed} ${v.name}: AUC ${result.tasks[0].auc.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return {
    setting: setting.id,
    seed,
    rows,
    tasks: data.tasks,
    domainShares: data.stats.domainShares,
    clusterDomainMi: data.stats.mutualInformation,
    clusterDomainNmi: data.stats.nmi,
    oracle: oracleMetrics(splits).map(summarize),
    variants,
  };
}
