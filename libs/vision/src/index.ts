// @moe/vision: node-side vision toolkit: image and GeoTIFF I/O, real images from Debian packages, tiling,
// remote-sensing artefacts, labelled scenes, segmentation metrics; weather synthesis, PSNR/SSIM and the small ViT.
export { type RasterImage, createRasterImage, checkRasterImage, toChannels, selectChannels } from './image/raster-image.js';
export { ImageDecodeError, isImageDecodeError, type ImageDecodeErrorCode } from './image/image-decode-error.js';
export { sniffFormat, type SniffedFormat } from './image/sniff-format.js';
export { decodeImage, DEFAULT_MAX_PIXELS, type DecodeImageOptions } from './image/decode-image.js';
export { encodePng, encodeJpeg, encodeTiff } from './image/encode-image.js';
export { readImage, writeImage, type WriteImageOptions } from './image/image-files.js';

export { type GeoRaster, type GeoReference, type GeoSampleArray, checkGeoRaster, geoTransformOf, pixelToModel, deriveGeoReference } from './geotiff/geo-raster.js';
export { readGeoTiff, type GeoTiff, type ReadGeoTiffOptions } from './geotiff/read-geotiff.js';
export { writeGeoTiff, type WriteGeoTiffOptions } from './geotiff/write-geotiff.js';
export { geoRasterToImage, imageToGeoRaster, type GeoRasterToImageOptions } from './geotiff/geo-raster-image.js';

export { REAL_IMAGES, realImagePath, realImagesDir, listRealImages, type RealImageInfo, type RealImageKind, type RealImageName } from './real-images/real-images.js';

export { tileImage, stitchTiles, tilePositions, type Tile, type TileOptions, type StitchOptions, type StitchBlend } from './tiling/tile-image.js';
export { fbmNoise, type FbmOptions } from './noise/fbm-noise.js';
export { addStripeNoise, STRIPE_DEFAULTS, type StripeKind, type StripeNoiseOptions, type StripeNoiseResult } from './artefacts/stripe-noise.js';
export { addClouds, CLOUD_DEFAULTS, type CloudOptions, type CloudResult } from './artefacts/clouds.js';
export { addFlatHaze, FLAT_HAZE_DEFAULTS, type FlatHazeOptions } from './artefacts/flat-haze.js';
export { jpegArtefacts } from './artefacts/jpeg-artefacts.js';
export { resizeLabels, changeGsd, type GsdOptions } from './artefacts/resize-image.js';
export { resizeImage, resizeShorterSide, type ResizeMethod, type ResizeOptions } from './resize/resize-image.js';
export { cropImage } from './resize/crop-image.js';
export { permuteBands, sensorShift, BAND_ORDERS, LANDSAT7_BAND_ORDERS, SENSOR_SHIFT_DEFAULTS, type BandOrder, type SensorShiftOptions } from './artefacts/sensor-shift.js';
export { applyArtefacts, applyArtefactsSync, type ArtefactSpec, type ArtefactKind, type AppliedArtefact, type ArtefactResult } from './artefacts/apply-artefacts.js';
export { SCENE_CLASSES, SCENE_CLASS_ID, SCENE_CLASS_COLOURS, labelsToImage, classShares, type SceneClass } from './scenes/scene-classes.js';
export { SCENE_DOMAINS, SCENE_DOMAIN_NAMES, type SceneDomain, type SceneDomainName, type TextureName } from './scenes/scene-domain.js';
export { loadSceneTextures, proceduralTextures, type SceneTextures, type SceneTexture } from './scenes/scene-textures.js';
export { generateScene, generateSceneSync, type GenerateSceneOptions, type Scene } from './scenes/generate-scene.js';
export { spectralIndexLabels, normalisedDifference, otsuThreshold, type IndexLabels, type IndexLabelOptions } from './spectral/index-labels.js';
export { ConfusionMatrix, segmentationMetrics, metricsFromConfusion, type SegmentationMetrics, type ConfusionOptions, type LabelArray } from './metrics/segmentation-metrics.js';

export * from './weather/index.js';
export { psnr } from './metrics/psnr.js';
export { ssim, type SsimOptions } from './metrics/ssim.js';
export * from './backbone/index.js';
