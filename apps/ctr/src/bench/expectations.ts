import { formatMeanStd } from '../util/stats.js';
import { formatPaired, meanColumns, over, paired, type Paired, type VariantSeries } from './aggregate.js';
import type { Setting } from './settings.js';

/** One falsifiable sub-check of an expectation, with the paired effect it was decided on (where it is one). */
export interface Check {
  claim: string;
  /** null: not decidable here (a variant it needs was not run). */
  held: boolean | null;
  evidence: string;
  /** The per-seed paired difference the check rests on: `a − b` in `metric`. */
  effect?: Paired & { a: string; b: string; metric: string };
}

export interface Verdict {
  setting: Setting['id'];
  expected: string;
  /** 'held', 'failed', 'partly' (some decidable sub-checks held) or 'not run' (none decidable). */
  held: 'held' | 'failed' | 'partly' | 'not run';
  checks: Check[];
}

const aucOf = (v: VariantSeries, task = 0) => v.auc.map((a) => a[task]);
const find = (vs: VariantSeries[], prefix: string) => vs.find((x) => x.name.startsWith(prefix));
const notRun = (claim: string, ...missing: string[]): Check => ({ claim, held: null, evidence: `not run (needs ${missing.join(', ')})` });

function comparison(a: VariantSeries, b: VariantSeries, metric = 'AUC', sa = aucOf(a), sb = aucOf(b)): Pick<Check, 'evidence' | 'effect'> {
  const p = paired(sa, sb);
  return { evidence: `${a.name} − ${b.name}: ${formatPaired(p)} ${metric}`, effect: { ...p, a: a.name, b: b.name, metric } };
}
/** "a > b": the paired mean difference is positive and its 95 % interval excludes 0. */
function better(claim: string, a: VariantSeries | undefined, b: VariantSeries | undefined, names: [string, string]): Check {
  if (!a || !b) return notRun(claim, ...names.filter((_, i) => ![a, b][i]));
  const c = comparison(a, b);
  return { claim, held: c.effect!.diff.mean > 0 && c.effect!.significant, ...c };
}

function verdictOf(setting: Setting, checks: Check[]): Verdict {
  const decided = checks.filter((c) => c.held !== null);
  const n = decided.filter((c) => c.held).length;
  const held = decided.length === 0 ? 'not run' : n === decided.length && decided.length === checks.length ? 'held' : n === 0 ? 'failed' : 'partly';
  return { setting: setting.id, expected: setting.expectation, held, checks };
}

/**
 * Applies the pre-registered criteria of ctr.md §4.2 to one setting's per-seed results. The claims and their
 * decision rules are fixed; variants missing from a run make their checks 'not run', never 'held'.
 */
export function judge(setting: Setting, vs: VariantSeries[], numDomains: number): Verdict {
  if (setting.id === 'null') {
    const claim = 'no model beats Shared-Bottom by > 0.005 AUC with paired significance';
    const sb = find(vs, 'Shared-Bottom');
    if (!sb || vs.length < 2) return verdictOf(setting, [notRun(claim, sb ? 'another model' : 'Shared-Bottom')]);
    const wins = vs.filter((v) => v !== sb).map((v) => comparison(v, sb));
    const suspicious = wins.filter((w) => w.effect!.significant && w.effect!.diff.mean > 0.005);
    const largest = wins.reduce((m, w) => (w.effect!.diff.mean > m.effect!.diff.mean ? w : m));
    return verdictOf(setting, [{ claim, held: suspicious.length === 0, evidence: wins.map((w) => w.evidence).join('; '), effect: largest.effect }]);
  }
  if (setting.id === 'domain') {
    const sb = find(vs, 'Shared-Bottom');
    const aware = ['STAR', 'MMoE', 'PLE'].map((p) => ({ p, v: find(vs, p) }));
    const checks: Check[] = aware.map(({ p, v }) => better(`${v?.name ?? p} > Shared-Bottom`, v, sb, [p, 'Shared-Bottom']));
    const tailClaim = 'gains concentrated in tail domains (mean per-domain AUC gain of STAR/MMoE/PLE over SB: tail half > head half)';
    const present = aware.filter((x) => x.v).map((x) => x.v!);
    if (!sb || present.length === 0) checks.push(notRun(tailClaim, 'Shared-Bottom and STAR/MMoE/PLE'));
    else {
      const head = Array.from({ length: Math.floor(numDomains / 2) }, (_, d) => d);
      const tail = Array.from({ length: numDomains - head.length }, (_, d) => d + head.length);
      // Per seed: mean over the domain-aware models of (their AUC − SB's) on the tail half minus on the head half.
      const gainPerSeed = (cols: number[]) => meanColumns(sb.perDomainAuc, cols).map((_, i) => present.reduce((a, v) => a + meanColumns(v.perDomainAuc, cols)[i] - meanColumns(sb.perDomainAuc, cols)[i], 0) / present.length);
      const tailGain = gainPerSeed(tail);
      const headGain = gainPerSeed(head);
      const p = paired(tailGain, headGain);
      const mean = (a: number[]) => over(a).mean;
      checks.push({
        claim: present.length === 3 ? tailClaim : `${tailClaim} [only ${present.map((v) => v.name).join(', ')} ran]`,
        held: mean(tailGain) > mean(headGain),
        evidence: `tail ${mean(tailGain) >= 0 ? '+' : ''}${mean(tailGain).toFixed(4)} vs head ${mean(headGain) >= 0 ? '+' : ''}${mean(headGain).toFixed(4)}; tail − head gain ${formatPaired(p)}`,
        effect: { ...p, a: 'tail-half gain', b: 'head-half gain', metric: 'AUC gain over SB' },
      });
    }
    const adapt = find(vs, 'AdaptDHM');
    const star = find(vs, 'STAR');
    const adaptClaim = 'AdaptDHM with K = 4 < 8 domain groups does not match STAR (AdaptDHM AUC < STAR AUC)';
    if (!adapt || !star) checks.push(notRun(adaptClaim, ...(!adapt ? ['AdaptDHM'] : []), ...(!star ? ['STAR'] : [])));
    else checks.push({ claim: adaptClaim, held: over(aucOf(adapt)).mean < over(aucOf(star)).mean, ...comparison(adapt, star) });
    return verdictOf(setting, checks);
  }
  if (setting.id === 'cluster') {
    const adapt = find(vs, 'AdaptDHM (K=4)');
    const mmoe = find(vs, 'MMoE');
    const star = find(vs, 'STAR');
    const perDomain = find(vs, 'Per-domain');
    const nmiClaim = "AdaptDHM's clusters recover z (NMI(route, z) > 0.1 and > NMI(route, domain))";
    let nmiCheck: Check = notRun(nmiClaim, 'AdaptDHM (K=4)');
    if (adapt) {
      const nmi = over(adapt.nmiVsTruth);
      const nmiDomain = over(adapt.nmiVsDomain);
      const p = paired(adapt.nmiVsTruth, adapt.nmiVsDomain);
      nmiCheck = { claim: nmiClaim, held: nmi.mean > 0.1 && nmi.mean > nmiDomain.mean, evidence: `NMI(route, z) ${formatMeanStd(nmi, 3)}; NMI(route, domain) ${formatMeanStd(nmiDomain, 3)}`, effect: { ...p, a: 'NMI(route, z)', b: 'NMI(route, domain)', metric: 'NMI' } };
    }
    return verdictOf(setting, [
      better('AdaptDHM > STAR', adapt, star, ['AdaptDHM (K=4)', 'STAR']),
      better('AdaptDHM > per-domain towers', adapt, perDomain, ['AdaptDHM (K=4)', 'Per-domain towers']),
      better('input-gated MMoE > STAR', mmoe, star, ['MMoE (input gates)', 'STAR']),
      better('input-gated MMoE > per-domain towers', mmoe, perDomain, ['MMoE (input gates)', 'Per-domain towers']),
      nmiCheck,
    ]);
  }
  const collapseClaim = 'MMoE shows collapse (mean expert zero-activation rate > 0.5 or a task gate with mean weight > 0.9 on one expert)';
  const homeClaim = 'HoME raises sparse-task AUC over MMoE';
  const mmoe = find(vs, 'MMoE');
  const home = vs.find((v) => v.name === 'HoME');
  if (!mmoe) return verdictOf(setting, [notRun(collapseClaim, 'MMoE (8 experts)'), notRun(homeClaim, 'MMoE (8 experts)')]);
  const zero = over(mmoe.zeroRate);
  const gate = over(mmoe.maxGateWeight);
  const collapse: Check = { claim: collapseClaim, held: zero.mean > 0.5 || gate.mean > 0.9, evidence: `zero rate ${formatMeanStd(zero, 3)}, max mean gate weight ${formatMeanStd(gate, 3)}${home ? `; HoME zero rate ${formatMeanStd(over(home.zeroRate), 3)}` : ''}` };
  if (!home) return verdictOf(setting, [collapse, notRun(homeClaim, 'HoME')]);
  const sparseTasks = mmoe.auc[0].map((_, t) => t).slice(1);
  const sparseAuc = (v: VariantSeries) => meanColumns(v.auc, sparseTasks);
  const c = comparison(home, mmoe, 'mean sparse-task AUC', sparseAuc(home), sparseAuc(mmoe));
  return verdictOf(setting, [collapse, { claim: homeClaim, held: c.effect!.diff.mean > 0 && c.effect!.significant, ...c }]);
}
