import { contingency, mutualInformation } from '../eval/contingency.js';
import type { TaskMetrics } from '../eval/evaluate.js';
import { oracleMetrics, runModel } from '../experiment/run-model.js';
import { prepareSyntheticStream } from '../experiment/synthetic-split.js';
import { settingGenerator, type BenchOptions } from './bench-options.js';
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
  /** Variant id (absent in cells written before ids existed: matched by name then). */
  id?: string;
  name: string;
  tasks: TaskSummary[];
  secondsPerEpoch: number;
  bestEpoch: number;
  /** Epochs trained before early stopping (absent in older cells). */
  epochsUsed?: number;
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
  /** When the cell's process started it (the code it ran is the code of that moment). */
  startedAt?: string;
  /** Seconds to generate and encode the splits, and the process RSS after that and at its peak (MiB). */
  dataSeconds?: number;
  rssAfterDataMb?: number;
  peakRssMb?: number;
}

function summarize(m: TaskMetrics): TaskSummary {
  return { auc: m.auc, logloss: m.logloss, gauc: m.gauc, pcoc: m.pcoc, ece: m.ece, weightedDomainAuc: m.weightedDomainAuc, perDomainAuc: m.perDomain.map((d) => d.auc), positiveRate: m.positiveRate };
}

/**
 * One (setting, seed): one dataset and split (streamed, so memory stays flat in the row count) shared by every
 * selected variant, each trained (early stopping on validation, best epoch restored) and tested once. `onVariant`
 * gets the cell after each variant, so a caller can save finished variants before the slow ones end.
 */
export async function runCell(
  options: BenchOptions,
  settingId: Setting['id'],
  seed: number,
  variantIds: readonly string[],
  onVariant: (cell: CellResult, variant: VariantResult) => void = () => {},
  log: (m: string) => void = () => {},
): Promise<CellResult> {
  const setting = SETTINGS.find((s) => s.id === settingId);
  if (!setting) throw new Error(`runCell: unknown setting '${settingId}' (known: ${SETTINGS.map((s) => s.id).join(', ')})`);
  const chosen = setting.variants.filter((v) => variantIds.includes(v.id));
  if (chosen.length !== variantIds.length) throw new Error(`runCell: setting '${settingId}' has no variant ${variantIds.filter((id) => !chosen.some((v) => v.id === id)).join(', ')}`);
  const train = { ...benchSizes(options.quick).train, epochs: options.epochsMax, patience: options.patience };
  const rows = Math.round(options.rows * (setting.rowsFactor ?? 1));
  const startedAt = new Date().toISOString();
  const tData = performance.now();
  const splits = prepareSyntheticStream({ ...settingGenerator(setting, options.knobs), rows, seed: 1000 + options.genSeedOffset + seed });
  const dataSeconds = (performance.now() - tData) / 1000;
  const numDomains = splits.processor.layout.numDomains;
  let peakRss = process.memoryUsage().rss;
  const cell: CellResult = {
    setting: setting.id,
    seed,
    rows,
    tasks: splits.tasks,
    domainShares: splits.stats.domainShares,
    clusterDomainMi: splits.stats.mutualInformation,
    clusterDomainNmi: splits.stats.nmi,
    oracle: oracleMetrics(splits).map(summarize),
    variants: [],
    startedAt,
    dataSeconds,
    rssAfterDataMb: peakRss / 2 ** 20,
  };
  log(`${setting.id} seed ${seed}: ${rows} rows prepared in ${dataSeconds.toFixed(1)} s, RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  for (const v of chosen) {
    const t0 = performance.now();
    const run = await runModel(splits, { ...v.config, seed }, { ...train, seed }, { diagnostics: true });
    const result: VariantResult = {
      id: v.id,
      name: v.name,
      tasks: run.metrics.map(summarize),
      secondsPerEpoch: run.train.secondsPerEpoch,
      bestEpoch: run.train.bestEpoch,
      epochsUsed: run.train.epochs.length,
      params: run.params,
      diagnostics: run.predictions.diagnostics,
    };
    if (v.config.kind === 'adaptdhm' && run.predictions.routes && splits.testCluster) {
      const groups = Math.max(...run.predictions.routes) + 1;
      result.nmiVsTruth = mutualInformation(contingency(run.predictions.routes, splits.testCluster, groups, splits.numClusters)).nmi;
      result.nmiVsDomain = mutualInformation(contingency(run.predictions.routes, splits.test.domain, groups, numDomains)).nmi;
      result.routeCounts = Array.from({ length: groups }, (_, g) => run.predictions.routes!.filter((r) => r === g).length);
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    cell.variants.push(result);
    cell.peakRssMb = peakRss / 2 ** 20;
    onVariant(cell, result);
    log(`${setting.id} seed ${seed} ${v.name}: AUC ${result.tasks[0].auc.toFixed(4)}, ${result.epochsUsed} epoch(s), best ${result.bestEpoch} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return cell;
}
