/**
 * The HarmonyOS facade: Media Kit's `AVImageGenerator` and the Image Kit pieces it returns, so
 * code written for `@kit.MediaKit` / `@kit.ImageKit` runs on stillframe with its imports changed.
 */
export { media } from './media.js';
export { image } from './image.js';
export { BusinessError } from './business-error.js';
export type { AsyncCallback } from './async-callback.js';
export type { AVImageGenerator } from './av-image-generator.js';
export type { AVDataSrcDescriptor, AVFileDescriptor, OutputSize, PixelMapParams } from './media-types.js';
export { AVImageQueryOptions, PixelFormat } from './media-types.js';
export { AVErrorCode } from './av-error-code.js';
export type { PixelMap } from './pixel-map.js';
export type { ImagePacker } from './image-packer.js';
export type { ImageInfo, PackingOption, Size } from './image-types.js';
export { AlphaType, PixelMapFormat } from './image-types.js';
export type { DataSource } from './generator-source.js';
