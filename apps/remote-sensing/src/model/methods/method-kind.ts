/**
 * The fine-tuning methods compared on one frozen backbone (reference vision.md §1): Earth-Adapter and its
 * two ablations, Rein, LoRA, bottleneck adapters, head-only and full fine-tuning.
 */
export const METHOD_KINDS = ['earth-adapter', 'spatial-mixture', 'frequency-no-router', 'rein', 'lora', 'bottleneck', 'head-only', 'full-finetune'] as const;
export type MethodKind = (typeof METHOD_KINDS)[number];

export const METHOD_TITLES: Record<MethodKind, string> = {
  'earth-adapter': 'Earth-Adapter (full + low + high band adapters, per-token router)',
  'spatial-mixture': 'Ablation: 3 spatial adapters, same d, router',
  'frequency-no-router': 'Ablation: full + low + high, no router (equal weights)',
  rein: 'Rein-style learnable tokens',
  lora: 'LoRA on qkv and fc1',
  bottleneck: 'Bottleneck adapter after every block',
  'head-only': 'Head only (backbone frozen, no adapter)',
  'full-finetune': 'Full fine-tuning (backbone trained)',
};

export function isMethodKind(value: unknown): value is MethodKind {
  return typeof value === 'string' && (METHOD_KINDS as readonly string[]).includes(value);
}

export function checkMethodKind(owner: string, arg: string, value: unknown): MethodKind {
  if (!isMethodKind(value)) throw new Error(`${owner}: ${arg} must be one of ${METHOD_KINDS.join(', ')}; got ${JSON.stringify(value)}`);
  return value;
}
