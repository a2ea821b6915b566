// @moe/image-upload: image uploads in @moe/service routes, decoded by @moe/vision with 415/413 answers. Kept
// apart from @moe/vision so that the published vision package does not pull in the service (and Prisma).
export { decodeUploadedImage, readUploadedGeoTiff, imageDecodeErrorToHttp, IMAGE_CONTENT_TYPES, type UploadedImageOptions } from './decode-uploaded-image.js';
