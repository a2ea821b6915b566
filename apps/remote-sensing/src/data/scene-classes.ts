/** The land-cover classes of the generated scenes (LoveDA-like; vision.md §1.5), in label order. */
export const SCENE_CLASS_NAMES = ['barren', 'building', 'road', 'water', 'forest', 'agriculture'] as const;
export type SceneClass = (typeof SCENE_CLASS_NAMES)[number];
export const NUM_SCENE_CLASSES = SCENE_CLASS_NAMES.length;

/** Mean reflectance per class in (R, G, B, NIR), the physical bands a sensor then orders (RGB or IRRG). */
export const CLASS_REFLECTANCE: Record<SceneClass, readonly [number, number, number, number]> = {
  barren: [0.62, 0.52, 0.4, 0.55],
  building: [0.7, 0.42, 0.38, 0.45],
  road: [0.45, 0.45, 0.47, 0.4],
  water: [0.12, 0.22, 0.3, 0.05],
  forest: [0.18, 0.35, 0.16, 0.75],
  agriculture: [0.48, 0.6, 0.3, 0.62],
};
