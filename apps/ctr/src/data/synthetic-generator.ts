import { Rng, cumulative, zipfShares } from '../util/rng.js';
import { sigmoid } from '../util/stats.js';
import { contingency, mutualInformation } from '../eval/contingency.js';
import type { FeatureConfigInput } from '../features/feature-config.js';
import type { RawRow } from './raw-row.js';
import { parseSyntheticConfig, type SyntheticConfig, type SyntheticConfigInput } from './synthetic-config.js';

/** Rows plus the ground truth the generator used (never visible to models). */
export interface SyntheticDataset {
  config: SyntheticConfig;
  rows: RawRow[];
  /** Task names in label order: the main task, then the extra tasks. */
  tasks: string[];
  /** Per task [rows]: the true probability that the row's label is 1 (for chained tasks: the joint p). */
  trueP: Float64Array[];
  /** [rows] latent cluster z of the row's user. */
  cluster: Int32Array;
  /** [rows] domain index d (the column holds `d<index>`). */
  domain: Int32Array;
  stats: {
    domainShares: number[];
    expectedDomainShares: number[];
    /** I(z; d) on the sample, nats, and its normalised version. */
    mutualInformation: number;
    nmi: number;
    positiveRate: Record<string, number>;
  };
  /** A feature config that reads exactly the columns this generator writes. */
  featureConfig: FeatureConfigInput;
}

const SLOTS = 6; // user, item, item category, hour, device, pooled history
const PAIRS: [number, number][] = [[0, 1], [0, 2], [5, 2], [4, 1], [3, 2], [0, 5]];
const HOURS = 24;
const DEVICES = 4;
const PRICE_BUCKETS = 5;
const AGES = 6;
const CITIES = 10;
/** Share of a user's / item's latent vector explained by its observable attributes (the rest is idiosyncratic). */
const ATTRIBUTE_SHARE = 0.8;
/** Variance share of the sine non-linearity in the shared score f₀. */
const NONLINEAR_SHARE = 0.2;

/** A score: r × r bilinear weights (row-major) followed by SLOTS·r first-order weights. */
type Matrix = Float64Array;

interface World {
  cfg: SyntheticConfig;
  rng: Rng;
  r: number;
  vec: { user: Float64Array; item: Float64Array; cat: Float64Array; hour: Float64Array; device: Float64Array };
  userCluster: Int32Array;
  usersByCluster: number[][];
  userDevice: Int32Array;
  userActivity: Float64Array;
  userFavourites: Int32Array; // 3 per user
  userAge: Int32Array;
  userCity: Int32Array;
  itemCat: Int32Array;
  itemPrice: Float64Array;
  itemsByCat: number[][];
  clusterCum: Float64Array;
  domainGivenCluster: Float64Array[]; // cumulative P(d | z)
  shares: Float64Array;
  m0: Matrix;
  w0: Float64Array;
  md: Matrix[];
  mz: Matrix[];
  mzDrift: Matrix[];
  mt: Matrix[]; // per extra task
}

function randomMatrix(rng: Rng, r: number): Matrix {
  const m = new Float64Array(r * r + SLOTS * r);
  // Scales give the bilinear part of each field pair and the first-order part of each field equal variance (≈ r).
  for (let i = 0; i < m.length; i++) m[i] = i < r * r ? rng.normal() / Math.sqrt(r) : rng.normal();
  return m;
}

/** ρ·base + √(1−ρ²)·fresh — the MMoE relatedness construction. */
function related(rng: Rng, base: Matrix, rho: number, r: number): Matrix {
  const fresh = randomMatrix(rng, r);
  const c = Math.sqrt(Math.max(0, 1 - rho * rho));
  return base.map((v, i) => rho * v + c * fresh[i]);
}

function randomVectors(rng: Rng, n: number, r: number): Float64Array {
  const v = new Float64Array(n * r);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return v;
}

function buildWorld(cfg: SyntheticConfig): World {
  const rng = new Rng(cfg.seed);
  const r = cfg.latentDim;
  const D = cfg.numDomains;
  const K = cfg.numClusters;
  const shares = zipfShares(D, cfg.zipfExponent);
  // Cluster z owns the domains d ≡ z (mod K), so every cluster has head and tail domains.
  const block = Array.from({ length: K }, (_, z) => {
    const ds = [...Array(D).keys()].filter((d) => d % K === z);
    return ds.length ? ds : [z % D];
  });
  const owners = new Array<number>(D).fill(0);
  block.forEach((ds) => ds.forEach((d) => owners[d]++));
  // P(z) = traffic of its block, so the domain marginal stays exactly Zipf for every ξ.
  const clusterMass = block.map((ds) => ds.reduce((s, d) => s + shares[d] / owners[d], 0));
  const domainGivenCluster = block.map((ds) => {
    const blockMass = ds.reduce((s, d) => s + shares[d], 0);
    const p = new Float64Array(D);
    for (let d = 0; d < D; d++) p[d] = cfg.xi * shares[d] + (ds.includes(d) ? ((1 - cfg.xi) * shares[d]) / blockMass : 0);
    return cumulative(p);
  });
  const clusterCum = cumulative(clusterMass);
  const userCluster = new Int32Array(cfg.numUsers);
  const usersByCluster: number[][] = Array.from({ length: K }, () => []);
  for (let u = 0; u < cfg.numUsers; u++) {
    // Round-robin first so no cluster is empty, then by cluster mass.
    const z = u < K ? u : rng.fromCumulative(clusterCum);
    userCluster[u] = z;
    usersByCluster[z].push(u);
  }
  const itemCat = new Int32Array(cfg.numItems);
  const itemPrice = new Float64Array(cfg.numItems);
  const itemsByCat: number[][] = Array.from({ length: cfg.numCategories }, () => []);
  for (let i = 0; i < cfg.numItems; i++) {
    itemCat[i] = i < cfg.numCategories ? i : rng.int(cfg.numCategories);
    itemsByCat[itemCat[i]].push(i);
    itemPrice[i] = Math.exp(3 + rng.normal());
  }
  const userFavourites = new Int32Array(cfg.numUsers * 3);
  const userDevice = new Int32Array(cfg.numUsers);
  const userActivity = new Float64Array(cfg.numUsers);
  const userAge = new Int32Array(cfg.numUsers);
  const userCity = new Int32Array(cfg.numUsers);
  // Each segment has a preferred age band and city: the latent cluster is visible only through features.
  const segmentAge = Array.from({ length: K }, () => rng.int(AGES));
  const segmentCity = Array.from({ length: K }, () => rng.int(CITIES));
  for (let u = 0; u < cfg.numUsers; u++) {
    for (let k = 0; k < 3; k++) userFavourites[u * 3 + k] = rng.int(cfg.numCategories);
    userDevice[u] = rng.int(DEVICES);
    userActivity[u] = Math.exp(1.5 + rng.normal());
    userAge[u] = rng.next() < 0.7 ? segmentAge[userCluster[u]] : rng.int(AGES);
    userCity[u] = rng.next() < 0.7 ? segmentCity[userCluster[u]] : rng.int(CITIES);
  }
  const m0 = randomMatrix(rng, r);
  const w0 = new Float64Array(SLOTS * r).map(() => rng.normal() / Math.sqrt(SLOTS * r));
  const md = Array.from({ length: D + 1 }, () => related(rng, m0, cfg.rhoDomain, r)); // +1: the drift's new domain
  const mz = Array.from({ length: K }, () => related(rng, m0, cfg.rhoCluster, r));
  const mzDrift = Array.from({ length: K }, () => related(rng, m0, cfg.rhoCluster, r));
  const categories = new Map<string, Matrix>();
  const mt = cfg.extraTasks.map((t) => {
    if (!categories.has(t.category)) categories.set(t.category, related(rng, m0, cfg.rhoTask, r));
    return related(rng, categories.get(t.category)!, cfg.rhoTask, r);
  });
  const ageVec = randomVectors(rng, AGES, r);
  const cityVec = randomVectors(rng, CITIES, r);
  const cat = randomVectors(rng, cfg.numCategories, r);
  // Latents = attribute part + idiosyncratic part, so a model with few rows per id can still learn them.
  const a = Math.sqrt(ATTRIBUTE_SHARE);
  const b = Math.sqrt(1 - ATTRIBUTE_SHARE);
  const user = randomVectors(rng, cfg.numUsers, r).map((v, j) => {
    const u = Math.floor(j / r);
    const k = j % r;
    return b * v + (a * (ageVec[userAge[u] * r + k] + cityVec[userCity[u] * r + k])) / Math.SQRT2;
  });
  const item = randomVectors(rng, cfg.numItems, r).map((v, j) => b * v + a * cat[itemCat[Math.floor(j / r)] * r + (j % r)]);
  const vec = {
    user,
    item,
    cat,
    hour: randomVectors(rng, HOURS, r),
    device: randomVectors(rng, DEVICES, r),
  };
  return { cfg, rng, r, vec, userCluster, usersByCluster, userDevice, userActivity, userFavourites, userAge, userCity, itemCat, itemPrice, itemsByCat, clusterCum, domainGivenCluster, shares, m0, w0, md, mz, mzDrift, mt };
}

interface Draw {
  z: number;
  d: number;
  user: number;
  item: number;
  hour: number;
  device: number;
  history: number[];
  phi: Float64Array; // SLOTS × r
}

function draw(w: World, forcedDomain?: number): Draw {
  const { cfg, rng, r } = w;
  let z: number;
  let d: number;
  do {
    z = rng.fromCumulative(w.clusterCum);
    d = rng.fromCumulative(w.domainGivenCluster[z]);
    // Rejection gives P(z | d) ∝ P(z) P(d | z) when a domain is forced (calibration pilots).
  } while (forcedDomain !== undefined && forcedDomain < cfg.numDomains && d !== forcedDomain);
  if (forcedDomain !== undefined) d = forcedDomain;
  const users = w.usersByCluster[z];
  const user = users[rng.int(users.length)];
  const fav = (): number => w.userFavourites[user * 3 + rng.int(3)];
  const catPick = rng.next() < 0.5 ? fav() : rng.int(cfg.numCategories);
  const pool = w.itemsByCat[catPick];
  const item = pool.length ? pool[rng.int(pool.length)] : rng.int(cfg.numItems);
  const hour = rng.int(HOURS);
  const device = rng.next() < 0.8 ? w.userDevice[user] : rng.int(DEVICES);
  const history = Array.from({ length: cfg.seqLen }, () => (rng.next() < 0.7 ? fav() : rng.int(cfg.numCategories)));
  const phi = new Float64Array(SLOTS * r);
  const put = (slot: number, src: Float64Array, idx: number) => phi.set(src.subarray(idx * r, idx * r + r), slot * r);
  put(0, w.vec.user, user);
  put(1, w.vec.item, item);
  put(2, w.vec.cat, w.itemCat[item]);
  put(3, w.vec.hour, hour);
  put(4, w.vec.device, device);
  for (const c of history) for (let k = 0; k < r; k++) phi[5 * r + k] += w.vec.cat[c * r + k] / history.length;
  return { z, d, user, item, hour, device, history, phi };
}

/** Σ over field pairs of a_pᵀ M a_q, plus the first-order term Σ_slots w_slotᵀ a_slot (CTR's main effects). */
function bilinear(m: Matrix, phi: Float64Array, r: number): number {
  let total = 0;
  for (let j = 0; j < phi.length; j++) total += m[r * r + j] * phi[j];
  for (const [p, q] of PAIRS) {
    for (let i = 0; i < r; i++) {
      let row = 0;
      for (let j = 0; j < r; j++) row += m[i * r + j] * phi[q * r + j];
      total += phi[p * r + i] * row;
    }
  }
  return total;
}

interface RawScores { f0: number; nonlinear: number; fd: number; fz: number; ft: number[] }

function rawScores(w: World, x: Draw, drifted: boolean): RawScores {
  let u = 0;
  for (let i = 0; i < x.phi.length; i++) u += w.w0[i] * x.phi[i];
  let nonlinear = 0;
  for (let m = 1; m <= 2; m++) nonlinear += Math.sin(m * u + m * m);
  return {
    f0: bilinear(w.m0, x.phi, w.r),
    nonlinear,
    fd: bilinear(w.md[x.d], x.phi, w.r),
    fz: bilinear((drifted ? w.mzDrift : w.mz)[x.z], x.phi, w.r),
    ft: w.mt.map((m) => bilinear(m, x.phi, w.r)),
  };
}

/** Standard deviations of each raw score on a pilot sample, so the knobs s, δ, κ act on unit-variance scores. */
function scoreScales(w: World): RawScores {
  const n = 3000;
  const all = Array.from({ length: n }, () => rawScores(w, draw(w), false));
  const sd = (pick: (s: RawScores) => number) => {
    const m = all.reduce((a, s) => a + pick(s), 0) / n;
    return Math.sqrt(all.reduce((a, s) => a + (pick(s) - m) ** 2, 0) / n) || 1;
  };
  return { f0: sd((s) => s.f0), nonlinear: sd((s) => s.nonlinear), fd: sd((s) => s.fd), fz: sd((s) => s.fz), ft: w.mt.map((_, k) => sd((s) => s.ft[k])) };
}

/** Logit without the per-(domain, task) bias, for task index t (0 = main task). */
function logitWithoutBias(w: World, s: RawScores, sc: RawScores, t: number, noise: number): number {
  const { cfg } = w;
  // Mostly the (learnable) bilinear + first-order score; a smaller MMoE-style sine part keeps linear models below the oracle.
  const f0 = Math.sqrt(1 - NONLINEAR_SHARE) * (s.f0 / sc.f0) + Math.sqrt(NONLINEAR_SHARE) * (s.nonlinear / sc.nonlinear);
  let v = cfg.sharedSignal * f0 + cfg.domainSignal * (s.fd / sc.fd) + cfg.clusterSignal * (s.fz / sc.fz) + noise;
  if (t > 0) v += cfg.taskSignal * (s.ft[t - 1] / sc.ft[t - 1]);
  return v;
}

/** Bias b with mean σ(b + v) = target over the pilot logits v (bisection; the mean is monotone in b). */
function calibrateBias(values: number[], target: number): number {
  let lo = -20;
  let hi = 20;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    const mean = values.reduce((a, v) => a + sigmoid(mid + v), 0) / values.length;
    if (mean > target) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/** One generated row with the ground truth behind it. */
export interface SyntheticDraw {
  row: RawRow;
  /** Per task: the true probability that the label is 1 (chained tasks: the joint p). */
  trueP: number[];
  /** Latent cluster z of the row's user. */
  cluster: number;
  /** Domain index d. */
  domain: number;
}

/**
 * A re-playable synthetic stream: `rows()` rebuilds the world from the seed and yields the rows one at a time,
 * so callers can make several passes (fit a processor, then encode in chunks) without ever holding all rows
 * as JS objects. Every pass yields exactly the rows `generateSynthetic` returns for the same config.
 */
export interface SyntheticSource {
  config: SyntheticConfig;
  /** Task names in label order: the main task, then the extra tasks. */
  tasks: string[];
  /** Number of domain indices rows can carry (D, or D + 1 with a new-domain drift). */
  numDomainsSeen: number;
  featureConfig: FeatureConfigInput;
  rows(): Generator<SyntheticDraw>;
  /** Zipf traffic shares of the declared domains. */
  expectedDomainShares(): number[];
}

export function syntheticSource(input: SyntheticConfigInput): SyntheticSource {
  const cfg = parseSyntheticConfig(input);
  const D = cfg.numDomains;
  const tasks = [{ name: cfg.mainTask, baseRate: Number.NaN, chainOf: undefined as string | undefined, category: 'interact' }, ...cfg.extraTasks];
  const taskIndex = new Map(tasks.map((t, i) => [t.name, i]));
  const domainTarget = (d: number) => (D === 1 || d >= D ? (cfg.baseCtr[0] + cfg.baseCtr[1]) / 2 : cfg.baseCtr[0] + ((cfg.baseCtr[1] - cfg.baseCtr[0]) * d) / (D - 1));
  function* rows(): Generator<SyntheticDraw> {
    const w = buildWorld(cfg);
    const sc = scoreScales(w);
    // bias[d][t], calibrated per domain on pilot draws from that domain (D + 1: the drift's new domain).
    const bias = Array.from({ length: D + 1 }, (_, d) => {
      const pilot = Array.from({ length: 800 }, () => rawScores(w, draw(w, d), false));
      return tasks.map((t, k) => {
        const target = k === 0 ? domainTarget(d) : t.baseRate * (domainTarget(d) / ((cfg.baseCtr[0] + cfg.baseCtr[1]) / 2));
        return calibrateBias(pilot.map((s) => logitWithoutBias(w, s, sc, k, 0)), Math.min(0.5, target));
      });
    });
    const n = cfg.rows;
    const driftStart = cfg.drift ? Math.floor(cfg.drift.at * n) : n;
    for (let i = 0; i < n; i++) {
      const drifted = i >= driftStart;
      const newDomain = drifted && cfg.drift?.kind === 'new-domain' && w.rng.next() < 0.2;
      const x = draw(w, newDomain ? D : undefined);
      const s = rawScores(w, x, drifted && cfg.drift?.kind === 'rotate-clusters');
      const eps = cfg.noise > 0 ? cfg.noise * w.rng.normal() : 0;
      const row: RawRow = {
        ts: i,
        domain: `d${x.d}`,
        user: `u${x.user}`,
        age: `a${w.userAge[x.user]}`,
        city: `y${w.userCity[x.user]}`,
        item: `i${x.item}`,
        category: `c${w.itemCat[x.item]}`,
        price_bucket: `p${Math.min(PRICE_BUCKETS - 1, Math.floor(Math.log(w.itemPrice[x.item])))}`,
        hour: `h${x.hour}`,
        device: `v${x.device}`,
        activity: Math.round(w.userActivity[x.user] * (0.5 + w.rng.next())),
        price: Math.round(w.itemPrice[x.item] * 100) / 100,
        history: x.history.map((c) => `c${c}`),
      };
      const p = tasks.map((_, k) => sigmoid(bias[x.d][k] + logitWithoutBias(w, s, sc, k, eps)));
      const trueP = new Array<number>(tasks.length);
      const label = new Array<number>(tasks.length);
      tasks.forEach((t, k) => {
        const parent = t.chainOf === undefined ? -1 : taskIndex.get(t.chainOf)!;
        // Chained task: positive only after the parent is positive; its stored p is the joint p(parent)·p(task | parent).
        trueP[k] = parent < 0 ? p[k] : trueP[parent] * p[k];
        label[k] = parent < 0 ? Number(w.rng.next() < p[k]) : label[parent] === 1 ? Number(w.rng.next() < p[k]) : 0;
        row[t.name] = label[k];
      });
      yield { row, trueP, cluster: x.z, domain: x.d };
    }
  }
  return {
    config: cfg,
    tasks: tasks.map((t) => t.name),
    numDomainsSeen: cfg.drift?.kind === 'new-domain' ? D + 1 : D,
    featureConfig: syntheticFeatureConfig(cfg, tasks),
    rows,
    expectedDomainShares: () => [...zipfShares(D, cfg.zipfExponent)],
  };
}

/** Domain shares and I(z; d) of a sample, from its per-row cluster and domain. */
export function sampleStats(cluster: Int32Array, domain: Int32Array, numClusters: number, numDomainsSeen: number): { domainShares: number[]; mutualInformation: number; nmi: number } {
  const info = mutualInformation(contingency(cluster, domain, numClusters, numDomainsSeen));
  const counts = new Array<number>(numDomainsSeen).fill(0);
  for (const d of domain) counts[d]++;
  return { domainShares: counts.map((c) => c / domain.length), mutualInformation: info.mi, nmi: info.nmi };
}

/** Generates a synthetic multi-domain (multi-task) CTR dataset with its true click probabilities. */
export function generateSynthetic(input: SyntheticConfigInput): SyntheticDataset {
  const source = syntheticSource(input);
  const n = source.config.rows;
  const rows: RawRow[] = new Array(n);
  const trueP = source.tasks.map(() => new Float64Array(n));
  const cluster = new Int32Array(n);
  const domain = new Int32Array(n);
  const positives = new Array<number>(source.tasks.length).fill(0);
  let i = 0;
  for (const x of source.rows()) {
    rows[i] = x.row;
    x.trueP.forEach((p, k) => (trueP[k][i] = p));
    source.tasks.forEach((t, k) => (positives[k] += x.row[t] as number));
    cluster[i] = x.cluster;
    domain[i] = x.domain;
    i++;
  }
  const stats = sampleStats(cluster, domain, source.config.numClusters, source.numDomainsSeen);
  return {
    config: source.config,
    rows,
    tasks: source.tasks,
    trueP,
    cluster,
    domain,
    stats: {
      domainShares: stats.domainShares,
      expectedDomainShares: source.expectedDomainShares(),
      mutualInformation: stats.mutualInformation,
      nmi: stats.nmi,
      positiveRate: Object.fromEntries(source.tasks.map((t, k) => [t, positives[k] / n])),
    },
    featureConfig: source.featureConfig,
  };
}

function syntheticFeatureConfig(cfg: SyntheticConfig, tasks: { name: string; chainOf?: string; category: string }[]): FeatureConfigInput {
  return {
    embeddingDim: 8,
    domain: { field: 'domain' },
    groupField: 'user',
    features: [
      { name: 'user', type: 'categorical' },
      { name: 'age', type: 'categorical' },
      { name: 'city', type: 'categorical' },
      { name: 'item', type: 'categorical' },
      { name: 'category', type: 'categorical' },
      { name: 'price_bucket', type: 'categorical' },
      { name: 'hour', type: 'categorical' },
      { name: 'device', type: 'categorical' },
      { name: 'activity', type: 'numeric', normalizer: 'log-standard' },
      { name: 'price', type: 'numeric', normalizer: 'log-standard' },
      { name: 'history', type: 'sequence', maxLen: cfg.seqLen },
    ],
    tasks: tasks.map((t) => ({ name: t.name, label: t.name, category: t.category, ...(t.chainOf ? { chainOf: t.chainOf } : {}) })),
  };
}
