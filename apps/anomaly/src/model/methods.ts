/**
 * The methods the benchmark compares (reference vision.md §3, §6). One architecture family, switched by flags,
 * so every difference between two rows of the table is the one the row names:
 *
 * | method | memory | heads | class labels | TGS |
 * | --- | --- | --- | --- | --- |
 * | mil | – | one | – | – |  Sultani-style MIL ranking with UR-DMU's top-k BCE
 * | urdmu | dual memory | one | – | – |  UR-DMU-style memory baseline (GS-MoE's task encoder)
 * | multihead | dual memory | one per class, max | yes | – |  the fair control: same class labels, no gate
 * | gsmoe | dual memory | class experts + gate | yes | yes |  GS-MoE
 * | gsmoe-no-tgs | dual memory | class experts + gate | yes | – |  ablation
 * | gsmoe-no-experts | dual memory | one | – | yes |  ablation (UR-DMU + TGS)
 */
export const METHOD_NAMES = ['mil', 'urdmu', 'multihead', 'gsmoe', 'gsmoe-no-tgs', 'gsmoe-no-experts'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export type HeadKind = 'single' | 'multi' | 'experts';

export interface MethodSpec {
  readonly memory: boolean;
  readonly heads: HeadKind;
  /** Uses the video's anomaly class (experts / heads trained on their class and normal videos only). */
  readonly classLabels: boolean;
  readonly tgs: boolean;
}

export const METHODS: Record<MethodName, MethodSpec> = {
  mil: { memory: false, heads: 'single', classLabels: false, tgs: false },
  urdmu: { memory: true, heads: 'single', classLabels: false, tgs: false },
  multihead: { memory: true, heads: 'multi', classLabels: true, tgs: false },
  gsmoe: { memory: true, heads: 'experts', classLabels: true, tgs: true },
  'gsmoe-no-tgs': { memory: true, heads: 'experts', classLabels: true, tgs: false },
  'gsmoe-no-experts': { memory: true, heads: 'single', classLabels: false, tgs: true },
};

export function parseMethod(value: string, what = 'method'): MethodName {
  if (!(METHOD_NAMES as readonly string[]).includes(value)) throw new RangeError(`${what}: expected one of ${METHOD_NAMES.join(', ')}, got '${value}'`);
  return value as MethodName;
}
