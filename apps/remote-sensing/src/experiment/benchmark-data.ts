import { generateTiles } from '../data/generate-tiles.js';
import type { SceneTextures } from '../data/scene-generator.js';
import type { TileSet } from '../data/tile-set.js';

/** Split sizes of the DA/DG protocol (source → target domain). */
export interface BenchmarkSplits {
  sourceTiles: number;
  targetTiles: number;
  valTiles: number;
  testTiles: number;
  /** Seed of the generated data (fixed across methods and training seeds). */
  dataSeed: number;
  tileSize: number;
}

/** The benchmark's domains: labelled source, target whose shift is artefacts and priors (same band order). */
export const DEFAULT_SOURCE_DOMAIN = 'rgb-urban';
export const DEFAULT_TARGET_DOMAIN = 'rgb-rural';

export const DEFAULT_SPLITS: BenchmarkSplits = { sourceTiles: 384, targetTiles: 384, valTiles: 32, testTiles: 96, dataSeed: 11, tileSize: 64 };

/** Labelled source train, unlabelled target train, labelled target val (selection) and target test (reported once). */
export interface BenchmarkData {
  source: TileSet;
  target: TileSet;
  validation: TileSet;
  test: TileSet;
}

export function buildBenchmarkData(splits: BenchmarkSplits, textures?: SceneTextures, source = DEFAULT_SOURCE_DOMAIN, target = DEFAULT_TARGET_DOMAIN): BenchmarkData {
  const { tileSize: s, dataSeed } = splits;
  const targetTrain = generateTiles(target, 'train', splits.targetTiles, s, dataSeed, textures);
  // The target training tiles are used without their labels: drop them so nothing can read them.
  const { labels: _dropped, ...unlabelled } = targetTrain;
  void _dropped;
  return {
    source: generateTiles(source, 'train', splits.sourceTiles, s, dataSeed, textures),
    target: unlabelled,
    validation: generateTiles(target, 'val', splits.valTiles, s, dataSeed, textures),
    test: generateTiles(target, 'test', splits.testTiles, s, dataSeed, textures),
  };
}
