/**
 * Default weights of the auxiliary losses, as the anchors ship them (moe-core reference §2). A layer
 * multiplies each raw loss by its coefficient; the raw functions in this folder are unweighted.
 */
export const DEFAULT_LOSS_COEFFICIENTS = {
  /** Switch / flaxformer `AUX_LOSS_FACTOR`, mesh-tf `loss_coef`, lucidrains, ST-MoE: α = 1e-2. */
  switchBalance: 1e-2,
  /** HF-Mixtral-style all-k balance in MixLoRA code and RMoE: 1e-3 (MixLoRA's README says 1e-2, keras-hub 2e-2). */
  mixtralBalance: 1e-3,
  /** DeepSeekMoE expert-level balance `aux_loss_alpha` (V2 configs): 1e-3. */
  deepseekBalance: 1e-3,
  /** MegaBlocks `moe_loss_weight`: 0.1. */
  megablocksBalance: 0.1,
  /** ST-MoE router z-loss c_z (lucidrains, flaxformer st_moe_32b, MoE-PEFT): 1e-3 (st_moe_base uses 1e-4). */
  zLoss: 1e-3,
  /** Shazeer importance CV²: tensor2tensor port multiplies CV²(importance)+CV²(load) by loss_coef 1e-2. */
  importance: 1e-2,
  /** Shazeer load CV² (smooth estimator), same loss_coef. V-MoE uses 1.0 for both. */
  load: 1e-2,
} as const;

/** A key of {@link DEFAULT_LOSS_COEFFICIENTS}. */
export type LossCoefficientName = keyof typeof DEFAULT_LOSS_COEFFICIENTS;
