/** Options of a Hoeffding tree, named after MOA's `trees.HoeffdingTree` flags, and MOA's defaults. */
export type LeafPrediction = 'mc' | 'nb' | 'nba';

export interface HoeffdingTreeOptions {
  /** MOA `-g` (200). */
  gracePeriod?: number;
  /** MOA `-c` δ (1e-7). */
  splitConfidence?: number;
  /** MOA `-t` τ (0.05). */
  tieThreshold?: number;
  /** MOA `-s` (InfoGain). */
  splitCriterion?: 'infogain' | 'gini';
  /** InfoGain `-f` minimum branch fraction (0.01). */
  minBranchFraction?: number;
  /** MOA `-l` (NBAdaptive). */
  leafPrediction?: LeafPrediction;
  /** MOA `-q` (0). */
  nbThreshold?: number;
  /** Gaussian observer `-n` (10). */
  numericBins?: number;
  /** MOA `-b` (false). */
  binarySplits?: boolean;
  /** MOA `-p` (false): when false a "null split" competes (it can only win under Gini). */
  noPrePrune?: boolean;
  /** ARF random subspace: attributes observed per leaf (0 = all). */
  subspaceSize?: number;
  /** Seed of the subspace draws (MOA `-r`, default 1). */
  randomSeed?: number;
}

export type ResolvedTreeOptions = Required<HoeffdingTreeOptions>;

export const MOA_TREE_DEFAULTS: ResolvedTreeOptions = {
  gracePeriod: 200,
  splitConfidence: 1e-7,
  tieThreshold: 0.05,
  splitCriterion: 'infogain',
  minBranchFraction: 0.01,
  leafPrediction: 'nba',
  nbThreshold: 0,
  numericBins: 10,
  binarySplits: false,
  noPrePrune: false,
  subspaceSize: 0,
  randomSeed: 1,
};
