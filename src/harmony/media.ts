/**
 * The `media` namespace of HarmonyOS Media Kit (`import { media } from '@kit.MediaKit'`), as
 * far as thumbnails go: `media.createAVImageGenerator()` and the types and enums around it.
 *
 * `media` is a plain object for the values plus a type-only namespace of the same name, so
 * HarmonyOS code reads unchanged in TypeScript (`let g: media.AVImageGenerator`,
 * `media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC`) while nothing but the object reaches
 * the JavaScript output.
 */
import { settle, type AsyncCallback } from './async-callback.js';
import { AVErrorCode } from './av-error-code.js';
import { newAVImageGenerator, type AVImageGenerator } from './av-image-generator.js';
import type { DataSource } from './generator-source.js';
import {
  AVImageQueryOptions,
  PixelFormat,
  type AVDataSrcDescriptor,
  type AVFileDescriptor,
  type OutputSize,
  type PixelMapParams,
} from './media-types.js';

// Named aliases for the namespace's types below: a declaration bundler would turn
// `type X = X` re-exports through import renames into self-references.
type AVImageGeneratorClass = AVImageGenerator;
type AVImageQueryOptionsEnum = AVImageQueryOptions;
type PixelFormatEnum = PixelFormat;
type AVErrorCodeEnum = AVErrorCode;
type AVDataSrcDescriptorType = AVDataSrcDescriptor;
type AVFileDescriptorType = AVFileDescriptor;
type OutputSizeType = OutputSize;
type PixelMapParamsType = PixelMapParams;

/** Creates a thumbnail fetcher. Never fails in stillframe (HarmonyOS may report 5400101 when out of instances). */
function createAVImageGenerator(): Promise<AVImageGeneratorClass>;
/** Creates a thumbnail fetcher and passes it to `callback`. */
function createAVImageGenerator(callback: AsyncCallback<AVImageGeneratorClass>): void;
function createAVImageGenerator(callback?: AsyncCallback<AVImageGeneratorClass>): Promise<AVImageGeneratorClass> | void {
  return settle(async () => newAVImageGenerator(), callback);
}

/** HarmonyOS Media Kit's `media` namespace: thumbnail fetching. */
export const media = Object.freeze({
  createAVImageGenerator,
  AVImageQueryOptions,
  PixelFormat,
  AVErrorCode,
});

/** Types of the `media` namespace, named as in `@ohos.multimedia.media`. */
export declare namespace media {
  /** See {@link AVImageGeneratorClass}. */
  export type AVImageGenerator = AVImageGeneratorClass;
  /** See {@link AVImageQueryOptionsEnum}. */
  export type AVImageQueryOptions = AVImageQueryOptionsEnum;
  /** See {@link PixelFormatEnum}. */
  export type PixelFormat = PixelFormatEnum;
  /** See {@link AVErrorCodeEnum}. */
  export type AVErrorCode = AVErrorCodeEnum;
  /** See {@link PixelMapParamsType}. */
  export type PixelMapParams = PixelMapParamsType;
  /** See {@link OutputSizeType}. */
  export type OutputSize = OutputSizeType;
  /** See {@link AVFileDescriptorType}. */
  export type AVFileDescriptor = AVFileDescriptorType;
  /** See {@link AVDataSrcDescriptorType}. */
  export type AVDataSrcDescriptor = AVDataSrcDescriptorType;
  /** What `AVImageGenerator.dataSrc` accepts (stillframe extension). */
  export type AVImageGeneratorDataSource = DataSource;
}
