import { formatMeanStd } from '../util/stats.js';
import { meanColumns, over, paired, type VariantSeries } from './aggregate.js';
import type { Setting } from './settings.js';

export interface Verdict {
  setting: Setting['id'];
  expected: string;
  /** 'held', 'failed' or 'partly' (some sub-checks held). */
  held: 'held' | 'failed' | 'partly';
  checks: { claim: string; held: boolean; evidence: string }[];
}

const aucOf = (v: VariantSeries, task = 0) => v.auc.map((a) => a[task]);
const find = (vs: VariantSeries[], prefix: string) => {
  const v = vs.find((x) => x.name.startsWith(prefix));
  if (!v) throw new Error(`expectations: no variant named '${prefix}…' (have ${vs.map((x) => x.name).join(', ')})`);
  return v;
};
const fmtDiff = (a: VariantSeries, b: VariantSeries, task = 0) => {
  const p = paired(aucOf(a, task), aucOf(b, task));
  return { p, text: `${a.name} − ${b.name}: ${p.diff.mean >= 0 ? '+' : ''}${p.diff.mean.toFixed(4)} ± ${p.diff.std.toFixed(4)} AUC (t = ${Number.isFinite(p.t) ? p.t.toFixed(2) : p.t})` };
};
const better = (a: VariantSeries, b: VariantSeries, task = 0) => {
  const { p, text } = fmtDiff(a, b, task);
  return { held: p.diff.mean > 0 && p.significant, evidence: text };
};

function verdictOf(setting: Setting, checks: Verdict['checks']): Verdict {
  const n = checks.filter((c) => c.held).length;
  return { setting: setting.id, expected: setting.expectation, held: n === checks.length ? 'held' : n === 0 ? 'failed' : 'partly', checks };
}

/** Applies the pre-registered criteria of ctr.md §4.2 to one setting's per-seed results. */
export function judge(setting: Setting, vs: VariantSeries[], numDomains: number): Verdict {
  if (setting.id === 'null') {
    const sb = find(vs, 'Shared-Bottom');
    const wins = vs.filter((v) => v !== sb).map((v) => ({ v, ...fmtDiff(v, sb) }));
    const suspicious = wins.filter((w) => w.p.significant && w.p.diff.mean > 0.005);
    return verdictOf(setting, [{
      claim: 'no model beats Shared-Bottom by > 0.005 AUC with paired significance',
      held: suspicious.length === 0,
      evidence: wins.map((w) => w.text).join('; '),
    }]);
  }
  if (setting.id === 'domain') {
    const sb = find(vs, 'Shared-Bottom');
    const aware = ['STAR', 'MMoE', 'PLE'].map((p) => find(vs, p));
    const head = Array.from({ length: Math.floor(numDomains / 2) }, (_, d) => d);
    const tail = Array.from({ length: numDomains - head.length }, (_, d) => d + head.length);
    const gain = (v: VariantSeries, cols: number[]) => over(meanColumns(v.perDomainAuc, cols).map((x, i) => x - meanColumns(sb.perDomainAuc, cols)[i]));
    const tailGain = aware.map((v) => gain(v, tail).mean).reduce((a, b) => a + b, 0) / aware.length;
    const headGain = aware.map((v) => gain(v, head).mean).reduce((a, b) => a + b, 0) / aware.length;
    const adapt = find(vs, 'AdaptDHM');
    const star = find(vs, 'STAR');
    return verdictOf(setting, [
      ...aware.map((v) => ({ claim: `${v.name} > Shared-Bottom`, ...better(v, sb) })),
      { claim: 'gains concentrated in tail domains (mean per-domain AUC gain of STAR/MMoE/PLE over SB: tail half > head half)', held: tailGain > headGain, evidence: `tail ${tailGain >= 0 ? '+' : ''}${tailGain.toFixed(4)} vs head ${headGain >= 0 ? '+' : ''}${headGain.toFixed(4)}` },
      { claim: 'AdaptDHM with K = 4 < 8 domain groups does not match STAR (AdaptDHM AUC < STAR AUC)', held: over(aucOf(adapt)).mean < over(aucOf(star)).mean, evidence: fmtDiff(adapt, star).text },
    ]);
  }
  if (setting.id === 'cluster') {
    const adapt = find(vs, 'AdaptDHM (K=4)');
    const mmoe = find(vs, 'MMoE');
    const star = find(vs, 'STAR');
    const perDomain = find(vs, 'Per-domain');
    const nmi = over(adapt.nmiVsTruth);
    const nmiDomain = over(adapt.nmiVsDomain);
    return verdictOf(setting, [
      { claim: 'AdaptDHM > STAR', ...better(adapt, star) },
      { claim: 'AdaptDHM > per-domain towers', ...better(adapt, perDomain) },
      { claim: 'input-gated MMoE > STAR', ...better(mmoe, star) },
      { claim: 'input-gated MMoE > per-domain towers', ...better(mmoe, perDomain) },
      { claim: "AdaptDHM's clusters recover z (NMI(route, z) > 0.1 and > NMI(route, domain))", held: nmi.mean > 0.1 && nmi.mean > nmiDomain.mean, evidence: `NMI(route, z) ${formatMeanStd(nmi, 3)}; NMI(route, domain) ${formatMeanStd(nmiDomain, 3)}` },
    ]);
  }
  const mmoe = find(vs, 'MMoE');
  const home = vs.find((v) => v.name === 'HoME')!;
  const sparseTasks = mmoe.auc[0].map((_, t) => t).slice(1);
  const sparseAuc = (v: VariantSeries) => meanColumns(v.auc, sparseTasks);
  const p = paired(sparseAuc(home), sparseAuc(mmoe));
  const zero = over(mmoe.zeroRate);
  const gate = over(mmoe.maxGateWeight);
  return verdictOf(setting, [
    { claim: 'MMoE shows collapse (mean expert zero-activation rate > 0.5 or a task gate with mean weight > 0.9 on one expert)', held: zero.mean > 0.5 || gate.mean > 0.9, evidence: `zero rate ${formatMeanStd(zero, 3)}, max mean gate weight ${formatMeanStd(gate, 3)}; HoME zero rate ${formatMeanStd(over(home.zeroRate), 3)}` },
    { claim: 'HoME raises sparse-task AUC over MMoE', held: p.diff.mean > 0 && p.significant, evidence: `mean sparse-task AUC HoME − MMoE: ${p.diff.mean >= 0 ? '+' : ''}${p.diff.mean.toFixed(4)} ± ${p.diff.std.toFixed(4)} (t = ${p.t.toFixed(2)})` },
  ]);
}
