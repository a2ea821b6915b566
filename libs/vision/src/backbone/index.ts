// The small ViT backbone and light segmentation head of @moe/vision (reusable by any dense-prediction app).
export { VitBackbone } from './vit-backbone.js';
export type { VitBackboneConfig } from './vit-backbone.js';
export { VitBlock } from './vit-block.js';
export type { VitBlockConfig } from './vit-block.js';
export { SelfAttention } from './self-attention.js';
export type { SelfAttentionConfig, LinearWithDelta } from './self-attention.js';
export { PatchEmbedding } from './patch-embedding.js';
export type { PatchEmbeddingConfig } from './patch-embedding.js';
export { LayerNorm } from './layer-norm.js';
export type { LayerNormConfig } from './layer-norm.js';
export { SegmentationHead } from './segmentation-head.js';
export type { SegmentationHeadConfig } from './segmentation-head.js';
export { LINEAR_SITES } from './block-hooks.js';
export type { BlockHooks, LinearSite } from './block-hooks.js';
