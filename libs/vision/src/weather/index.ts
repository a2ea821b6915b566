// Weather synthesis: physically based rain (+ veil), haze, snow and raindrops on clean images, seeded.
export * from './float-image.js';
export { weatherRandom, uniform, sampleRange, checkRange, type WeatherRandom, type Range } from './weather-random.js';
export { gaussianKernel, gaussianBlurPlane, motionBlurPlane, samplePlane, upscaleCropPlane, normalisePlane, channelPlane, filterRgb } from './plane-filters.js';
export { syntheticDepth, type SyntheticDepthOptions } from './synthetic-depth.js';
export { addHaze, HAZE_DEFAULTS, type HazeOptions, type HazeResult } from './haze.js';
export { addRain, RAIN_DEFAULTS, type RainOptions, type RainResult } from './rain.js';
export { addSnow, SNOW_DEFAULTS, type SnowOptions, type SnowResult } from './snow.js';
export { addRaindrops, RAINDROP_DEFAULTS, type RaindropOptions, type RaindropResult } from './raindrop.js';
export { synthesizeWeather, isWeatherType, WEATHER_TYPES, type WeatherType, type WeatherOptions, type WeatherSample } from './synthesize-weather.js';
